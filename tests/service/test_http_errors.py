"""Every error is application/problem+json (RFC 9457), lists each problem with its JSON path, never a trace."""
import json

import pytest

from .conftest import RELOAD_TOKEN, scenario

PROBLEM = "application/problem+json"


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    body = response.json()
    assert body["status"] == status and body["type"].startswith("urn:clea-rules:probleme:") and body["title"]
    assert "Traceback" not in response.text and 'File "' not in response.text
    return body


@pytest.mark.parametrize("text", ['{"faits": ', "{'faits': {}}", "", '{"faits": {}, "date": NaN}', "\xff\xfe"])
def test_malformed_json_is_400(server, text):
    with server.client() as client:
        response = client.post("/v1/evaluations", content=text.encode("latin-1"),
                               headers={"content-type": "application/json"})
    body = assert_problem(response, 400)
    assert body["detail"]


def test_a_body_over_the_configured_size_is_413(server):
    case = scenario("p01")
    big = {"faits": case["faits"], "date": case["date"], "rembourrage": "x" * 70_000}
    with server.client() as client:
        assert_problem(client.post("/v1/evaluations", json=big), 413)
        # without Content-Length (chunked): the server counts as it reads
        chunks = (b"[" + b" " * 8192 for _ in range(10))
        assert_problem(client.post("/v1/evaluations/batch", content=chunks, headers={"content-type": "application/json"}),
                       413)


def test_invalid_facts_are_422_with_each_problem_and_its_path(server):
    faits = json.loads(json.dumps(scenario("p01")["faits"]))
    faits["organisme"]["siren"] = "732829321"           # Luhn-invalid
    faits["evenements"][1]["date"] = "2026-02-30"        # no such day
    faits["demande"]["partie_technique"]["domaines_couverts"] = [1, 5]
    with server.client() as client:
        body = assert_problem(client.post("/v1/evaluations", json={"faits": faits, "date": "2026-03-10"}), 422)
    paths = {error["chemin"] for error in body["erreurs"]}
    assert {"faits.organisme.siren", "faits.evenements[1].date"} <= paths
    assert any(path.startswith("faits.demande.partie_technique.domaines_couverts") for path in paths)
    assert all(error["message"] for error in body["erreurs"])


@pytest.mark.parametrize("payload, path", [
    ({"date": "2026-03-10"}, "$"),
    ({"faits": [], "date": "2026-03-10"}, "faits"),
    ({"faits": {}, "date": "2026-02-30"}, "date"),
    ({"faits": {}, "date": "10/03/2026"}, "date"),
    ([], "$"),
])
def test_a_malformed_request_envelope_is_422_with_its_path(server, payload, path):
    with server.client() as client:
        body = assert_problem(client.post("/v1/evaluations", json=payload), 422)
    assert path in [error["chemin"] for error in body["erreurs"]]


def test_a_batch_must_be_a_list(server):
    with server.client() as client:
        assert_problem(client.post("/v1/evaluations/batch", json={"faits": {}}), 422)


def test_unknown_routes_methods_and_policies(server):
    with server.client() as client:
        assert_problem(client.get("/v1/nulle-part"), 404)
        assert_problem(client.get("/v1/evaluations"), 405)
        assert_problem(client.get("/v1/policies/inconnue/parameters"), 404)
        body = assert_problem(client.get("/v1/policies/certifpro/parameters", params={"date": "2026-13-01"}), 422)
    assert body["erreurs"][0]["chemin"] == "date"


@pytest.mark.parametrize("headers", [{}, {"authorization": "Bearer mauvais"}, {"authorization": RELOAD_TOKEN}])
def test_reload_needs_the_token(server, headers):
    with server.client() as client:
        assert_problem(client.post("/v1/policies/reload", headers=headers), 401)


def test_an_evaluation_date_outside_the_policy_years_is_422_on_date(server):
    case = scenario("p01")
    with server.client() as client:
        body = assert_problem(client.post("/v1/evaluations", json={"faits": case["faits"], "date": "1900-01-01"}), 422)
    assert [error["chemin"] for error in body["erreurs"]] == ["date"]
