"""Texts of a policy that quote values (rule titles, finding and check messages, an avis's paragraphs), parsed once
when the policy loads into literal text and named placeholders, and filled by looking plain names up.

    "Prêt rendu le {date}, après le délai de {prets.duree}"   ->  "Prêt rendu le ", {date}, ", après …", {prets.duree}
    "Le CV de l'évaluateur {element[id]} n'est pas fourni"               ->  {element[id]}: the key `id` of `element`

A placeholder is a name (letters, digits, `_`, dotted parts) and at most one key in brackets; `{{` and `}}` write a
brace. Nothing else is read between braces: no attribute of an object, no index expression, no conversion, no format
spec. Filling never calls `str.format`: each placeholder is looked up in a mapping of plain values, so a text can
quote nothing but what the engine hands it.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass

_PLACEHOLDER = re.compile(r"([A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*)(?:\[([A-Za-z0-9_]+)\])?")


class TemplateError(ValueError):
    """A text whose braces do not hold a placeholder (the message says why, in French)."""


@dataclass(frozen=True)
class Placeholder:
    name: str
    key: str | None = None

    def __str__(self) -> str:
        return "{" + self.name + (f"[{self.key}]" if self.key is not None else "") + "}"


Part = str | Placeholder
Values = Mapping[str, object]


@dataclass(frozen=True)
class Template:
    text: str                      # as written in the policy
    parts: tuple[Part, ...]

    @classmethod
    def parse(cls, text: str) -> Template:
        """The template of a text; TemplateError when a brace opens something that is not a placeholder."""
        parts: list[Part] = []
        literal: list[str] = []
        index = 0
        while index < len(text):
            char = text[index]
            if char in "{}" and text[index + 1:index + 2] == char:
                literal.append(char)
                index += 2
                continue
            if char == "}":
                raise TemplateError(f"accolade fermante seule à la position {index + 1} (écrivez }}}} pour une accolade)")
            if char != "{":
                literal.append(char)
                index += 1
                continue
            end = text.find("}", index)
            inside = text[index + 1:end] if end != -1 else text[index + 1:]
            found = _PLACEHOLDER.fullmatch(inside) if end != -1 else None
            if found is None or "__" in inside:
                raise TemplateError(f"« {{{inside}{'}' if end != -1 else ''} » n'est pas une variable : entre accolades, "
                                    "seulement un nom (lettres, chiffres, _ et points), au plus une clé entre crochets "
                                    "({element[id]}) ; écrivez {{ et }} pour des accolades")
            if literal:
                parts.append("".join(literal))
                literal = []
            parts.append(Placeholder(found.group(1), found.group(2)))
            index = end + 1
        if literal:
            parts.append("".join(literal))
        return cls(text, tuple(parts))

    @property
    def placeholders(self) -> tuple[Placeholder, ...]:
        return tuple(part for part in self.parts if isinstance(part, Placeholder))

    def unknown(self, names: Collection[str], keyed: Collection[str] = ()) -> list[Placeholder]:
        """Placeholders naming nothing in `names`, or keyed although their name is not among `keyed`."""
        return [p for p in self.placeholders if p.name not in names or (p.key is not None and p.name not in keyed)]

    def fill(self, values: Values, missing: str | None = None) -> str:
        """The text with each placeholder's value: values[name] (or values[name][key]), as text. A name without a
        value gives `missing`, or stays as written when missing is None."""
        return self.render(lambda placeholder: _lookup(values, placeholder, missing))

    def render(self, value_of: Callable[[Placeholder], str | None]) -> str:
        """The text with each placeholder replaced by value_of(placeholder) (None: left as written)."""
        out = []
        for part in self.parts:
            if isinstance(part, str):
                out.append(part)
            else:
                value = value_of(part)
                out.append(str(part) if value is None else value)
        return "".join(out)


def _lookup(values: Values, placeholder: Placeholder, missing: str | None) -> str | None:
    if placeholder.name not in values:
        return missing
    value = values[placeholder.name]
    if placeholder.key is not None:
        value = value.get(placeholder.key, missing) if isinstance(value, Mapping) else missing
        if value is None:
            return None
    return value if isinstance(value, str) else str(value)
