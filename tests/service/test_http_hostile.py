"""The HTTP service against hostile and careless clients (issue 14): a problem, never a 500; limits enforced with
413/422/408 and documented; slow clients cut off; the keep-alive connection survives a refused request."""
from __future__ import annotations

import json
import socket

import pytest

from .conftest import scenario

BASE = {"organisme": {"siren": "732829320"}, "instance": "certifpro", "evenements": []}


def post(client, path: str, text: str):
    return client.post(path, content=text.encode("utf-8", "surrogatepass"),
                       headers={"content-type": "application/json"})


def nested(depth: int) -> dict:
    value: dict = {}
    for _ in range(depth):
        value = {"a": value}
    return value


@pytest.fixture(scope="module")
def client(server):
    with server.client() as client:
        yield client


def test_valid_facts_before_the_period_duration_get_a_problem_alone_and_in_a_batch(client):
    facts = {**BASE, "evenements": [{"type": "decision_notifiee", "date": "2016-03-01", "decision": "acceptation"}]}
    answer = client.post("/v1/evaluations", json={"faits": facts, "date": "2022-01-01"})
    assert answer.status_code == 422 and answer.json()["erreurs"][0]["chemin"] == "faits.evenements[0].date"
    good = {"faits": BASE, "date": "2026-01-01"}
    batch = client.post("/v1/evaluations/batch", json=[good, {"faits": facts, "date": "2022-01-01"}, good])
    assert batch.status_code == 200
    assert [item.get("status") for item in batch.json()] == [None, 422, None]


@pytest.mark.parametrize("where", [('{"faits": {"organisme": {"siren": "\\ud800"}, "instance": "certifpro", '
                                   '"evenements": []}}'),
                                   '{"faits": {"organisme": {"siren": "732829320"}}, "date": "\\udfff"}',
                                   '{"\\ud800": 1}'])
def test_a_lone_surrogate_anywhere_is_a_422_and_the_connection_stays_open(client, where):
    answer = post(client, "/v1/evaluations", where)
    assert answer.status_code == 422 and "demi-caractère isolé" in answer.json()["erreurs"][0]["message"]
    assert answer.headers.get("connection") != "close"
    assert client.get("/v1/health").status_code == 200


@pytest.mark.parametrize("text", ["[" * 1000 + "]" * 1000, json.dumps({"faits": {**BASE, "demande": {
    "contextualisation": nested(500)}}}), '{"faits": ' + "[" * 40 + "]" * 40 + "}"])
def test_deep_nesting_is_a_400(client, text):
    answer = post(client, "/v1/evaluations", text)
    assert answer.status_code == 400 and "imbriqué sur plus de 32 niveaux" in json.dumps(answer.json(), ensure_ascii=False)


@pytest.mark.parametrize("text,message", [
    ('{"faits": {}, "faits": {}}', "clé en double"),
    ('{"faits": {"x": NaN}}', "n'est pas un nombre fini"),
    ('{"faits": {"x": ' + "9" * 5000 + "}}", "un nombre de plus de 30 caractères"),
    ('{"faits": ', "JSON"),
])
def test_json_that_cannot_be_read_safely_is_a_400(client, text, message):
    answer = post(client, "/v1/evaluations", text)
    assert answer.status_code == 400 and message in json.dumps(answer.json(), ensure_ascii=False)
    assert answer.headers["content-type"] == "application/problem+json"


def test_a_batch_over_the_item_limit_is_a_413(client):
    answer = client.post("/v1/evaluations/batch", json=[{"faits": BASE}] * 101)
    assert answer.status_code == 413 and "au plus 100" in answer.json()["detail"]


def test_too_many_events_is_a_422(start_server):
    facts = {**BASE, "evenements": [{"type": "demande_deposee", "date": "2026-01-12"}] * 2001}
    with start_server().client() as client:
        answer = client.post("/v1/evaluations", json={"faits": facts})
    assert answer.status_code == 422 and answer.json()["erreurs"][0]["chemin"] == "faits.evenements"


def test_problems_are_listed_up_to_the_limit_and_the_rest_counted(client):
    facts = {**BASE, "evenements": [{"type": "inconnu", "date": "2026-01-12"}] * 900}
    answer = client.post("/v1/evaluations", json={"faits": facts})
    body = answer.json()
    assert answer.status_code == 422 and len(body["erreurs"]) == 100 and body["erreurs_non_listees"] == 1  # stopped
    assert len(answer.content) < 100_000          # 100 problems, not 900


def test_a_string_over_the_limit_is_a_422(client):
    facts = {**BASE, "organisme": {"siren": "732829320", "denomination": "x" * 10_001}}
    answer = client.post("/v1/evaluations", json={"faits": facts})
    assert answer.status_code == 422 and answer.json()["erreurs"][0]["chemin"] == "faits.organisme.denomination"
    assert len(answer.content) < 2_000


def _connect(url: str) -> socket.socket:
    host, port = url.removeprefix("http://").split(":")
    return socket.create_connection((host, int(port)), timeout=30)


def test_slow_clients_are_cut_off_and_others_are_served(start_server):
    server = start_server(None, "--header-timeout", "1", "--body-timeout", "1")
    silent = [_connect(server.url) for _ in range(20)]
    trickling = _connect(server.url)
    trickling.sendall(b"POST /v1/evaluations HTTP/1.1\r\nHost: x\r\n")
    body_never_sent = _connect(server.url)
    body_never_sent.sendall(b"POST /v1/evaluations HTTP/1.1\r\nHost: x\r\ncontent-type: application/json\r\n"
                            b"content-length: 100\r\n\r\n{")
    with server.client() as client:
        assert client.get("/v1/health").status_code == 200
    # not a timing assertion: generous bounds so that a server that never closes fails instead of hanging
    for sock in [*silent, trickling]:
        assert sock.recv(1024) == b""                   # closed by the server, after its header timeout
    answer = b""
    while chunk := body_never_sent.recv(65536):
        answer += chunk
    assert answer.startswith(b"HTTP/1.1 408") and b"delai-depasse" in answer
    for sock in [*silent, trickling, body_never_sent]:
        sock.close()


def test_a_good_request_still_works_after_all_this(client):
    case = scenario("p01")
    assert client.post("/v1/evaluations", json={"faits": case["faits"], "date": case["date"]}).status_code == 200
