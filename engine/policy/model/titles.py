"""Rule titles (and the messages of the findings rules raise) that quote a value take it from the parameter:
`{prets.duree}` in a title reads "21 jours" (the value in force on the day it is shown), so a board change never
leaves a stale title.

A text that writes such a value in clear ("dans un délai de 30 jours ouvrés") is refused when the policy loads.
"""
from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from datetime import date
from typing import Any

from ...suggestions import unknown
from .display import singular, value_text
from .parameters import Parameter
from .rules import Rule
from .templates import Placeholder, Template


def is_parameter(placeholder: Placeholder) -> bool:
    """A placeholder that names a parameter: dotted lowercase parts ({section.delai}), no key."""
    return placeholder.key is None and _PARAMETER.fullmatch(placeholder.name) is not None


_PARAMETER = re.compile(r"[a-z0-9_]+(?:\.[a-z0-9_]+)+")


def title_problems(rules: Sequence[Rule], parameters: Collection[str], units: dict, sources: Any) -> list:
    """Placeholders naming no parameter, and values quoted in clear, in the rules' titles and finding messages."""
    quoted = _quoted(units)
    problems = []
    for index, rule in enumerate(rules):
        texts: list[tuple[tuple, Template]] = [(("regles", index, "titre"), rule.title)]
        if rule.finding is not None and rule.finding.message is not None:
            texts.append((("regles", index, "constat", "message"), rule.finding.message))
        for where, template in texts:
            for placeholder in template.placeholders:
                if is_parameter(placeholder) and placeholder.name not in parameters:
                    problems.append(sources.issue(where, unknown("le texte cite un paramètre inconnu", str(placeholder),
                                                                 [f"{{{p}}}" for p in parameters])))
            found = quoted.search(template.render(lambda p: "" if is_parameter(p) else None)) if quoted else None
            if found:
                own = rule.parameters() or ["<paramètre>"]
                problems.append(sources.issue(where, f"le texte écrit « {found.group(0)} » en clair : il serait faux dès "
                                              "que la valeur change ; écrivez à sa place "
                                              f"{' ou '.join('{' + name + '}' for name in own)}, remplacé par la "
                                              "valeur en vigueur"))
    return problems


def parameter_value(placeholder: Placeholder, parameters: Mapping[str, Parameter], units: dict,
                    day: date) -> str | None:
    """A placeholder's text when it names a parameter: its value in force on day, with its unit (else None)."""
    parameter = parameters.get(placeholder.name) if is_parameter(placeholder) else None
    return value_text(parameter.at(day), parameter.unit, units) if parameter is not None else None


def render_title(title: Template, parameters: Mapping[str, Parameter], units: dict, day: date) -> str:
    """The title with each {parameter} replaced by its value in force on day, with its unit."""
    return title.render(lambda placeholder: parameter_value(placeholder, parameters, units, day))


def _quoted(units: dict) -> re.Pattern | None:
    """A pattern for a number followed by a unit's title ('10 jours ouvrés', '1 an', '12 € HT')."""
    words = sorted({form for spec in units.values() for form in (spec["titre"], singular(spec["titre"]))},
                   key=len, reverse=True)
    if not words:
        return None
    return re.compile(r"\b\d+(?:[.,]\d+)?\s*(?:" + "|".join(re.escape(word) for word in words) + r")(?!\w)")
