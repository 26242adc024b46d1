"""The impact of a policy change as a board reads it, in French: per dossier what changes, then a summary."""
from __future__ import annotations

import re

from ..wording import amount, number, short_date

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ADDED_OR_GONE = {"action.ajoutee": "ajoutée", "action.retiree": "retirée", "frais.ajoute": "ajouté",
                 "frais.retire": "retiré", "constat.ajoute": "ajouté", "constat.retire": "retiré"}


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


def change_text(change: dict) -> str:
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
