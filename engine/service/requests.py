"""Reading a request body: size cap (413), JSON syntax (400), the evaluation envelope (422).

The envelope ``{"faits": {...}, "date": "YYYY-MM-DD"}`` is checked here; the facts inside it are checked by the
engine against ``schemas/facts.schema.json``. The envelope schemas below also describe the body in /openapi.json.
"""
from __future__ import annotations

import datetime as dt
import json

from fastapi import Request
from jsonschema import Draft202012Validator

from ..errors import Issue, json_path
from ..schema_messages import schema_message
from .problems import http_problem, invalid_request

EVALUATION_SCHEMA = {
    "title": "Demande d'évaluation",
    "type": "object",
    "required": ["faits"],
    "additionalProperties": False,
    "properties": {
        "faits": {"type": "object"},
        "date": {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$",
                 "description": "date d'évaluation ; par défaut, aujourd'hui à Paris"},
    },
}
BATCH_SCHEMA = {"title": "Lot de demandes d'évaluation", "type": "array", "items": EVALUATION_SCHEMA}

_EVALUATION = Draft202012Validator(EVALUATION_SCHEMA)


async def read_json(request: Request, limit: int):
    """The body as JSON, or a 413 / 400 problem. Stops reading as soon as the body passes ``limit``."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise _too_large(limit)
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise _too_large(limit)
    try:
        return json.loads(body.decode("utf-8"), parse_constant=_reject_constant)
    except UnicodeDecodeError as exc:
        raise http_problem(400, f"Le corps n'est pas du texte UTF-8 (octet {exc.start}).") from exc
    except json.JSONDecodeError as exc:
        raise http_problem(400, f"JSON invalide : {exc.msg} (ligne {exc.lineno}, colonne {exc.colno}).") from exc
    except ValueError as exc:
        raise http_problem(400, f"JSON invalide : {exc}.") from exc


def _reject_constant(name: str):
    raise ValueError(f"{name} n'est pas une valeur JSON")


def _too_large(limit: int):
    return http_problem(413, f"Le corps dépasse la taille maximale acceptée ({limit} octets).")


def evaluation_issues(item) -> list[Issue]:
    """Problems of one evaluation envelope, with JSON paths from the envelope's root."""
    issues = [Issue(json_path(error.absolute_path), schema_message(error)) for error in _EVALUATION.iter_errors(item)]
    if not issues and "date" in item:
        try:
            dt.date.fromisoformat(item["date"])
        except ValueError:
            issues.append(Issue("date", f"{item['date']!r} n'est pas une date du calendrier"))
    return issues


def evaluation_request(body) -> tuple[dict, str | None]:
    """(faits, date) of a single evaluation request, or a 422 problem."""
    issues = evaluation_issues(body)
    if issues:
        raise invalid_request(issues)
    return body["faits"], body.get("date")


def batch_request(body) -> list:
    """The items of a batch: a JSON array (each item is checked on its own, later), or a 422 problem."""
    if not isinstance(body, list):
        raise invalid_request([Issue("", "un lot est un tableau JSON de demandes d'évaluation")])
    return body
