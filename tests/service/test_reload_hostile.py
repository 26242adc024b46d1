"""Reloads that would hang or eat memory (issue 14): refused or given up within a bound, the old policies keep
serving, and /v1/health tells the truth about the engine and the reloads."""
from __future__ import annotations

import asyncio
import os
import threading
import time

import pytest

from engine import PolicyError, load_policies
from engine.service import app as service_app
from engine.service import health as service_health
from engine.service.reload import PolicyHolder, ReloadUnavailable
from engine.service.serial import SerialExecutor

from .conftest import POLICIES, RELOAD_TOKEN, copy_policies, scenario

AUTH = {"authorization": f"Bearer {RELOAD_TOKEN}"}


@pytest.mark.parametrize("make", ["fifo", "dev-zero"])
def test_a_fifo_or_a_link_to_dev_zero_in_the_folder_is_refused_and_the_old_set_serves(start_server, tmp_path, make):
    policies = copy_policies(tmp_path)
    server = start_server(policies)
    target = policies / "certifpro" / "constats.yaml"
    target.unlink()
    if make == "fifo":
        os.mkfifo(target)
    else:
        target.symlink_to("/dev/zero")
    case = scenario("p01")
    with server.client() as client:
        answer = client.post("/v1/policies/reload", headers=AUTH)
        assert answer.status_code == 409
        assert any("constats.yaml" in (error.get("fichier") or "") for error in answer.json()["erreurs"])
        assert client.post("/v1/evaluations", json={"faits": case["faits"], "date": case["date"]}).status_code == 200
        health = client.get("/v1/health").json()
        assert health["statut"] == "degrade" and health["dernier_rechargement"]["reussi"] is False


def test_a_reload_that_never_ends_is_given_up_and_the_engine_keeps_serving():
    release = threading.Event()
    engine = SerialExecutor("test-engine")
    calls = {"n": 0}

    def load(directory, in_service=None):
        calls["n"] += 1
        if calls["n"] > 1:
            release.wait(30)            # a read that hangs (it cannot, for real: files are checked first)
        return load_policies(directory)

    holder = PolicyHolder(POLICIES, load=load, compile=lambda policies: policies, engine=engine, timeout=0.2)
    served = holder.current

    async def scenario_():
        with pytest.raises(ReloadUnavailable, match="took more than 0.2 s"):
            await holder.reload()
        assert holder.reading_for() is not None
        with pytest.raises(ReloadUnavailable, match="still reading"):
            await holder.reload()
        assert await engine.call(lambda: "the engine answers") == "the engine answers"

    try:
        asyncio.run(scenario_())
        assert holder.current is served and holder.last_reload.as_dict()["reussi"] is False
    finally:
        release.set()
        engine.shutdown()


def test_a_broken_folder_still_raises_policy_error_on_reload(tmp_path):
    policies = copy_policies(tmp_path)
    engine = SerialExecutor("test-engine")
    holder = PolicyHolder(policies, load=service_app.load_checked, compile=lambda p: p, engine=engine)
    (policies / "certifpro" / "constats.yaml").write_text("[", encoding="utf-8")
    try:
        with pytest.raises(PolicyError):
            asyncio.run(holder.reload())
    finally:
        engine.shutdown()


def test_shutting_down_never_waits_for_a_stuck_call():
    executor = SerialExecutor("test-stuck")
    release = threading.Event()
    executor.submit(release.wait, 30)
    time.sleep(0.05)
    started = time.monotonic()
    executor.shutdown(timeout=0.2)
    assert time.monotonic() - started < 5      # a bound that only a join without timeout would break
    assert executor.busy_for() > 0
    release.set()


def test_health_says_the_engine_is_blocked(tmp_path, monkeypatch):
    from fastapi.testclient import TestClient

    from engine.service.settings import Settings

    monkeypatch.setattr(service_health, "ENGINE_BLOCKED_AFTER", 0.1)
    app = service_app.create_app(Settings(policies_dir=POLICIES, log_path=tmp_path / "log.sqlite3"))
    release = threading.Event()
    with TestClient(app) as client:
        assert client.get("/v1/health").json()["statut"] == "ok"
        app.state.engine.submit(release.wait, 30)
        time.sleep(0.3)
        answer = client.get("/v1/health")
        release.set()
        assert answer.status_code == 503 and answer.json()["statut"] == "bloque"
        assert answer.json()["moteur"]["occupe_depuis_s"] >= 0.1
