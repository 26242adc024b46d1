"""Reading a request body: size cap (413), JSON syntax (400), the evaluation envelope (422).

The envelope ``{"faits": {...}, "date": "YYYY-MM-DD"}`` is checked here; the facts inside it are checked by the
engine against ``schemas/facts.schema.json``. The envelope schemas below also describe the body in /openapi.json.
"""
from __future__ import annotations

import asyncio
import datetime as dt
import re

from fastapi import Request
from jsonschema import Draft202012Validator

from ..documents import decode_text, parse_json
from ..errors import Issue, json_path
from ..formats import parse_day
from ..limits import BODY_TIMEOUT, MAX_BATCH_ITEMS
from ..schema_messages import schema_message, shown
from ..values import TOO_DEEP, value_issues
from .problems import Problem, http_problem, invalid_request

# the one date rule (formats.parse_day), as the OpenAPI description states it
DATE_SCHEMA = {"type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
               "description": "AAAA-MM-JJ, un jour du calendrier"}
EVALUATION_SCHEMA = {
    "title": "Demande d'évaluation",
    "type": "object",
    "required": ["faits"],
    "additionalProperties": False,
    "properties": {
        "faits": {"type": "object"},
        "date": {**DATE_SCHEMA, "description": "date d'évaluation ; par défaut, aujourd'hui à Paris"},
    },
}
BATCH_SCHEMA = {"title": "Lot de demandes d'évaluation", "type": "array", "items": EVALUATION_SCHEMA,
                "maxItems": MAX_BATCH_ITEMS}

_EVALUATION = Draft202012Validator(EVALUATION_SCHEMA)


async def read_json(request: Request, limit: int, timeout: float = BODY_TIMEOUT):
    """The body as plain bounded JSON, or a problem: 413 past ``limit`` (reading stops there), 408 when it takes
    longer than ``timeout`` to arrive, 400 when it is not JSON one can read safely (syntax, not UTF-8, duplicate
    keys, NaN, numbers too long, nesting deeper than MAX_DEPTH), 422 for strings too long or not Unicode text."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise _too_large(limit)
    body = bytearray()
    try:
        async with asyncio.timeout(timeout):
            async for chunk in request.stream():
                body += chunk
                if len(body) > limit:
                    raise _too_large(limit)
    except TimeoutError:
        raise http_problem(408, f"Le corps n'est pas arrivé en entier en {timeout:g} s.",
                           headers={"Connection": "close"}) from None
    text, issues = decode_text(bytes(body))
    if text is None:
        raise http_problem(400, f"Le corps n'est pas du texte UTF-8 : {issues[0].message}.")
    data, issues = parse_json(text, None)
    if not issues:
        issues, omitted = value_issues(data)
        if issues and not any(issue.message == TOO_DEEP for issue in issues):
            raise invalid_request(issues, omitted)
    if issues:
        raise Problem(400, "requete-mal-formee", "Requête mal formée", "Le corps n'est pas un JSON lisible.",
                      issues=[Issue(issue.path, issue.message, line=issue.line) for issue in issues])
    return data


def _too_large(limit: int):
    return http_problem(413, f"Le corps dépasse la taille maximale acceptée ({limit} octets).")


def query_date(text: str) -> dt.date:
    """A date given in a query string: the same rule as everywhere (formats.parse_day), or a 422 problem."""
    try:
        return parse_day(text)
    except ValueError as exc:
        raise invalid_request([Issue("date", f"{shown(text)} : {exc}")]) from None


_DATE_PATTERN = re.compile(DATE_SCHEMA["pattern"])
_ENVELOPE_KEYS = frozenset(("faits", "date"))    # EVALUATION_SCHEMA["properties"]


def _plain_envelope(item) -> bool:
    """What the envelope schema and the date rule accept, said without jsonschema (the common case): an object of
    `faits` (an object) and, optionally, `date` (a text the schema's pattern finds and a day of the calendar)."""
    if type(item) is not dict or type(item.get("faits")) is not dict or not item.keys() <= _ENVELOPE_KEYS:
        return False
    if "date" not in item:
        return True
    day = item["date"]
    if type(day) is not str or not _DATE_PATTERN.search(day):
        return False
    try:
        parse_day(day)
    except ValueError:
        return False
    return True


def evaluation_issues(item) -> list[Issue]:
    """Problems of one evaluation envelope, with JSON paths from the envelope's root."""
    if _plain_envelope(item):
        return []
    issues = [Issue(json_path(error.absolute_path), schema_message(error)) for error in _EVALUATION.iter_errors(item)]
    if not issues and "date" in item:
        try:
            parse_day(item["date"])
        except ValueError as exc:
            issues.append(Issue("date", f"{shown(item['date'])} : {exc}"))
    return issues


def evaluation_request(body) -> tuple[dict, str | None]:
    """(faits, date) of a single evaluation request, or a 422 problem."""
    issues = evaluation_issues(body)
    if issues:
        raise invalid_request(issues)
    return body["faits"], body.get("date")


def batch_request(body, max_items: int = MAX_BATCH_ITEMS) -> list:
    """The items of a batch: a JSON array of at most ``max_items`` (each item is checked on its own, later), or a
    422 (not an array) or 413 (too many items) problem."""
    if not isinstance(body, list):
        raise invalid_request([Issue("", "un lot est un tableau JSON de demandes d'évaluation")])
    if len(body) > max_items:
        raise Problem(413, "lot-trop-grand", "Lot trop grand",
                      f"Un lot contient au plus {max_items} demandes, celui-ci {len(body)} : découpez-le.")
    return body
