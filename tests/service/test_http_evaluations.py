"""POST /v1/evaluations and /batch answer the contract's verdict, plus a decision_id, for each dossier."""
import datetime as dt
import json
import uuid

import pytest
from jsonschema import Draft202012Validator

from engine import evaluate, schemas_dir
from engine.evaluation import today_in_paris

from .conftest import scenario, valid_scenarios, without_id


def verdict_schema() -> Draft202012Validator:
    return Draft202012Validator(json.loads((schemas_dir() / "verdict.schema.json").read_text(encoding="utf-8")))


@pytest.mark.parametrize("case", valid_scenarios(), ids=lambda case: case["nom"][:40])
def test_the_service_answers_the_engines_verdict_with_a_decision_id(server, local_policies, case):
    with server.client() as client:
        response = client.post("/v1/evaluations", json={"faits": case["faits"], "date": case["date"]})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    decision = response.json()
    uuid.UUID(decision["decision_id"])
    assert without_id(decision) == evaluate(case["faits"], case["date"], policies=local_policies)
    verdict_schema().validate(without_id(decision))
    if "statut" in case["attendu"]:
        assert decision["statut"] == case["attendu"]["statut"]


def test_the_date_defaults_to_today_in_paris(server):
    case = scenario("p01")
    before = today_in_paris()
    with server.client() as client:
        decision = client.post("/v1/evaluations", json={"faits": case["faits"]}).json()
    assert decision["date_evaluation"] in {before.isoformat(), today_in_paris().isoformat()}


def test_a_batch_answers_in_order_with_a_problem_for_each_bad_item(server, local_policies):
    p01, p03 = scenario("p01"), scenario("p03")
    broken = json.loads(json.dumps(p01["faits"]))
    broken["evenements"][0]["date"] = "2026-02-30"
    items = [{"faits": p01["faits"], "date": p01["date"]},
             {"faits": broken, "date": p01["date"]},
             {"faits": p03["faits"], "date": p03["date"]},
             {"date": "2026-01-01"}]
    with server.client() as client:
        response = client.post("/v1/evaluations/batch", json=items)
    assert response.status_code == 200, response.text
    first, second, third, fourth = response.json()
    assert without_id(first) == evaluate(p01["faits"], p01["date"], policies=local_policies)
    assert without_id(third) == evaluate(p03["faits"], p03["date"], policies=local_policies)
    assert first["decision_id"] != third["decision_id"]
    assert second["status"] == 422 and second["type"].endswith("faits-invalides")
    assert "faits.evenements[0].date" in [error["chemin"] for error in second["erreurs"]]
    assert fourth["status"] == 422 and "decision_id" not in fourth


def test_an_empty_batch_answers_an_empty_list(server):
    with server.client() as client:
        response = client.post("/v1/evaluations/batch", json=[])
    assert response.status_code == 200 and response.json() == []


def test_policies_lists_ids_versions_revisions_and_bases(server, local_policies):
    with server.client() as client:
        listed = client.get("/v1/policies").json()["politiques"]
    assert [p["id"] for p in listed] == local_policies.ids()
    for entry in listed:
        policy = local_policies.get(entry["id"])
        assert entry == {"id": policy.id, "version": policy.version, "revision": policy.revision,
                         "etend": policy.extends}
        assert entry["revision"].startswith("sha256:")


def test_parameters_in_force_at_a_date_with_their_articles(server, local_policies):
    with server.client() as client:
        before = client.get("/v1/policies/certifpro/parameters", params={"date": "2020-01-01"}).json()
        after = client.get("/v1/policies/certifpro/parameters", params={"date": "2021-01-01"}).json()
    assert before["date"] == "2020-01-01" and before["politique"]["id"] == "certifpro"
    policy = local_policies.get("certifpro")
    assert before["parametres"] == json.loads(json.dumps(policy.parameters_at(dt.date(2020, 1, 1)), default=str))
    assert all({"id", "valeur", "unite", "article", "depuis"} <= set(p) for p in after["parametres"])
    fees_before = {p["id"]: p["valeur"] for p in before["parametres"] if p["article"] == "A3"}
    fees_after = {p["id"]: p["valeur"] for p in after["parametres"] if p["article"] == "A3"}
    assert fees_before != fees_after, "fees start on 2020-02-25"


def test_health(server):
    with server.client() as client:
        health = client.get("/v1/health").json()
    assert health["statut"] == "ok" and [p["id"] for p in health["politiques"]]
