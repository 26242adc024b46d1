"""What an extension may not do even through what its base lets it replace (its own rules and delays): restrict a
right the base opens to a party, or make one party answer for another's delay. Additive in effect, not only in name.

  - a right (a base action of nature `faculte`, e.g. a party's recourse) keeps its trigger, its action and how it
    is exercised, and its delay is never shorter than the base's on any date — the delay in force by date, whether
    the extension replaces the rule or gives its own dated values to the delay's parameter;
  - a finding raised when a party not judged by the verdict (an actor outside `conformite.acteurs`, e.g. the
    Instance) is late on its own duty never has a severity that makes the verdict non conforming
    (`conformite.gravites`): the party judged would answer for a delay that is not its own.
Each problem cites the extension's article and the rule's, at the line of the overlay that wrote it.
"""
from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from ...errors import Issue
from ..model.display import day_text
from ..model.parameters import dated_values, flatten_tree
from ..model.policy import Policy
from ..model.vocabulary import RULE_EFFECTS

RIGHT = "faculte"


def rights_and_blame(base: Policy, merged: dict, sources, article: str | None) -> list[Issue]:
    """Every right of the base an extension's merged policy restricts, and every finding on the party judged for the
    delay of another."""
    rules = _listing(merged.get("regles"))
    after = {rule["id"]: (index, rule) for index, rule in enumerate(rules)
             if isinstance(rule, dict) and isinstance(rule.get("id"), str)}    # the schema tells the others
    before = {rule["id"]: rule for rule in base.raw["regles"]}
    context = _Context(base, merged, sources, article)
    issues: list[Issue] = []
    for rule_id, old in before.items():
        action = old.get("action")
        if isinstance(action, dict) and action.get("nature") == RIGHT and rule_id in after:
            issues += context.right(old, *after[rule_id])
    for rule_id, (index, rule) in after.items():
        if before.get(rule_id) != rule:         # the extension's own rule, added or replacing the base's
            issues += context.blame(rule, index)
    return issues


class _Context:
    def __init__(self, base: Policy, merged: dict, sources, article: str | None):
        self.base, self.sources = base, sources
        self.article = article
        tree = merged.get("parametres")
        self.parameters = {".".join(path): node for path, node in flatten_tree(tree).items()} \
            if isinstance(tree, dict) else {}
        calendar = _mapping(merged.get("calendrier"))
        self.actors = _mapping(calendar.get("acteurs"))
        self.findings = _mapping(merged.get("constats"))
        self.judged = base.head.conformity.actors          # an extension never changes them (its politique.yaml)
        self.severities = base.head.conformity.severities

    def cite(self, rule: dict) -> str:
        parts = [part for part in (self.article, rule.get("article")) if part]
        return f" ({', '.join(dict.fromkeys(str(part) for part in parts))})" if parts else ""

    def right(self, old: dict, index: int, new: dict) -> Iterator[Issue]:
        action = old["action"]
        name = (f"le droit '{action.get('id')}' que la base ouvre {_to(self.actor(action.get('acteur')))} (règle "
                f"'{old['id']}'{_cited(old)})")
        why = f"une extension ajoute à sa base, elle ne restreint pas un droit qu'elle ouvre à une partie{self.cite(old)}"
        replaced = new.get("action")
        if not isinstance(replaced, dict):
            effect = next((key for key in RULE_EFFECTS if key in new), None)
            yield self.sources.issue(("regles", index), f"remplace {name} par un effet « {effect} » : le droit "
                                     f"disparaît ; {why} ; gardez son action")
            return
        changed: list[tuple[tuple, str, str]] = [(("regles", index, "quand"), "quand", "quand il s'ouvre")] if old.get("quand") != new.get("quand") \
            else []
        if action.get("accomplie_par") != replaced.get("accomplie_par"):
            changed.append((("regles", index, "action", "accomplie_par"), "accomplie_par", "comment il s'exerce"))
        for at, key, what in changed:
            yield self.sources.issue(at, f"change {what} ({key}) pour {name} : il pourrait ne plus s'ouvrir ou ne "
                                     f"plus pouvoir s'exercer ; {why} ; gardez {key} de la base")
        if replaced.get("id") != action.get("id"):
            yield self.sources.issue(("regles", index, "action", "id"), f"remplace {name} par l'action "
                                     f"'{replaced.get('id')}' : les règles qui suivent son exercice ne le verraient plus ; "
                                     f"{why} ; gardez id: {action.get('id')}")
        shorter = self.shorter(action, replaced)
        if shorter is not None:
            path, text = shorter
            yield self.sources.issue(path if path[0] == "parametres" else ("regles", index, "action") + path,
                                     f"raccourcit {name} : {text} ; {why}")

    def shorter(self, old: dict, new: dict) -> tuple[tuple, str] | None:
        """The first date the new delay is shorter than the base's, with where it was written."""
        old_deadline = _mapping(old.get("echeance"))
        new_deadline = _mapping(new.get("echeance"))
        if new_deadline.get("sans_delai") or not isinstance(old_deadline.get("delai"), str):
            return None
        base_id, own_id = old_deadline["delai"], new_deadline.get("delai")
        base_parameter = self.base.parameters.get(base_id)
        if base_parameter is None:
            return None
        if not isinstance(own_id, str) or own_id not in self.parameters:
            return ("echeance",), (f"le délai de {base_id} disparaît (l'échéance tomberait le jour même) ; gardez "
                                   f"echeance: {{delai: {base_id}}}")
        node = self.parameters[own_id]
        unit = node.get("unite", base_parameter.unit)
        if unit != base_parameter.unit:
            return ("echeance", "delai"), (f"son délai passe de {base_parameter.unit} en {unit} : on ne peut plus "
                                           f"le comparer à celui de la base ; gardez un délai en {base_parameter.unit}")
        own = sorted(((str(entry.get("depuis")), entry.get("valeur")) for entry in dated_values(node)),
                     key=lambda item: item[0])
        for day in sorted({value.since.isoformat() for value in base_parameter.values} | {day for day, _ in own}):
            floor = base_parameter.at(date.fromisoformat(day))
            mine = next((value for since, value in reversed(own) if since <= day), None)
            if isinstance(floor, int) and (not isinstance(mine, int) or mine < floor):
                where = ("echeance", "delai") if own_id != base_id else ("parametres", *own_id.split("."), "valeurs")
                title = self.base.labels.duration_unit(str(unit))
                return where, (f"{mine if mine is not None else 'aucun délai'} {title} au lieu de {floor} à partir du "
                               f"{day_text(day)} ({own_id}) ; gardez un délai d'au moins {floor} {title}")
        return None

    def blame(self, rule: dict, index: int) -> Iterator[Issue]:
        action = _mapping(rule.get("action"))
        late = _mapping(action.get("si_en_retard"))
        if not late or action.get("acteur") in self.judged:
            return
        finding = _mapping(self.findings.get(late.get("constat")))
        grave = [str(severity) for severity in [finding.get("gravite")] + [
            version.get("gravite") for version in finding.get("versions") or [] if isinstance(version, dict)]
            if severity in self.severities]
        if grave:
            judged = " ou ".join(_of(self.actor(actor)) for actor in self.judged)
            late_party = _of(self.actor(action.get("acteur")))
            yield self.sources.issue(("regles", index, "action", "si_en_retard", "constat"), (
                f"la règle '{rule.get('id')}'{_cited(rule)} fait du retard {late_party} sur sa propre diligence "
                f"'{action.get('id')}' le constat '{late.get('constat')}', de gravité {grave[0]}, qui rend le verdict "
                f"non conforme : seul le retard {judged} rend un dossier non conforme, le retard {late_party} se "
                f"constate sans en charger une autre partie{self.cite(rule)} ; constatez-le par un constat d'une "
                f"autre gravité (pas {', '.join(self.severities)})"))

    def actor(self, actor: object) -> str:
        spec = self.actors.get(actor) if isinstance(actor, str) else None
        return str(spec["titre"]) if isinstance(spec, dict) and spec.get("titre") else f"'{actor}'"


def _mapping(value: object) -> dict:
    return value if isinstance(value, dict) else {}


def _listing(value: object) -> list:
    return value if isinstance(value, list) else []


def _of(who: str) -> str:
    """'le candidat' -> 'du candidat', "l'Instance" -> "de l'Instance"."""
    return "du " + who[3:] if who.startswith("le ") else "des " + who[4:] if who.startswith("les ") else "de " + who


def _to(who: str) -> str:
    """'le candidat' -> 'au candidat', "l'organisme" -> "à l'organisme"."""
    return "au " + who[3:] if who.startswith("le ") else "aux " + who[4:] if who.startswith("les ") else "à " + who


def _cited(spec: dict) -> str:
    return f" [{spec['article']}]" if spec.get("article") else ""
