"""Rule titles (and the messages of the findings rules raise) that quote a value take it from the parameter:
`{prets.duree}` in a title reads "21 jours" (the value in force on the day it is shown), so a board change never
leaves a stale title.

A text that writes such a value in clear ("dans un délai de 30 jours ouvrés") is refused when the policy loads.
"""
from __future__ import annotations

import re

from .display import singular, value_text
from ...suggestions import unknown

PLACEHOLDER = re.compile(r"\{([a-z0-9_]+(?:\.[a-z0-9_]+)+)\}")


def title_problems(policy: dict, parameters: dict, units: dict, sources) -> list:
    """Placeholders naming no parameter, and values quoted in clear, in the rules' titles and finding messages."""
    quoted = _quoted(units)
    problems = []
    for index, rule in enumerate(policy["regles"]):
        texts = [(("regles", index, "titre"), rule["titre"])]
        if isinstance(rule.get("constat"), dict) and rule["constat"].get("message"):
            texts.append((("regles", index, "constat", "message"), rule["constat"]["message"]))
        for where, text in texts:
            for name in PLACEHOLDER.findall(text):
                if name not in parameters:
                    problems.append(sources.issue(where, unknown("le texte cite un paramètre inconnu", "{" + name + "}",
                                                                 [f"{{{p}}}" for p in parameters])))
            found = quoted.search(PLACEHOLDER.sub("", text)) if quoted else None
            if found:
                own = _parameters_of(rule) or ["<paramètre>"]
                problems.append(sources.issue(where, f"le texte écrit « {found.group(0)} » en clair : il serait faux dès "
                                              "que la valeur change ; écrivez à sa place "
                                              f"{' ou '.join('{' + name + '}' for name in own)}, remplacé par la "
                                              "valeur en vigueur"))
    return problems


def render_title(title: str, parameters: dict, units: dict, day) -> str:
    """The title with each {parameter} replaced by its value in force on day, with its unit."""
    def value(match):
        parameter = parameters.get(match.group(1))
        return value_text(parameter.at(day), parameter.unit, units) if parameter is not None else match.group(0)
    return PLACEHOLDER.sub(value, title)


def _quoted(units: dict):
    """A pattern for a number followed by a unit's title ('10 jours ouvrés', '1 an', '12 € HT')."""
    words = sorted({form for spec in units.values() for form in (spec["titre"], singular(spec["titre"]))},
                   key=len, reverse=True)
    if not words:
        return None
    return re.compile(r"\b\d+(?:[.,]\d+)?\s*(?:" + "|".join(re.escape(word) for word in words) + r")(?!\w)")


def _parameters_of(rule: dict) -> list[str]:
    """The parameters a rule itself reads (its delay, its amount), to propose as placeholders."""
    found = []
    for effect in ("action", "frais", "statut", "emettre"):
        spec = rule.get(effect) or {}
        found += [(spec.get("echeance") or {}).get("delai"), (spec.get("montant") or {}).get("parametre")]
        since = spec.get("a_compter_de")
        found.append(since.get("delai") if isinstance(since, dict) else None)
    found.append((rule["quand"].get("apres") or {}).get("dans"))
    return [name for name in dict.fromkeys(found) if name]
