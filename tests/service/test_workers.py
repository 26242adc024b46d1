"""`clea serve --workers 2`: two processes on one port, one decision log, one reload for both, a killed worker
replaced with nothing answered lost, a clean exit on SIGTERM. Real servers on the loopback; every loop is bounded."""
from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import time

import httpx
import local_http

from engine.service.decision_log import read_decisions

from .conftest import RELOAD_TOKEN, copy_policies, scenario
from .test_http_reload import lengthen_recourse_delay, recourse_due

AUTH = {"authorization": f"Bearer {RELOAD_TOKEN}"}
BOUND = 120     # seconds: a bound against hanging on a loaded machine, never a timing assertion


def health(server) -> dict:
    with local_http.client(base_url=server.url, timeout=60) as fresh:   # a new connection: any worker may answer
        return fresh.get("/v1/health").json()


def wait_for(server, condition, what: str) -> dict:
    deadline = time.monotonic() + BOUND
    while True:
        state = health(server)
        if condition(state):
            return state
        assert time.monotonic() < deadline, f"{what}: {state}"
        time.sleep(0.1)


def both_up(state: dict) -> bool:
    return len(state["travailleurs"]) == 2 and state["statut"] == "ok"


def served_revisions(state: dict) -> set[str]:
    return {repr(worker["politiques"]) for worker in state["travailleurs"]}


def certifpro_revision(state: dict) -> set[str]:
    return {policy["revision"] for worker in state["travailleurs"] for policy in worker["politiques"]
            if policy["id"] == "certifpro"}


def test_two_workers_answer_and_one_reload_reaches_both(start_server, tmp_path):
    policies = copy_policies(tmp_path)
    server = start_server(policies, "--workers", "2")
    state = wait_for(server, both_up, "two workers")
    pids = {worker["pid"] for worker in state["travailleurs"]}
    assert server.process.pid not in pids
    answered_by = set()
    deadline = time.monotonic() + BOUND
    while answered_by != pids:
        answered_by.add(health(server)["travailleur"])
        assert time.monotonic() < deadline, f"only {answered_by} of {pids} answered"
    [before] = certifpro_revision(state)

    case = scenario("p01")
    lengthen_recourse_delay(policies)
    with server.client() as client:
        reloaded = client.post("/v1/policies/reload", headers=AUTH)
        assert reloaded.status_code == 200, reloaded.text
        workers = reloaded.json()["travailleurs"]
        assert {worker["pid"] for worker in workers} == pids
        assert all(worker["dernier_rechargement"]["reussi"] for worker in workers)
        [after] = {policy["revision"] for worker in workers for policy in worker["politiques"]
                   if policy["id"] == "certifpro"}
        assert after != before
        state = health(server)
        assert state["statut"] == "ok" and certifpro_revision(state) == {after}
        for _ in range(20):     # both workers answer with the new delay, on any connection
            with local_http.client(base_url=server.url, timeout=60) as fresh:
                decision = fresh.post("/v1/evaluations", json={"faits": case["faits"], "date": case["date"]}).json()
            assert decision["politique"]["revision"] == after and recourse_due(decision) > case["attendu"][
                "actions"][0]["echeance"]

    # SIGHUP to the parent reloads every worker (not a restart: the same pids serve the new revision)
    path = policies / "certifpro" / "politique.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\ntitre: Règlement", "\ntitre: Le règlement", 1), encoding="utf-8")
    server.signal(signal.SIGHUP)
    state = wait_for(server, lambda s: certifpro_revision(s) - {after} and len(served_revisions(s)) == 1
                     and both_up(s), "SIGHUP reloads both workers")
    assert {worker["pid"] for worker in state["travailleurs"]} == pids


def test_a_broken_reload_degrades_every_worker_and_a_good_one_recovers(start_server, tmp_path):
    policies = copy_policies(tmp_path)
    server = start_server(policies, "--workers", "2")
    wait_for(server, both_up, "two workers")
    good = (policies / "certifpro" / "politique.yaml").read_text(encoding="utf-8")
    (policies / "certifpro" / "politique.yaml").write_text("id: [certifpro\n", encoding="utf-8")
    with server.client() as client:
        assert client.post("/v1/policies/reload", headers=AUTH).status_code == 409
    for _ in range(10):     # whichever worker answers says so (the failure is shared)
        state = health(server)
        assert state["statut"] == "degrade" and any("a échoué" in reason for reason in state["raisons"]), state
    (policies / "certifpro" / "politique.yaml").write_text(good, encoding="utf-8")
    server.signal(signal.SIGHUP)
    wait_for(server, lambda s: both_up(s) and not s["raisons"], "a good reload brings health back to ok")


def test_a_killed_worker_is_replaced_nothing_answered_is_lost_and_sigterm_exits_cleanly(start_server):
    server = start_server(None, "--workers", "2")
    state = wait_for(server, both_up, "two workers")
    victim = state["travailleurs"][0]["pid"]
    case = scenario("p01")
    answered: list[str] = []
    failed: list[str] = []

    async def load() -> None:
        async with httpx.AsyncClient(base_url=server.url, timeout=60) as client:
            async def one() -> None:
                try:
                    response = await client.post("/v1/evaluations", json={"faits": case["faits"], "date": case["date"]})
                except httpx.TransportError as exc:      # in flight on the killed worker: never answered
                    failed.append(type(exc).__name__)
                    return
                if response.status_code == 200:
                    answered.append(response.json()["decision_id"])
                else:
                    failed.append(str(response.status_code))

            async def stream(count: int) -> None:
                for _ in range(count):
                    await one()

            async def killer() -> None:
                while len(answered) < 40:
                    await asyncio.sleep(0.01)
                os.kill(victim, signal.SIGKILL)

            await asyncio.gather(*(stream(40) for _ in range(6)), killer())

    asyncio.run(load())
    state = wait_for(server, lambda s: both_up(s) and victim not in {w["pid"] for w in s["travailleurs"]},
                     "the killed worker is replaced")
    assert len(answered) > 40
    logged = {record["decision_id"] for record in read_decisions(server.log_path)}
    assert set(answered) <= logged, "an answered decision is missing from the log"

    # SIGTERM: a request in flight is answered, then the parent and its workers exit with 0
    batch = [{"faits": case["faits"], "date": case["date"]}] * 60

    async def last_request() -> httpx.Response:
        async with httpx.AsyncClient(base_url=server.url, timeout=60) as client:
            pending = asyncio.ensure_future(client.post("/v1/evaluations/batch", json=batch))
            await asyncio.sleep(0.3)
            server.signal(signal.SIGTERM)
            return await pending

    response = asyncio.run(last_request())
    assert response.status_code == 200 and len(response.json()) == 60
    try:
        code = server.process.wait(timeout=BOUND)
    except subprocess.TimeoutExpired:
        raise AssertionError("the parent did not exit on SIGTERM") from None
    assert code == 0, server.stderr()
    assert "Traceback" not in server.stderr()
    for worker in state["travailleurs"]:
        assert not os.path.exists(f"/proc/{worker['pid']}"), "a worker outlived its parent"


def test_health_degrades_while_postgresql_is_down(start_server, postgresql_server, postgresql_url):
    server = start_server(None, "--workers", "2", "--log", postgresql_url)
    wait_for(server, both_up, "two workers on a PostgreSQL log")
    case = scenario("p01")
    postgresql_server.halt()
    try:
        deadline = time.monotonic() + BOUND
        while True:
            with local_http.client(base_url=server.url, timeout=60) as fresh:
                answer = fresh.get("/v1/health")
            if answer.json()["statut"] == "degrade":
                break
            assert time.monotonic() < deadline, answer.json()
            time.sleep(0.1)
        assert answer.status_code == 503 and answer.json()["journal"]["ecrit"] is False
        assert any("journal" in reason for reason in answer.json()["raisons"])
        with server.client() as client:
            refused = client.post("/v1/evaluations", json={"faits": case["faits"], "date": case["date"]})
        assert refused.status_code == 503
    finally:
        postgresql_server.start()
    wait_for(server, both_up, "health is ok again once PostgreSQL is back")
    with server.client() as client:
        assert client.post("/v1/evaluations", json={"faits": case["faits"], "date": case["date"]}).status_code == 200
