"""/openapi.json describes bodies with the project's own JSON Schemas, and real answers match it."""
import json
import re

from jsonschema import Draft202012Validator

from engine import schemas_dir

from .conftest import scenario


def load(name: str) -> dict:
    return json.loads((schemas_dir() / name).read_text(encoding="utf-8"))


def refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from refs(item)


def validator_for(description: dict, component: str) -> Draft202012Validator:
    """A validator for one component, resolving #/components/... against the whole description."""
    return Draft202012Validator({"$ref": f"#/components/schemas/{component}", "components": description["components"]})


def test_components_are_the_project_schemas(server):
    with server.client() as client:
        description = client.get("/openapi.json").json()
    components = description["components"]["schemas"]
    facts = load("facts.schema.json")
    served = components["Faits"]
    assert {k: v for k, v in served.items() if k != "properties"} == \
        {k: v for k, v in facts.items() if k not in ("$schema", "$id", "properties")}
    assert set(served["properties"]) == set(facts["properties"])
    assert served["properties"]["instance"] == facts["properties"]["instance"]
    verdict = load("verdict.schema.json")
    assert set(components["Verdict"]["properties"]) == set(verdict["properties"])
    assert components["Verdict"]["required"] == verdict["required"]
    for name in verdict.get("$defs", {}):
        assert f"Verdict_{name}" in components
    assert set(components["Decision"]["properties"]) == {"decision_id", *verdict["properties"]}
    for ref in refs(description):
        assert ref.startswith("#/components/schemas/") and ref.rsplit("/", 1)[1] in components, ref


def test_operations_reference_them(server):
    with server.client() as client:
        description = client.get("/openapi.json").json()
    evaluation = description["paths"]["/v1/evaluations"]["post"]
    assert evaluation["requestBody"]["content"]["application/json"]["schema"] == \
        {"$ref": "#/components/schemas/DemandeEvaluation"}
    assert description["components"]["schemas"]["DemandeEvaluation"]["properties"]["faits"] == \
        {"$ref": "#/components/schemas/Faits"}
    assert evaluation["responses"]["200"]["content"]["application/json"]["schema"] == \
        {"$ref": "#/components/schemas/Decision"}
    assert "application/problem+json" in evaluation["responses"]["422"]["content"]
    batch = description["paths"]["/v1/evaluations/batch"]["post"]
    assert batch["requestBody"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/DemandeLot"}
    assert {"/v1/policies", "/v1/policies/{policy_id}/parameters", "/v1/policies/reload", "/v1/health"} <= \
        set(description["paths"])


def test_real_answers_match_the_description(server):
    case = scenario("p01")
    with server.client() as client:
        description = client.get("/openapi.json").json()
        request = {"faits": case["faits"], "date": case["date"]}
        validator_for(description, "DemandeEvaluation").validate(request)
        decision = client.post("/v1/evaluations", json=request).json()
        problem = client.post("/v1/evaluations", json={"faits": {"instance": "certifpro"}}).json()
        batch = client.post("/v1/evaluations/batch", json=[request, {"faits": {}}]).json()
    validator_for(description, "Decision").validate(decision)
    validator_for(description, "Probleme").validate(problem)
    validator_for(description, "ResultatLot").validate(batch)


def test_it_says_what_the_server_enforces(server):
    """Patterns behind the custom formats, the policies' event catalogue, the limits: one description of the truth."""
    with server.client() as client:
        description = client.get("/openapi.json").json()
    components = description["components"]["schemas"]
    siren = components["Faits"]["properties"]["organisme"]["properties"]["siren"]
    assert siren["format"] == "siren" and siren["pattern"] == "^(?!0{9})[0-9]{9}$"     # nine zeros: no company
    assert re.fullmatch(siren["pattern"].strip("^$"), "732829320") and not re.fullmatch(siren["pattern"].strip("^$"),
                                                                                         "000000000")
    intervenant = components["Faits"]["properties"]["organisme"]["properties"]["intervenants"]
    assert intervenant["maxItems"] == 2000
    domaines = components["Faits_Intervenant"]["properties"]["domaines"] if "Faits_Intervenant" in components else \
        intervenant["items"]["properties"]["domaines"]
    assert domaines["maxItems"] == 4 and "four domains" in domaines["description"]
    events = components["Faits"]["properties"]["evenements"]
    assert events["maxItems"] == 2000 and events["items"] == {"$ref": "#/components/schemas/Faits_Evenement"}
    [notified] = [e for e in components["Faits_Evenement"]["anyOf"] if e["title"] == "decision_notifiee"]
    assert notified["required"] == ["type", "date", "decision"] and notified["additionalProperties"] is False
    assert components["DemandeLot"]["maxItems"] == 100
    assert "erreurs_non_listees" in components["Probleme"]["properties"]
    date_rule = components["DemandeEvaluation"]["properties"]["date"]["pattern"]
    [query] = [p for p in description["paths"]["/v1/policies/{policy_id}/parameters"]["get"]["parameters"]
               if p["name"] == "date"]
    assert query["schema"]["pattern"] == date_rule == notified["properties"]["date"]["pattern"]
    assert "Limites" in description["info"]["description"]
    for status in ("408", "413"):
        assert status in description["paths"]["/v1/evaluations/batch"]["post"]["responses"]


def test_one_date_rule_on_every_route(server):
    case = scenario("p01")
    with server.client() as client:
        for bad in ("20260101", "2026-W01-1", "2026-02-30", "２０２６-01-01"):
            assert client.get("/v1/policies/certifpro/parameters", params={"date": bad}).status_code == 422, bad
            answer = client.post("/v1/evaluations", json={"faits": case["faits"], "date": bad})
            assert answer.status_code == 422 and answer.json()["erreurs"][0]["chemin"] == "date", bad
        assert client.get("/v1/policies/certifpro/parameters", params={"date": "2026-01-01"}).status_code == 200


def test_each_event_type_says_what_it_takes(server):
    """Contract v2: what each event type takes (an unknown `objet`, a complementary period without its withdrawal
    date, a `date_inscription` that is not a date are refused) is in the description."""
    case = scenario("p09")
    with server.client() as client:
        description = client.get("/openapi.json").json()
    events = {e["title"]: e for e in description["components"]["schemas"]["Faits_Evenement"]["anyOf"]}
    assert events["reunion_instance"]["properties"]["objet"] == {"enum": ["instruction", "recours", "audit", "conformite"]}
    assert {"if": {"required": ["issue"], "properties": {"issue": {"const": "periode_complementaire"}}},
            "then": {"required": ["date_retrait"]}} in events["decision_conformite_notifiee"]["allOf"]
    assert events["certificats_delivres"]["properties"]["date_inscription"]["format"] == "date"
    assert {"sous_traitance_engagee", "accord_sous_traitance", "decision_audit_notifiee", "maintien_temporaire",
            "donnees_detruites"} <= set(events)
    validator = validator_for(description, "DemandeEvaluation")
    validator.validate({"faits": case["faits"], "date": case["date"]})
    bad = json.loads(json.dumps(case["faits"]))
    bad["evenements"][-1].pop("date_retrait")
    assert not validator.is_valid({"faits": bad, "date": case["date"]})
