"""The impact of a policy change as a board reads it, in French: per dossier what changes, then a summary.
Given the policy, an action, a fee, a finding, a criterion, an event and a status are named by the policy's titles
(the pages); without it, by their identifiers (`clea policy impact`'s text, which names what the files hold)."""
from __future__ import annotations

import re

from ..policy import Policy
from ..wording import amount, number, short_date

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ADDED_OR_GONE = {"action.ajoutee": "ajoutée", "action.retiree": "retirée", "frais.ajoute": "ajouté",
                 "frais.retire": "retiré", "constat.ajoute": "ajouté", "constat.retire": "retiré"}


# How a person reads the kind of a change (the impact's `par_type` keys); a period's keys are `<period>.<key>`.
KINDS = {"statut": "statut", "action.ajoutee": "action ajoutée", "action.retiree": "action retirée",
         "action.echeance": "échéance d'une action", "action.etat": "état d'une action",
         "action.accomplie_le": "date où une action est accomplie", "action.dans_les_delais": "action dans les délais",
         "frais.ajoute": "frais ajoutés", "frais.retire": "frais retirés", "frais.montant": "montant de frais",
         "constat.ajoute": "constat ajouté", "constat.retire": "constat retiré", "critere.satisfait": "critère satisfait",
         "conforme": "conformité", "avis_propose.sens": "sens de l'avis proposé", "validite": "validité des faits"}
PERIOD_KEYS = {"debut": "début", "fin": "fin", "renouvelee": "renouvelée"}
STATES = {"accomplie": "accomplie", "a_faire": "à faire", "en_retard": "en retard", "echue": "échue"}


def kind_text(kind: str) -> str:
    """'action.echeance' -> "échéance d'une action"; '<period>.fin' -> '<period> : fin'."""
    if kind in KINDS:
        return KINDS[kind]
    head, _, key = kind.partition(".")
    return f"{head} : {PERIOD_KEYS.get(key, key)}" if key else kind


def _named(change: dict, policy: Policy) -> str:
    """What the change is about, in the policy's words."""
    family = change["type"].partition(".")[0]
    labels = policy.labels
    if family == "action":
        since = change["depuis"]
        rule = next((r for r in policy.rules if r.action is not None and r.action.id == change["id"]), None)
        title = labels.rule(rule.id, since["date"]) if rule is not None else change["id"]
        return f"« {title} » (depuis : {labels.event(since['evenement'])} du {_value(since['date'])})"
    if family == "frais":
        rule = next((r for r in policy.rules if r.fee is not None and r.fee.id == change["id"]), None)
        title = policy.parameters[rule.fee.amount.parameter].title if rule is not None and rule.fee else change["id"]
        return f"frais « {title} » dus le {_value(change['echeance'])}"
    if family == "constat":
        return f"constat « {labels.finding(change['id'])} »"
    criteria = policy.dossier.criteria if policy.dossier is not None else ()
    title = next((c.title for c in criteria if c.id == change["id"]), change["id"])
    return f"critère « {title} »"


def _value(value, unit: str | None = None) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "oui" if value else "non"
    if unit is not None:
        return amount(value, unit)
    return short_date(value) if _ISO.match(str(value)) else str(value)


def _subject(change: dict) -> str:
    kind = change["type"]
    family, _, detail = kind.partition(".")
    if family == "action":
        since = change["depuis"]
        what = f"action {change['id']} (depuis {since['evenement']} du {_value(since['date'])})"
        return what if kind in ADDED_OR_GONE else f"{what}, {detail}"
    if family == "frais":
        return f"frais {change['id']} dû le {_value(change['echeance'])}"
    if family == "constat":
        return f"constat {change['id']}"
    if family == "critere":
        return f"critère {change['id']} satisfait"
    if kind == "validite":
        return "faits"
    return kind


def change_text(change: dict, policy: Policy | None = None) -> str:
    """One change; with the policy, as a person reads it (see the module's docstring)."""
    if policy is not None:
        return _worded(change, policy)
    kind = change["type"]
    unit = change.get("unite")
    if kind in ADDED_OR_GONE and not kind.startswith("constat"):
        shown = change["apres"] if kind in ("action.ajoutee", "frais.ajoute") else change["avant"]
        return f"{_subject(change)} : {ADDED_OR_GONE[kind]} ({_value(shown, unit)})"
    if kind.startswith("constat"):
        return f"{_subject(change)} : {ADDED_OR_GONE[kind]} ({change['avant']} → {change['apres']})"
    text = f"{_subject(change)} : {_value(change['avant'], unit)} → {_value(change['apres'], unit)}"
    if kind == "validite":
        text += " (" + "; ".join(f"{e['chemin']}: {e['message']}" for e in change["erreurs"]) + ")"
    return text


def _worded(change: dict, policy: Policy) -> str:
    kind, unit = change["type"], change.get("unite")
    family = kind.partition(".")[0]
    before, after = change["avant"], change["apres"]
    if kind == "statut":
        return f"statut : {policy.labels.status(before)} → {policy.labels.status(after)}"
    if kind == "action.etat":
        before, after = STATES.get(before, before), STATES.get(after, after)
    if kind in ADDED_OR_GONE:
        shown = f"{before} → {after}" if family == "constat" else _value(after if after is not None else before, unit)
        return f"{_named(change, policy)} : {ADDED_OR_GONE[kind]} ({shown})"
    if family in ("action", "frais", "critere"):
        return f"{_named(change, policy)}, {kind_text(kind)} : {_value(before, unit)} → {_value(after, unit)}"
    if kind == "avis_propose.sens":
        avis = policy.dossier.avis if policy.dossier is not None else None
        before, after = ((avis.words.sense(v) if avis and v else v) for v in (before, after))
    text = f"{kind_text(kind)} : {_value(before, unit)} → {_value(after, unit)}"
    if kind == "validite":
        text += " (" + "; ".join(f"{e['chemin']}: {e['message']}" for e in change["erreurs"]) + ")"
    return text


def dossier_text(record: dict) -> str:
    """One dossier that changes (or gives no verdict), as a few lines."""
    if "changements" not in record:
        label = "faits invalides sous les deux versions" if record["nature"] == "invalide" else "erreur interne"
        problems = "; ".join(f"{e['chemin']}: {e['message']}" for e in record["erreurs"])
        return f"ligne {record['ligne']} — {label} : {problems}\n"
    who = " ".join(str(part) for part in (record.get("siren"), record.get("denomination")) if part)
    lines = [f"ligne {record['ligne']} — {who}"]
    lines += [f"  {change_text(change)}" for change in record["changements"]]
    return "\n".join(lines) + "\n"


def summary_text(summary: dict, old: str, new: str, day: str) -> str:
    lines = [f"Impact de {old} → {new}, au {_value(day)} : {number(summary['dossiers'])} dossiers évalués",
             f"  {number(summary['changes'])} dossiers changent, {number(summary['inchanges'])} inchangés, "
             f"{number(summary['invalides'])} invalides sous les deux versions"
             + (f", {number(summary['erreurs_internes'])} en erreur interne" if summary["erreurs_internes"] else "")]
    if summary["par_type"]:
        width = max(len(kind) for kind in summary["par_type"])
        lines.append(f"  {'changement':<{width}}  {'dossiers':>9}  {'changements':>11}")
        for kind, counts in summary["par_type"].items():
            lines.append(f"  {kind:<{width}}  {number(counts['dossiers']):>9}  {number(counts['changements']):>11}")
    return "\n".join(lines) + "\n"
