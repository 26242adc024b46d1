"""One log row per answered decision, written before the answer, masked; no answer when it cannot be written."""
import asyncio
import json
import signal
import subprocess

import httpx

from engine.service.decision_log import facts_hash, read_decisions

from .conftest import _clea_command, scenario, without_id


def with_people(case: dict) -> dict:
    faits = json.loads(json.dumps(case["faits"]))
    faits["organisme"]["intervenants"][0].update(nom="Dupont-Sécrétaire", email="e.dupont@exemple.fr")
    faits["beneficiaires"] = [{"id": "P1", "nom": "Martin-Confidentiel", "email": "p.martin@exemple.fr",
                               "evaluateurs": ["E1"], "formateurs": []}]
    return faits


def test_one_masked_row_per_answered_decision(start_server):
    server = start_server()
    case = scenario("p01")
    faits = with_people(case)
    answered = []
    with server.client(headers={"x-client-id": "plateforme-clea"}) as client:
        answered.append(client.post("/v1/evaluations", json={"faits": faits, "date": case["date"]}).json())
        batch = client.post("/v1/evaluations/batch", json=[
            {"faits": faits, "date": "2026-04-01"}, {"faits": {"instance": "certifpro"}}, {"faits": faits}]).json()
        answered += [item for item in batch if "decision_id" in item]
        assert client.post("/v1/evaluations", json={"faits": {}}).status_code == 422
    assert len(answered) == 3
    records = list(read_decisions(server.log_path))
    assert [r["decision_id"] for r in records] == [d["decision_id"] for d in answered]
    for record, decision in zip(records, answered):
        assert record["verdict"] == without_id(decision)
        assert record["politique"] == decision["politique"] and record["date_evaluation"] == decision["date_evaluation"]
        assert record["faits_sha256"] == facts_hash(faits)
        assert record["appelant"] == "declare:plateforme-clea" and record["adresse"] == "127.0.0.1"  # no proxy named
        assert record["faits"]["organisme"]["intervenants"][0]["nom"] == "***"
        assert record["faits"]["beneficiaires"][0]["email"] == "***"
        assert record["faits"]["organisme"]["siren"] == faits["organisme"]["siren"]
    server.stop()
    stored = b"".join(path.read_bytes() for path in server.log_path.parent.glob("decisions.sqlite3*"))
    for secret in ("Dupont-Sécrétaire", "e.dupont@exemple.fr", "Martin-Confidentiel", "p.martin@exemple.fr"):
        assert secret.encode() not in stored, f"{secret} reached the log file in clear"

    show = subprocess.run([*_clea_command(), "log", "show", "--log", str(server.log_path)],
                          capture_output=True, text=True, check=False)
    assert show.returncode == 0, show.stderr
    assert [line.split()[1] for line in show.stdout.splitlines()] == [d["decision_id"] for d in answered]
    export = subprocess.run([*_clea_command(), "log", "export", "--log", str(server.log_path)],
                            capture_output=True, text=True, check=False)
    assert export.returncode == 0, export.stderr
    assert [json.loads(line) for line in export.stdout.splitlines()] == records


def test_a_killed_server_has_lost_no_answered_decision(start_server):
    server = start_server()
    case = scenario("p03")
    with server.client() as client:
        ids = [client.post("/v1/evaluations", json={"faits": case["faits"], "date": f"2026-0{m}-15"}).json()
               ["decision_id"] for m in range(1, 10)]
    server.process.send_signal(signal.SIGKILL)
    server.process.wait()
    assert [r["decision_id"] for r in read_decisions(server.log_path)] == ids


def test_killed_while_16_requests_are_in_flight_no_answered_decision_is_lost(start_server):
    """Concurrent requests are committed together (group commit): each is answered only after its group's commit."""
    server = start_server()
    case = scenario("p01")
    answered: list[str] = []

    async def load() -> None:
        async with httpx.AsyncClient(base_url=server.url, timeout=60) as client:
            async def stream() -> None:
                while True:
                    try:
                        response = await client.post("/v1/evaluations",
                                                     json={"faits": case["faits"], "date": case["date"]})
                    except httpx.TransportError:          # in flight when the server was killed: never answered
                        return
                    answered.append(response.json()["decision_id"])

            async def killer() -> None:
                while len(answered) < 80:
                    await asyncio.sleep(0.005)
                server.process.send_signal(signal.SIGKILL)

            await asyncio.gather(*(stream() for _ in range(16)), killer())

    asyncio.run(load())
    server.process.wait()
    logged = {record["decision_id"] for record in read_decisions(server.log_path)}
    assert len(answered) >= 80 and set(answered) <= logged, "an answered decision is missing from the log"


def test_when_the_log_is_full_the_request_fails_with_503_and_nothing_unlogged(start_server):
    server = start_server(None, "--log-max-size", "96K")
    case = scenario("p01")
    statuses, answered = [], []
    with server.client() as client:
        for _ in range(200):
            response = client.post("/v1/evaluations/batch",
                                   json=[{"faits": case["faits"], "date": case["date"]}] * 5)
            statuses.append(response.status_code)
            if response.status_code != 200:
                break
            answered += [item["decision_id"] for item in response.json()]
    assert statuses[-1] == 503, "the log never filled up"
    assert set(statuses[:-1]) == {200}
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["type"].endswith("journal-indisponible")
    assert [r["decision_id"] for r in read_decisions(server.log_path)] == answered


def test_two_server_processes_share_one_log(start_server, tmp_path):
    shared = tmp_path / "shared.sqlite3"
    servers = [start_server(None, "--log", str(shared)) for _ in range(2)]
    case = scenario("p01")
    ids = []
    for _ in range(3):
        for server in servers:
            with server.client() as client:
                ids.append(client.post("/v1/evaluations", json={"faits": case["faits"], "date": case["date"]})
                           .json()["decision_id"])
    assert sorted(r["decision_id"] for r in read_decisions(shared)) == sorted(ids)
