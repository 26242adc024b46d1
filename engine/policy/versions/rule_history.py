"""A rule's past: its texts in force (the first one, then each dated amendment), and the check that a change never
rewrites them silently (the same rule as for parameter values, engine/policy/versions/history.py).

Against the baseline (the last published revision, or the set in service), refused unless the entry says why:
  - the first text or an amendment changed in place (its `quand`, its effect, the date that selects it, its
    decision): `correction: {motif}` on it, newly written;
  - the first text changed on purpose for every fact already dated: `retroactif: {motif}` on the rule;
  - an amendment withdrawn, or a rule withdrawn: its texts would no longer apply to the facts of their time;
  - a new amendment dated before the last one (it changes what applied between them): `correction: {motif}`.
A new amendment dated after the last one, with its decision, is the way to change a rule from a date on. A title
reworded changes no verdict and is not refused.
"""
from __future__ import annotations

from collections.abc import Iterator

from ...errors import Issue, json_path
from ..model.display import day_text
from ..model.vocabulary import RULE_EFFECTS
from .snapshots import Located, Snapshot

TEXT_KEYS = ("quand", *RULE_EFFECTS)
VERSION_KEYS = TEXT_KEYS + ("depuis", "selon", "decision")
PERIOD_VERSION_KEYS = ("duree", "statut_a_echeance", "renouvellement", "depuis", "decision")
NEW_PERIOD_VERSION = ("ajoutez-lui plutôt une version datée, pour les périodes commencées à partir d'une date : "
                      "versions: [{depuis: AAAA-MM-JJ, decision: {reference: \"…\", date: AAAA-MM-JJ}, "
                      "renouvellement: …}] (ce qu'elle ne dit pas reste le texte d'avant)")
NEW_CONVENTIONS_VERSION = ("ajoutez-lui plutôt une version datée, pour les délais que font courir les événements "
                           "à partir d'une date : versions: [{depuis: AAAA-MM-JJ, decision: {reference: \"…\", "
                           "date: AAAA-MM-JJ}, report_jour_non_ouvre: …}]")
NEW_CRITERION_VERSION = ("ajoutez-lui plutôt une version datée, pour les dossiers évalués (ou déposés : selon) à "
                         "partir d'une date : versions: [{depuis: AAAA-MM-JJ, decision: {reference: \"…\", date: "
                         "AAAA-MM-JJ}, exigences: […]}]")
EVENT_TEXTS = ("attributs", "requis", "requis_si", "defauts")
NEW_EVENT_VERSION = ("ajoutez-lui plutôt une version datée, pour les événements datés à partir d'une date : versions: "
                     "[{depuis: AAAA-MM-JJ, decision: {reference: \"…\", date: AAAA-MM-JJ}, requis: […]}] (ce qu'elle "
                     "ne dit pas reste le texte d'avant)")
TERRITORY_KEYS = ("pays", "subdivision", "exclure", "ajouter")
NEW_TERRITORY_VERSION = ("ajoutez-lui plutôt une version datée, pour les délais que font courir les événements à "
                         "partir d'une date : versions: [{depuis: AAAA-MM-JJ, decision: {reference: \"…\", "
                         "date: AAAA-MM-JJ}, exclure: […]}] (ce qu'elle ne dit pas reste le texte d'avant)")
NEW_UNIT = ("pour compter autrement à partir d'une date, créez une autre unité, un paramètre compté dans cette unité "
            "et une version datée de la règle qui le lit")
NEW_VERSION = ("ajoutez-lui plutôt une version datée : versions: [{depuis: AAAA-MM-JJ, decision: {reference: \"…\", "
               "date: AAAA-MM-JJ}, quand: …, <effet>: …}]")


def rewritten_rules(before: Snapshot, after: Snapshot) -> list[Issue]:
    """Every text of a rule of the baseline that the current policy changes or withdraws without saying so."""
    issues: list[Issue] = []
    for rule_id, old in sorted(before.rules.items()):
        new = after.rules.get(rule_id)
        where = ("regles", rule_id)
        if new is None:
            issues.append(Issue(json_path(where), f"la règle '{rule_id}' a été retirée : elle s'applique aux faits "
                                "déjà datés, qui changeraient de verdict ; gardez-la, et pour qu'elle change à partir "
                                f"d'une date, {NEW_VERSION}", str(after.folder / "regles")))
            continue
        whose = f"la règle '{rule_id}'"
        issues.extend(_first_text(whose, ("regles", rule_id), old, new, TEXT_KEYS))
        issues.extend(_versions(whose, ("regles", rule_id), old, new, VERSION_KEYS))
    for finding_id, old in sorted(before.findings.items()):
        new = after.findings.get(finding_id)
        if new is not None:     # a finding withdrawn leaves rules raising it: the meaning checks refuse that
            whose = f"la gravité du constat '{finding_id}'"
            issues.extend(_first_text(whose, ("constats", finding_id), old, new, ("gravite",)))
            issues.extend(_versions(whose, ("constats", finding_id), old, new, ("gravite", "depuis", "decision")))
    if before.period is not None and after.period is not None:
        keys = tuple(sorted(set(before.period.data) | set(after.period.data) - {"correction", "retroactif", "versions"}))
        whose = "la période (statuts.periode)"
        issues.extend(_first_text(whose, ("statuts", "periode"), before.period, after.period, keys))
        issues.extend(_versions(whose, ("statuts", "periode"), before.period, after.period, PERIOD_VERSION_KEYS))
    for kind, name, texts, old_elements, new_elements in (
            ("criteres", "le critère", ("preuves", "motif_sans_preuve", "exigences", "retire"), before.criteria,
             after.criteria),
            ("controles", "le contrôle", ("si", "exige", "message", "retire"), before.controls, after.controls),
            ("completude.pieces", "la pièce", ("si", "exige", "titre"), before.pieces, after.pieces)):
        for element_id, old_element in sorted(old_elements.items()):
            new_element = new_elements.get(element_id)
            whose, place = f"{name} '{element_id}'", ("dossier", *kind.split("."), element_id)
            if new_element is None:
                issues.extend(_removed(whose, place, kind, after, new_elements))
                continue
            issues.extend(_first_text(whose, place, old_element, new_element, texts))
            issues.extend(_versions(whose, place, old_element, new_element,
                                    tuple(dict.fromkeys(texts + ("depuis", "selon", "decision", "retire")))))
    for event_id, old_event in sorted(before.events.items()):
        new_event = after.events.get(event_id)
        if new_event is not None:   # a type withdrawn leaves rules or facts naming it: the load checks refuse that
            whose, place, texts = f"le type d'événement '{event_id}'", ("evenements", "types", event_id), EVENT_TEXTS
            issues.extend(_first_text(whose, place, old_event, new_event, texts))
            issues.extend(_versions(whose, place, old_event, new_event, texts + ("depuis", "decision")))
    if before.conventions is not None and after.conventions is not None:
        whose, where = "la convention de calcul des délais (calendrier.conventions)", ("calendrier", "conventions")
        keys = ("avant_jours_francs", "report_jour_non_ouvre")
        issues.extend(_first_text(whose, where, before.conventions, after.conventions, keys))
        issues.extend(_versions(whose, where, before.conventions, after.conventions, keys + ("depuis", "decision")))
    for name, old_territory in sorted(before.territories.items()):
        new_territory = after.territories.get(name)
        if new_territory is None:       # dossiers already evaluated may name it (organisme.territoire)
            near = next(iter(after.territories.values()), None)
            issues.append(Issue(json_path(("calendrier", "territoires", name)), f"le territoire « {name} » a été "
                                "supprimé : les dossiers déjà évalués qui le nomment ne pourraient plus l'être ; "
                                "gardez-le (ses jours fériés changent par une version datée)",
                                near.file if near is not None else str(after.folder / "calendrier.yaml"),
                                near.document.line_of(("territoires",)) if near is not None else None))
        else:
            whose, place = f"le territoire « {name} » (calendrier.territoires)", ("calendrier", "territoires", name)
            issues.extend(_first_text(whose, place, old_territory, new_territory, TERRITORY_KEYS))
            issues.extend(_versions(whose, place, old_territory, new_territory,
                                    TERRITORY_KEYS + ("depuis", "decision")))
    for name, old_unit in sorted(before.duration_units.items()):
        new_unit = after.duration_units.get(name)
        if new_unit is not None:        # a unit withdrawn leaves parameters counted in it: the load refuses that
            whose, place = f"l'unité de durée « {name} » (calendrier.unites_de_duree)", ("calendrier", "unites_de_duree",
                                                                                         name)
            issues.extend(_first_text(whose, place, old_unit, new_unit, ("compte",)))
    return issues


def _removed(whose: str, place: tuple, kind: str, after: Snapshot, others: dict[str, Located]) -> Iterator[Issue]:
    """A criterion, a control or a required piece of the baseline deleted: the dossiers already evaluated would
    change verdict (a piece: what they lack)."""
    near = next(iter(others.values()), None)
    if kind == "completude.pieces":
        yield Issue(json_path(place), f"{whose} a été supprimée : elle s'applique aux dossiers déjà évalués, dont les "
                    "pièces manquantes changeraient ; gardez-la, et si elle ne doit plus s'appliquer, dites-le avec "
                    "sa raison : retire: {motif: \"…\"}", near.file if near is not None else
                    str(after.folder / "dossier.yaml"), near.document.line_of(("completude", "pieces"))
                    if near is not None else None)
        return
    male = whose.startswith("le ")
    yield Issue(json_path(place), f"{whose} a été supprimé{'' if male else 'e'} : {'il' if male else 'elle'} "
                "s'applique aux dossiers déjà évalués, qui changeraient de verdict ; gardez-"
                f"{'le' if male else 'la'}, et pour qu'{'il' if male else 'elle'} ne s'applique plus à partir d'une "
                "date, ajoutez-lui une version qui le retire : versions: [{depuis: AAAA-MM-JJ, decision: {reference: "
                "\"…\", date: AAAA-MM-JJ}, retire: {motif: \"…\"}}] ; ou, si le retrait vaut aussi pour les dossiers "
                "passés, gardez-le avec sa raison : retire: {motif: \"…\"}",
                near.file if near is not None else str(after.folder / "dossier.yaml"),
                near.document.line_of((kind,)) if near is not None else None)


def _first_text(whose: str, where: tuple, old: Located, new: Located, keys: tuple[str, ...]) -> Iterator[Issue]:
    if _text(old.data, keys) == _text(new.data, keys):
        return
    if _newly(old.data, new.data, "correction") or _newly(old.data, new.data, "retroactif") \
            or _newly(old.data, new.data, "retire"):       # a criterion or a control withdrawn with its reason
        return
    changed = next(key for key in keys if old.data.get(key) != new.data.get(key))
    instead = NEW_VERSION if where[0] == "regles" else (
        "ajoutez-lui plutôt une version datée : versions: [{depuis: AAAA-MM-JJ, decision: {reference: \"…\", date: "
        "AAAA-MM-JJ}, gravite: …}]" if where[0] == "constats" else NEW_PERIOD_VERSION if where[0] == "statuts"
        else (NEW_CRITERION_VERSION if where[1] == "criteres" else NEW_CRITERION_VERSION.replace("exigences: […]",
                                                                                                "exige: …"))
        if where[0] == "dossier" else NEW_EVENT_VERSION if where[0] == "evenements" else NEW_TERRITORY_VERSION if where[1] == "territoires"
        else NEW_UNIT if where[1] == "unites_de_duree" else NEW_CONVENTIONS_VERSION)
    male = whose.startswith("le ")
    yield Issue(json_path(where + (changed,)), f"{whose} a été modifié{'' if male else 'e'} "
                f"({_what(changed, old.data, new.data)}) : {'il' if male else 'elle'} s'applique aux faits déjà "
                f"datés, qui changeraient de verdict ; {instead} ; ou, s'il s'agit d'une erreur, marquez-"
                f"{'le' if male else 'la'} comme une correction avec sa raison (correction: {{motif: \"…\"}}), ou "
                f"comme rétroacti{'f' if male else 've'} (retroactif: {{motif: \"…\"}})", new.file,
                new.line(*_changed_path(changed, old.data, new.data)) or new.line())


def _versions(whose: str, where: tuple, old: Located, new: Located, keys: tuple[str, ...]) -> Iterator[Issue]:
    old_versions = _listed(old.data)
    new_versions = {str(entry.get("depuis")): (index, entry) for index, entry in enumerate(_listed(new.data))}
    last = max((str(entry.get("depuis")) for entry in old_versions), default=None)
    for entry in old_versions:
        day = str(entry.get("depuis"))
        found = new_versions.get(day)
        if found is None:
            yield Issue(json_path(where + ("versions",)), f"la version du {day_text(day)} {_of(whose)} "
                        f"a été retirée : les faits datés depuis le {day_text(day)} changeraient de "
                        "texte ; gardez-la, et ajoutez une nouvelle version datée", new.file, new.line("versions"))
            continue
        index, current = found
        if _text(current, keys) != _text(entry, keys) and not _newly(entry, current, "correction"):
            yield Issue(json_path(where + ("versions", index)), f"la version du {day_text(day)} "
                        f"{_of(whose)} a été modifiée : elle s'applique à des faits déjà datés ; ajoutez plutôt "
                        "une nouvelle version datée, ou marquez celle-ci comme une correction avec sa raison "
                        "(correction: {motif: \"…\"})", new.file, new.line("versions", index))
    for day, (index, current) in sorted(new_versions.items()):
        if last is not None and day not in {str(e.get("depuis")) for e in old_versions} and day < last \
                and not _motivated(current.get("correction")):
            yield Issue(json_path(where + ("versions", index, "depuis")), f"une version datée du "
                        f"{day_text(day)} est insérée avant celle du {day_text(last)} : elle change ce qui "
                        "s'appliquait entre ces dates ; datez-la après la dernière version, ou marquez-la comme une "
                        "correction avec sa raison (correction: {motif: \"…\"})", new.file,
                        new.line("versions", index, "depuis"))


def _what(key: str, old: dict, new: dict) -> str:
    if key == "quand":
        return "son déclencheur, ses conditions ou ses gardes"
    if key in RULE_EFFECTS:
        return f"son effet « {key} »"
    before, after = old.get(key), new.get(key)
    while isinstance(before, dict) and isinstance(after, dict):     # down to the part that changed
        part = next(k for k in sorted(set(before) | set(after), key=str) if before.get(k) != after.get(k))
        key, before, after = f"{key}.{part}", before.get(part), after.get(part)
    return f"{key} : {_shown(before)} → {_shown(after)}"


def _of(whose: str) -> str:
    """'le critère …' -> 'du critère …'; 'la règle …' -> 'de la règle …'."""
    return "du " + whose[3:] if whose.startswith("le ") else "de " + whose


def _changed_path(key: str, old: dict, new: dict) -> tuple:
    """The path, from `key` down through mappings, to the part that changed (for its line)."""
    path: tuple = (key,)
    before, after = old.get(key), new.get(key)
    while isinstance(before, dict) and isinstance(after, dict):
        part = next((k for k in sorted(set(before) | set(after), key=str) if before.get(k) != after.get(k)), None)
        if part is None or part not in after:
            break
        path, before, after = path + (part,), before.get(part), after.get(part)
    return path


def _shown(value: object) -> str:
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, list):
        return "[" + ", ".join(str(item) for item in value) + "]"
    if isinstance(value, dict):     # as written in the policy: {motif: …}
        return "{" + ", ".join(f"{key}: {_shown(item)}" for key, item in value.items()) + "}"
    return "absent" if value is None else str(value)


def _text(data: dict, keys: tuple[str, ...]) -> dict:
    return {key: data.get(key) for key in keys if key in data}


def _listed(data: dict) -> list[dict]:
    versions = data.get("versions")
    return [entry for entry in versions if isinstance(entry, dict)] if isinstance(versions, list) else []


def _motivated(mark: object) -> bool:
    return isinstance(mark, dict) and bool(str(mark.get("motif") or "").strip())


def _newly(old: dict, new: dict, key: str) -> bool:
    """A motivated mark written with this change (one left from an earlier change does not cover a new one)."""
    return _motivated(new.get(key)) and new.get(key) != old.get(key)
