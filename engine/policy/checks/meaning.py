"""What a schema cannot say about a policy: references between its parts, dates in order, known names.

Each check yields Issues located with the policy's sources (file:line). Runs only on a schema-valid policy.
"""
from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from ...errors import Issue
from ...suggestions import unknown
from ..files.folder import Sources
from ..model.display import day_text
from ..model.parameters import flatten_tree, parse_amount
from ..model.sessions import session_problems
from ..model.territories import territory_problems
from ..model.vocabulary import ENGINE_EVENTS, PERIOD_EVENTS, RULE_EFFECTS
from ..versions.history import retroactive_problems
from .catalogue import check_catalogue
from .dossier import check_dossier_section
from .guards import finding_problems, guard_problems, path_problem
from .rule_versions import convention_versions, dated_problems, finding_versions, version_bodies, version_problems


def check_policy(policy: dict, sources) -> list:
    issues: list = []
    context = _Context(policy)
    for check in (_articles, _parameters, _calendar, _statuses, check_catalogue, _rules, check_dossier_section,
                  finding_versions, convention_versions):
        issues.extend(check(policy, context, sources))
    issues.extend(session_problems(policy, sources))
    return issues


class _Context:
    """Names a policy defines, for the checks to look up."""

    def __init__(self, policy: dict):
        self.articles = set(policy["articles"])
        self.currencies = set(policy["politique"]["unites_monetaires"])
        self.duration_units = set(policy["calendrier"]["unites_de_duree"])
        self.parameters = {".".join(path): node for path, node in flatten_tree(policy["parametres"]).items()}
        self.event_types = dict(policy["evenements"]["types"])
        self.derived_types = dict(policy["evenements"].get("derives", {}))
        self.statuses = set(policy["statuts"]["valeurs"])
        self.findings = set(policy["constats"])
        self.actors = set(policy["calendrier"]["acteurs"])
        self.action_ids = {body["action"]["id"] for rule in policy["regles"]
                           for body in (rule, *(version for _, version in version_bodies(rule))) if "action" in body}

    def known_event(self, name: str) -> bool:
        return name in self.event_types or name in self.derived_types or name in ENGINE_EVENTS

    @property
    def events(self) -> set:
        return set(self.event_types) | set(self.derived_types) | set(ENGINE_EVENTS)

    def unknown_event(self, name: str) -> str:
        return unknown("événement inconnu", name, self.events)

    def unknown_status(self, name: str) -> str:
        return unknown("statut inconnu", name, self.statuses, " (statuts.yaml)")

    def unknown_actor(self, name: str) -> str:
        return unknown("acteur inconnu", name, self.actors, " (calendrier.acteurs)")

    def unknown_finding(self, name: str) -> str:
        return unknown("constat inconnu", name, self.findings, " (constats.yaml)")

    def event_attributes(self, name: str) -> set | None:
        """Attributes an event type has (None: not checked)."""
        if name in self.event_types:
            return {"date", *self.event_types[name].get("attributs", {})}
        if name in ENGINE_EVENTS:
            return {"date", *ENGINE_EVENTS[name]}
        return None


# Mappings whose keys are names the policy's author chose (attributes and their JSON Schemas, the facts fields they
# add, their defaults and the values conditions compare): an `article` there is a name, never a reference to the text.
_NAMED_DATA = frozenset({"attributs", "defauts", "si", "faits"})


def _walk(node: object, path: tuple = ()) -> Iterator[tuple[tuple, object, object]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield path + (key,), key, value
            if key not in _NAMED_DATA:
                yield from _walk(value, path + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(value, path + (index,))


def _articles(policy: dict, context: _Context, sources: Sources) -> Iterator[Issue]:
    """Every `article` (a string wherever the schema names one) and `articles` list cites a section of the text; a
    mapping entry that merely bears the name (an event type called `article`) is not a citation."""
    for path, key, value in _walk({k: v for k, v in policy.items() if k != "articles"}):
        if key == "article" and isinstance(value, str) and value not in context.articles:
            yield sources.issue(path, unknown("article", value, context.articles, " absent du plan du texte (articles.yaml)"))
        if key == "articles" and isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, str) and item not in context.articles:
                    yield sources.issue(path + (index,), unknown("article", item, context.articles,
                                                                 " absent du plan du texte (articles.yaml)"))


def _parameters(policy, context, sources):
    tree_paths = flatten_tree(policy["parametres"])
    for path, node in tree_paths.items():
        where = ("parametres",) + path
        unit = node["unite"]
        if unit not in context.currencies | context.duration_units | {"nombre"}:
            yield sources.issue(where + ("unite",), unknown("unité inconnue", unit, context.currencies | context.duration_units
                                                             | {"nombre"}) + " (déclarez-la dans politique.unites_monetaires "
                                "ou calendrier.unites_de_duree, ou écrivez 'nombre')")
        previous = None
        for index, entry in enumerate(node["valeurs"]):
            entry_path = where + ("valeurs", index)
            try:
                since = date.fromisoformat(entry["depuis"])
            except ValueError:
                continue  # reported by the schema's date format
            if previous is not None and since <= previous:
                yield sources.issue(entry_path + ("depuis",), f"les valeurs datées vont dans l'ordre des dates : celle du "
                                    f"{day_text(since)} est écrite après celle du {day_text(previous)} ; mettez-la à son rang")
            previous = since
            value = entry["valeur"]
            if unit in context.currencies:
                if parse_amount(value) is None:      # a negative amount too
                    yield sources.issue(entry_path + ("valeur",), f"'{value}' n'est pas un montant : écrivez-le entre "
                                        'guillemets avec deux décimales au plus, par exemple valeur: "12.50"')
            elif unit in context.duration_units and value == 0 and not _motivated(entry.get("nul")):
                yield sources.issue(entry_path + ("valeur",), f"un délai de 0 {unit} laisse zéro jour pour agir : "
                                    "toute diligence serait en retard ; une action sans délai s'écrit echeance: "
                                    "{sans_delai: true} dans sa règle ; si 0 est voulu, dites-le avec sa raison : "
                                    "nul: {motif: \"…\"}")
            elif not isinstance(value, int) or value < 0:
                yield sources.issue(entry_path + ("valeur",), f"une valeur en {unit} est un nombre entier positif ou "
                                    f"nul, pas {value!r}")
            yield from retroactive_problems(entry, sources, entry_path)


def _calendar(policy, context, sources):
    calendar = policy["calendrier"]
    years = (calendar["annees"]["debut"], calendar["annees"]["fin"])
    if years[0] > years[1]:
        yield sources.issue(("calendrier", "annees"), "l'année de début (debut) est après celle de fin (fin)")
    territories = calendar["territoires"]
    if calendar["territoire_par_defaut"] not in territories:
        yield sources.issue(("calendrier", "territoire_par_defaut"),
                            unknown("territoire inconnu", calendar["territoire_par_defaut"], territories, " (calendrier.territoires)"))
    for name, spec in territories.items():
        for message in territory_problems(name, spec, years):
            yield sources.issue(("calendrier", "territoires", name), message)
    for actor, spec in calendar["acteurs"].items():
        if "territoire" in spec and spec["territoire"] not in territories:
            yield sources.issue(("calendrier", "acteurs", actor, "territoire"),
                                unknown("territoire inconnu", spec["territoire"], territories, " (calendrier.territoires)"))


def _statuses(policy, context, sources):
    for index, status in enumerate(policy["politique"]["conformite"].get("statuts", [])):
        if status not in context.statuses:
            yield sources.issue(("politique", "conformite", "statuts", index), context.unknown_status(status))
    statuses = policy["statuts"]
    if statuses["initial"] not in context.statuses:
        yield sources.issue(("statuts", "initial"), context.unknown_status(statuses["initial"]))
    period = statuses.get("periode")
    if not period:
        return
    where = ("statuts", "periode")
    for index, status in enumerate(period["statuts_actifs"]):
        if status not in context.statuses:
            yield sources.issue(where + ("statuts_actifs", index), context.unknown_status(status))
    for at, text in [(where, period)] + [(where + ("versions", n), v) for n, v in enumerate(period.get("versions") or [])]:
        yield from _period_text(text, context, sources, at)      # an amendment states only what it changes
    yield from dated_problems(period.get("versions") or [], "de la période", sources, where)


def _period_text(period, context, sources, where):  # its expiry status, durations and renewal (or an amendment's)
    if "statut_a_echeance" in period and period["statut_a_echeance"] not in context.statuses:
        yield sources.issue(where + ("statut_a_echeance",), context.unknown_status(period["statut_a_echeance"]))
    if "duree" in period:
        yield from _parameter_ref(period["duree"], "duration", context, sources, where + ("duree",))
    renewal = period.get("renouvellement")
    if renewal:
        yield from _parameter_ref(renewal["duree"], "duration", context, sources, where + ("renouvellement", "duree"))
        yield from _parameter_ref(renewal["nombre"], "count", context, sources, where + ("renouvellement", "nombre"))
        needed = renewal.get("si_evenement", [])
        for index, kind in enumerate([needed] if isinstance(needed, str) else needed):
            if not context.known_event(kind):
                yield sources.issue(where + ("renouvellement", "si_evenement") + (() if isinstance(needed, str)
                                                                                  else (index,)),
                                    context.unknown_event(kind))
        for index, status in enumerate(renewal.get("sauf_statuts", [])):
            if status not in context.statuses:
                yield sources.issue(where + ("renouvellement", "sauf_statuts", index), context.unknown_status(status))


def _parameter_ref(name, kind, context, sources, path):
    node = context.parameters.get(name)
    if node is None:
        yield sources.issue(path, unknown("paramètre inconnu", name, context.parameters, " (parametres.yaml)"))
        return
    unit = node["unite"]
    expected = {"duration": context.duration_units, "amount": context.currencies, "count": {"nombre"}}[kind]
    if unit not in expected:
        yield sources.issue(path, f"le paramètre '{name}' est en {unit} ; il faut ici {_KINDS[kind]} "
                            f"(en {', '.join(sorted(expected))})")


_KINDS = {"duration": "une durée", "amount": "un montant", "count": "un nombre"}


def _conditions(conditions, attributes, sources, path):
    if attributes is None:
        return
    for key in conditions:
        if key not in attributes:
            yield sources.issue(path + (key,), unknown("l'événement n'a pas d'attribut", key, attributes))


def _rules(policy, context, sources):
    seen: dict[str, int] = {}
    for index, rule in enumerate(policy["regles"]):
        where = ("regles", index)
        if rule["id"] in seen:
            yield sources.issue(where + ("id",), f"id de règle en double : '{rule['id']}' (déjà pris par une autre "
                                "règle) ; donnez-lui un id propre")
        seen[rule["id"]] = index
        yield from _rule_body(rule, policy, context, sources, where)
        for number, body in version_bodies(rule):
            yield from _rule_body(body, policy, context, sources, where + ("versions", number))
        yield from version_problems(rule, context, sources, where)


def _rule_body(rule, policy, context, sources, where):
    """The checks of one text of a rule: the first, or an amendment (with the rule's id and article)."""
    when = rule["quand"]
    event = when["evenement"]
    if not context.known_event(event):
        yield sources.issue(where + ("quand", "evenement"), context.unknown_event(event))
    yield from _conditions(when.get("si", {}), context.event_attributes(event), sources, where + ("quand", "si"))
    if (when.get("si", {}).get("action") and event in ENGINE_EVENTS and "action" in ENGINE_EVENTS[event]
            and when["si"]["action"] not in context.action_ids):
        yield sources.issue(where + ("quand", "si", "action"), unknown("aucune règle ne définit l'action",
                                                                         when["si"]["action"], context.action_ids))
    if "apres" in when:
        if not context.known_event(when["apres"]["evenement"]):
            yield sources.issue(where + ("quand", "apres", "evenement"), context.unknown_event(when["apres"]["evenement"]))
        yield from _parameter_ref(when["apres"]["dans"], "duration", context, sources, where + ("quand", "apres", "dans"))
    yield from guard_problems(rule, context, sources, where)
    yield from finding_problems(rule, policy, context, sources, where)
    effect = next(name for name in RULE_EFFECTS if name in rule)
    yield from _EFFECT_CHECKS[effect](rule[effect], rule, context, sources, where + (effect,))


def _check_action(spec, rule, context, sources, where):
    if spec["acteur"] not in context.actors:
        yield sources.issue(where + ("acteur",), context.unknown_actor(spec["acteur"]))
    if "delai" in spec["echeance"]:
        yield from _parameter_ref(spec["echeance"]["delai"], "duration", context, sources, where + ("echeance", "delai"))
    floor = spec["echeance"].get("au_plus_tot")
    problem = path_problem(floor, rule["quand"]["evenement"], context) if floor else None
    if problem:
        yield sources.issue(where + ("echeance", "au_plus_tot"), problem)
    fulfilled = spec.get("accomplie_par")
    if fulfilled:
        if not context.known_event(fulfilled["evenement"]):
            yield sources.issue(where + ("accomplie_par", "evenement"), context.unknown_event(fulfilled["evenement"]))
        attributes = context.event_attributes(fulfilled["evenement"])
        trigger_attributes = context.event_attributes(rule["quand"]["evenement"])
        for key in fulfilled.get("meme", []):
            for attrs in (attributes, trigger_attributes):
                if attrs is not None and key not in attrs:
                    yield sources.issue(where + ("accomplie_par", "meme"), f"l'attribut '{key}' n'est pas sur les deux "
                                        "événements (celui qui ouvre l'action et celui qui l'accomplit)")
    for index, status in enumerate(spec.get("tant_que_statut", [])):
        if status not in context.statuses:
            yield sources.issue(where + ("tant_que_statut", index), context.unknown_status(status))
    late = spec.get("si_en_retard")
    if late and not fulfilled:
        yield sources.issue(where + ("si_en_retard",), "une action sans accomplie_par ne peut être ni en retard ni "
                            "dans les délais : ajoutez l'événement qui l'accomplit, ou retirez si_en_retard")


def _check_fee(spec, rule, context, sources, where):
    yield from _parameter_ref(spec["montant"]["parametre"], "amount", context, sources, where + ("montant", "parametre"))
    if spec["acteur"] not in context.actors:
        yield sources.issue(where + ("acteur",), context.unknown_actor(spec["acteur"]))


def _check_status(spec, rule, context, sources, where):
    for key in ("vers",):
        if spec[key] not in context.statuses:
            yield sources.issue(where + (key,), context.unknown_status(spec[key]))
    for index, status in enumerate(spec.get("depuis_statuts", [])):
        if status not in context.statuses:
            yield sources.issue(where + ("depuis_statuts", index), context.unknown_status(status))
    if rule["quand"]["evenement"] in PERIOD_EVENTS:
        yield sources.issue(where, "un statut ne peut découler des événements de la période (ils sont calculés à "
                            "partir du statut) : déclenchez-le par un autre événement")
    since = spec.get("a_compter_de")
    if isinstance(since, dict) and "delai" in since:
        yield from _parameter_ref(since["delai"], "duration", context, sources, where + ("a_compter_de", "delai"))


def _check_emit(spec, rule, context, sources, where):
    if spec["evenement"] not in context.derived_types:
        yield sources.issue(where + ("evenement",), unknown("événement émis non déclaré dans evenements.derives :",
                                                             spec["evenement"], context.derived_types))


_EFFECT_CHECKS = {"action": _check_action, "frais": _check_fee, "statut": _check_status, "emettre": _check_emit,
                  "constat": lambda *_: ()}   # checked with every finding a rule raises (guard_checks.finding_problems)


def _motivated(mark: object) -> bool:
    return isinstance(mark, dict) and bool(str(mark.get("motif") or "").strip())
