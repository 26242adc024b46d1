"""What a schema cannot say about the event catalogue: `requis`, `requis_si` and `defauts` name declared attributes,
and a default or a `si` value is a valid value of its attribute; a type's amendments (`versions`) are dated in order,
never before their decision, and each names the attributes of its own text."""
from __future__ import annotations

from jsonschema import Draft202012Validator

from ...formats import FORMAT_CHECKER
from ...suggestions import did_you_mean
from ..files.schemas import schema_problem
from .rule_versions import dated_problems


def check_catalogue(policy: dict, context, sources):
    catalogue = policy["evenements"]
    for group in ("types", "derives"):
        for name, spec in catalogue.get(group, {}).items():
            where = ("evenements", group, name)
            yield from _event_type(spec, sources, where)
            yield from dated_problems(spec.get("versions") or [], f"du type d'événement '{name}'", sources, where)
            for number, text in enumerate(event_texts(spec)[1:]):
                yield from _event_type(text, sources, where + ("versions", number))


def event_texts(spec: dict) -> list[dict]:
    """An event type's first text, then each amendment in full (what it does not state: the text's before it)."""
    texts = [spec]
    for version in spec.get("versions") or []:
        texts.append({**texts[-1], **{key: version[key] for key in ("attributs", "requis", "requis_si", "defauts")
                                     if key in version}})
    return texts


def every_attribute(spec: dict) -> dict:
    """The attributes any text of an event type declares."""
    return {name: schema for text in event_texts(spec) for name, schema in (text.get("attributs") or {}).items()}


def _event_type(spec: dict, sources, where: tuple):
    attributes = spec.get("attributs", {})
    for index, name in enumerate(spec.get("requis", [])):
        if name not in attributes:
            yield sources.issue(where + ("requis", index),
                                f"attribut '{name}' non déclaré dans attributs{did_you_mean(name, attributes)}")
    for index, case in enumerate(spec.get("requis_si", [])):
        at = where + ("requis_si", index)
        for name, value in case["si"].items():
            yield from _value(attributes, name, value, sources, at + ("si", name))
        for position, name in enumerate(case["requis"]):
            if name not in attributes:
                yield sources.issue(at + ("requis", position), f"attribut '{name}' non déclaré dans "
                                                                       f"attributs{did_you_mean(name, attributes)}")
    for name, value in spec.get("defauts", {}).items():
        yield from _value(attributes, name, value, sources, where + ("defauts", name))


def _value(attributes: dict, name: str, value, sources, where: tuple):
    if name not in attributes:
        yield sources.issue(where, f"attribut '{name}' non déclaré dans attributs{did_you_mean(name, attributes)}")
        return
    if schema_problem(attributes[name]) is not None:
        return      # an attribute whose schema is broken is reported once, with its own line (files/schemas.py)
    error = next(Draft202012Validator(attributes[name], format_checker=FORMAT_CHECKER).iter_errors(value), None)
    if error is not None:
        yield sources.issue(where, f"{value!r} n'est pas une valeur valide de l'attribut '{name}' : {error.message}")
