"""The OpenAPI description, built on the project's JSON Schemas (one source of truth).

``schemas/facts.schema.json`` and ``schemas/verdict.schema.json`` become the components ``Faits`` and
``Verdict`` as they are on disk, with two mechanical changes: their ``$defs`` move to components of their own
(``Faits_<name>``) and the ``$ref`` pointing at them follow, because OpenAPI tools resolve ``#/...`` against the
whole description, not against each schema's ``$id``. The service's own envelopes (request, decision, problem)
are written here, around those two.
"""
from __future__ import annotations

import copy
import json
from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from .requests import BATCH_SCHEMA, EVALUATION_SCHEMA

SOURCES = {"Faits": "facts.schema.json", "Verdict": "verdict.schema.json"}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def project_components(schemas_dir: Path) -> dict:
    """The project's schemas as OpenAPI components: {'Faits': ..., 'Faits_<def>': ..., 'Verdict': ...}."""
    components: dict = {}
    for name, filename in SOURCES.items():
        schema = json.loads((schemas_dir / filename).read_text(encoding="utf-8"))
        components.update(_hoist(name, schema))
    return components


def _hoist(name: str, schema: dict) -> dict:
    schema = copy.deepcopy(schema)
    schema.pop("$schema", None)
    schema.pop("$id", None)
    definitions = schema.pop("$defs", {})
    out = {name: _rewrite(schema, name)}
    for def_name, definition in definitions.items():
        out[f"{name}_{def_name}"] = _rewrite(definition, name)
    return out


def _rewrite(node, owner: str):
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                out[key] = _target(value, owner)
            else:
                out[key] = _rewrite(value, owner)
        return out
    if isinstance(node, list):
        return [_rewrite(item, owner) for item in node]
    return node


def _target(ref: str, owner: str) -> str:
    if ref == "#":
        return f"#/components/schemas/{owner}"
    if ref.startswith("#/$defs/") and "/" not in ref[len("#/$defs/"):]:
        return f"#/components/schemas/{owner}_{ref[len('#/$defs/'):]}"
    raise ValueError(f"{owner}: cannot translate $ref {ref!r} into an OpenAPI component reference")


def _decision_schema(verdict: dict) -> dict:
    """A decision is a verdict plus its decision_id: the verdict schema with one more required property."""
    decision = copy.deepcopy(verdict)
    decision["title"] = "Décision : le verdict du contrat et son identifiant dans le journal"
    decision["properties"] = {"decision_id": {"type": "string", "format": "uuid",
                                              "description": "identifiant de la décision dans le journal"},
                              **decision.get("properties", {})}
    decision["required"] = ["decision_id", *decision.get("required", [])]
    return decision


PROBLEM_SCHEMA = {
    "title": "Problème (RFC 9457), servi en application/problem+json",
    "type": "object",
    "required": ["type", "title", "status"],
    "properties": {
        "type": {"type": "string", "format": "uri-reference"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "erreurs": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["chemin", "message"],
                "properties": {"chemin": {"type": "string", "description": "chemin JSON dans le corps (ou le fichier)"},
                               "message": {"type": "string"},
                               "fichier": {"type": "string"}, "ligne": {"type": "integer"}},
            },
        },
    },
}


def service_components(schemas_dir: Path) -> dict:
    components = project_components(schemas_dir)
    components["Decision"] = _decision_schema(components["Verdict"])
    components["DemandeEvaluation"] = _with_facts_ref(EVALUATION_SCHEMA)
    components["DemandeLot"] = {**BATCH_SCHEMA, "items": _ref("DemandeEvaluation")}
    components["ResultatLot"] = {"type": "array", "description": "dans l'ordre de la demande",
                                 "items": {"oneOf": [_ref("Decision"), _ref("Probleme")]}}
    components["Probleme"] = PROBLEM_SCHEMA
    return components


def _with_facts_ref(envelope: dict) -> dict:
    out = copy.deepcopy(envelope)
    out["properties"]["faits"] = _ref("Faits")
    return out


def json_body(name: str) -> dict:
    return {"application/json": {"schema": _ref(name)}}


def problems(*statuses: int) -> dict:
    return {str(status): {"description": "problème", "content": {"application/problem+json": {"schema": _ref("Probleme")}}}
            for status in statuses}


def install(app: FastAPI, schemas_dir: Path) -> None:
    """Serve /openapi.json with the project's schemas as components (built once, on first request)."""

    def openapi() -> dict:
        if app.openapi_schema is None:
            description = get_openapi(title=app.title, version=app.version, description=app.description,
                                      routes=app.routes)
            description.setdefault("components", {}).setdefault("schemas", {}).update(
                service_components(schemas_dir))
            app.openapi_schema = description
        return app.openapi_schema

    app.openapi = openapi
