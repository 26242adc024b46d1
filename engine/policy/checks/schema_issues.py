"""A policy's schema errors as a board secretary can act on them: French, at the line of the key at fault.

An unknown key proposes the nearest known one ("clé inconnue 'valuers' — vouliez-vous dire 'valeurs' ?") and the
required key it was meant to be is then not reported missing; an amount written without quotes says how to quote it.
"""
from __future__ import annotations

import re

from ...schema_messages import schema_message
from ...suggestions import did_you_mean, nearest

VALUE_KEY = "valeur"


def schema_issues(errors, sources) -> list:
    """Issues for the jsonschema errors of an assembled policy (sources: turns a path into file:line)."""
    errors = list(errors)
    meant = {}       # (node path, missing key) covered by a close unknown key
    for error in errors:
        if error.validator == "additionalProperties":
            for key in _extra(error):
                close = nearest(key, _known(error.schema))
                if close is not None:
                    meant[(tuple(error.absolute_path), close)] = key
    issues = []
    for error in errors:
        path = tuple(error.absolute_path)
        if error.validator == "additionalProperties":
            known = _known(error.schema)
            issues += [sources.issue(path + (key,), f"clé inconnue '{key}'{did_you_mean(key, known)}")
                       for key in _extra(error)]
        elif error.validator == "required" and (path, _missing(error)) in meant:
            continue
        elif error.validator in ("oneOf", "anyOf") and any(
                (path, _missing(branch)) in meant for branch in error.context or () if branch.validator == "required"):
            continue      # "none of the forms": the key it was meant to be, already named
        elif error.validator == "type" and path[-1:] == (VALUE_KEY,) and isinstance(error.instance, float):
            issues.append(sources.issue(path, f"montant non entre guillemets : {error.instance!r} — écrivez "
                                        f'{VALUE_KEY}: "{error.instance:.2f}" (un montant s\'écrit entre guillemets, '
                                        "avec deux décimales)"))
        else:
            issues.append(sources.issue(path, message(error)))
    return issues


def message(error) -> str:
    """The French sentence for any other kind of schema error (engine/schema_messages.py)."""
    if error.validator == "required":
        return f"clé obligatoire manquante : '{_missing(error)}'"
    return schema_message(error)


def _known(schema) -> list:
    return sorted(schema.get("properties", {})) if isinstance(schema, dict) else []


def _extra(error) -> list:
    instance, known = error.instance, set(_known(error.schema))
    return [key for key in instance if key not in known] if isinstance(instance, dict) else []


def _missing(error) -> str | None:
    """The key a `required` error is about (jsonschema gives one error per missing key: "'x' is a required ...")."""
    match = re.match(r"^'([^']*)' is a required property", error.message)
    return match.group(1) if match else None
