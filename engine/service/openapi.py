"""The OpenAPI description, built on the project's JSON Schemas (one source of truth).

``schemas/facts.schema.json`` and ``schemas/verdict.schema.json`` become the components ``Faits`` and
``Verdict`` as they are on disk, with two mechanical changes: their ``$defs`` move to components of their own
(``Faits_<name>``) and the ``$ref`` pointing at them follow, because OpenAPI tools resolve ``#/...`` against the
whole description, not against each schema's ``$id``. The events of ``Faits`` are described by the catalogues of
the policies in service (``Faits_Evenement``, one schema per type). The service's own envelopes (request, decision,
problem) are written here, around those two.
"""
from __future__ import annotations

import copy
import json
from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from ..evaluation.facts import event_schema
from ..limits import MAX_BATCH_ITEMS, MAX_DEPTH, MAX_EVENTS, MAX_NUMBER_LENGTH, MAX_PROBLEMS, MAX_STRING_LENGTH
from .requests import BATCH_SCHEMA, DATE_SCHEMA, EVALUATION_SCHEMA

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


# what the server checks behind each custom format, said in terms every OpenAPI tool understands
_FORMAT_PATTERNS = {"date": DATE_SCHEMA["pattern"], "siren": "^(?!0{9})[0-9]{9}$", "siret": "^(?!0{9})[0-9]{14}$"}
_FORMAT_NOTES = {"siren": "9 chiffres, clé de Luhn ; 000000000 refusé : il passe la clé mais n'est le SIREN "
                          "d'aucune entreprise",
                 "siret": "14 chiffres, clé de Luhn (règle de La Poste pour ses établissements), commençant par le SIREN "
                          "(jamais 000000000)",
                 "date": "AAAA-MM-JJ, un jour du calendrier"}


def _rewrite(node, owner: str):
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                out[key] = _target(value, owner)
            else:
                out[key] = _rewrite(value, owner)
        if out.get("format") in _FORMAT_PATTERNS:
            out.setdefault("pattern", _FORMAT_PATTERNS[out["format"]])
            out.setdefault("description", _FORMAT_NOTES[out["format"]])
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
            "maxItems": MAX_PROBLEMS,
        },
        "erreurs_non_listees": {"type": "integer", "minimum": 1,
                                "description": f"au moins ce nombre de problèmes au-delà des {MAX_PROBLEMS} "
                                               "listés : la vérification s'arrête là"},
    },
}


def _events(policies) -> dict:
    """Each event type the policies in service accept, as the engine checks it: the type, a date, the type's
    attributes (no others), those it requires and those it requires when others have given values (requis_si).
    An event type two policies define differently appears twice."""
    schemas = []
    for policy in policies:
        for name, spec in policy.event_types.items():
            schema = {"title": name, **event_schema(name, spec)}
            schema["properties"] = {**schema["properties"], "date": {**DATE_SCHEMA, "format": "date"}}
            if schema not in schemas:
                schemas.append(schema)
    return {"anyOf": [_rewrite(schema, "Faits") for schema in schemas],
            "description": "un événement du catalogue des politiques en service (evenements.yaml)"}


def service_components(schemas_dir: Path, policies=(), max_batch: int = MAX_BATCH_ITEMS) -> dict:
    components = project_components(schemas_dir)
    if policies:
        components["Faits_Evenement"] = _events(policies)
        events = components["Faits"]["properties"]["evenements"]
        components["Faits"]["properties"]["evenements"] = {**events, "items": _ref("Faits_Evenement"),
                                                           "maxItems": MAX_EVENTS}
    components["Decision"] = _decision_schema(components["Verdict"])
    components["DemandeEvaluation"] = _with_facts_ref(EVALUATION_SCHEMA)
    # what the server enforces of a batch: an array of at most MAX_BATCH_ITEMS; each item is answered on its own,
    # a decision for a valid request, a problem in its place for anything else (the batch itself is not refused)
    # maxItems is the limit in force (--max-batch); beyond it the whole batch is refused with 413 (too large: a limit
    # of the service's resources, like the body's size, not a problem of one item)
    components["DemandeLot"] = {**BATCH_SCHEMA, "maxItems": max_batch,
                                "description": f"au plus {max_batch} demandes (--max-batch) ; au-delà, le lot entier "
                                               "est refusé par un 413 (lot trop grand), rien n'est évalué",
                                "items": {"anyOf": [
        _ref("DemandeEvaluation"),
        {"description": "toute autre valeur : la réponse porte un problème (422) à sa place"}]}}
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


LIMITS = f"""

Limites (au-delà, la requête est refusée avec un problème qui la nomme) :
- corps : `--max-body` (1 Mio par défaut), sinon 413 ; reçu en entier en `--body-timeout` s (30), sinon 408 ;
  l'en-tête d'une requête en `--header-timeout` s (10), sinon la connexion est fermée ;
- JSON lisible : pas de clé en double, ni NaN ni Infinity, nombres de {MAX_NUMBER_LENGTH} caractères au plus, imbrication de
  {MAX_DEPTH} niveaux au plus depuis la racine du corps, sinon 400 ;
- textes de {MAX_STRING_LENGTH} caractères au plus, en Unicode valide (pas de surrogate isolé), sinon 422 ;
- {MAX_EVENTS} événements par dossier, sinon 422 ; un lot de `--max-batch` demandes (100), sinon 413 ;
- listes des faits bornées par le schéma (`maxItems`, chaque borne dit pourquoi) : 4 domaines, 2 rôles, 3 modalités
  (chacun une fois), 2 000 intervenants, 1 000 établissements, 10 000 bénéficiaires, sinon 422 (une liste trop longue
  est le seul problème signalé) ;
- au plus {MAX_PROBLEMS} problèmes listés par document (`erreurs`) : la vérification s'arrête au-delà
  (`erreurs_non_listees` : au moins ce nombre de problèmes non listés) ;
- `--max-connections` connexions servies à la fois (1000), au-delà 503 ; 100 en-têtes par requête, sinon 431 ;
- les évaluations ne lisent que `Content-Type: application/json`, sinon 415 ; des jetons invalides répétés depuis
  une même adresse sont ralentis puis refusés (429, `Retry-After`).
Les dates (corps, faits, paramètres de requête) suivent une seule règle : AAAA-MM-JJ, un jour du calendrier."""


def install(app: FastAPI, schemas_dir: Path, policies, max_batch: int = MAX_BATCH_ITEMS) -> None:
    """Serve /openapi.json with the project's schemas as components and the event catalogue of the policies in
    service (``policies()`` gives them; built on first request, and again after a reload: ``app.openapi_schema =
    None``)."""

    def openapi() -> dict:
        if app.openapi_schema is None:
            description = get_openapi(title=app.title, version=app.version, description=app.description + LIMITS,
                                      routes=app.routes)
            description.setdefault("components", {}).setdefault("schemas", {}).update(
                service_components(schemas_dir, policies(), max_batch))
            app.openapi_schema = description
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's way to extend its description
