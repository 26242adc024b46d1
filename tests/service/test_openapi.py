"""/openapi.json describes bodies with the project's own JSON Schemas, and real answers match it."""
import json

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
    assert components["Faits"] == {k: v for k, v in facts.items() if k not in ("$schema", "$id")}
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
