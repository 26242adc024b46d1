"""/v1/health tells the truth: 503 `degrade` while the SQLite log cannot be written, `degrade` after a reload that
failed with 500 and when the workers do not serve the same revisions, `ok` again once it recovers."""
from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time

import pytest
from fastapi.testclient import TestClient

from engine.service import app as service_app
from engine.service.settings import Settings
from engine.service.workers import WorkerBoard

from .conftest import RELOAD_TOKEN, copy_policies, scenario

AUTH = {"authorization": f"Bearer {RELOAD_TOKEN}"}
BOUND = 120     # seconds: a bound against hanging, not a timing assertion


def settings(tmp_path, policies) -> Settings:
    return Settings(policies_dir=policies, log_path=tmp_path / "log.sqlite3", reload_token=RELOAD_TOKEN)


def until(client, state: str):
    deadline = time.monotonic() + BOUND
    while (answer := client.get("/v1/health")).json()["statut"] != state:
        assert time.monotonic() < deadline, answer.json()
        time.sleep(0.2)
    return answer


def test_a_locked_sqlite_log_is_degrade_503_until_it_is_released(tmp_path):
    app = service_app.create_app(settings(tmp_path, copy_policies(tmp_path)))
    case = scenario("p01")
    with TestClient(app) as client:
        assert client.get("/v1/health").status_code == 200
        blocker = sqlite3.connect(tmp_path / "log.sqlite3", isolation_level=None)
        blocker.execute("BEGIN EXCLUSIVE")     # another program holds the log: no write can be made
        try:
            answer = until(client, "degrade")
            assert answer.status_code == 503 and answer.json()["journal"]["ecrit"] is False
        finally:
            blocker.execute("ROLLBACK")
            blocker.close()
        assert until(client, "ok").status_code == 200
        assert client.post("/v1/evaluations", json={"faits": case["faits"], "date": case["date"]}).status_code == 200


def test_a_reload_that_fails_with_500_degrades_health_until_one_succeeds(tmp_path, monkeypatch):
    app = service_app.create_app(settings(tmp_path, copy_policies(tmp_path)))
    real = service_app.compile_all

    def broken(policies):
        raise RuntimeError("le compilateur a planté")

    with TestClient(app, raise_server_exceptions=False) as client:
        monkeypatch.setattr(app.state.holder, "_compile", broken)
        assert client.post("/v1/policies/reload", headers=AUTH).status_code == 500
        answer = client.get("/v1/health")
        assert answer.json()["statut"] == "degrade" and answer.json()["dernier_rechargement"]["reussi"] is False
        assert "RuntimeError" in answer.json()["dernier_rechargement"]["erreurs"][0]["message"]
        monkeypatch.setattr(app.state.holder, "_compile", real)
        assert client.post("/v1/policies/reload", headers=AUTH).status_code == 200
        assert client.get("/v1/health").json()["statut"] == "ok"


@pytest.fixture
def peer():
    """A live process standing for another worker (its pid only is used)."""
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)"])
    yield process.pid
    process.kill()
    process.wait()


def test_workers_serving_different_revisions_degrade_health(tmp_path, peer):
    board_folder = tmp_path / "board"
    board_folder.mkdir()
    app = service_app.create_app(settings(tmp_path, copy_policies(tmp_path)), board=WorkerBoard(board_folder))
    with TestClient(app) as client:
        own = client.get("/v1/health").json()
        assert own["statut"] == "ok" and [w["pid"] for w in own["travailleurs"]] == [own["travailleur"]]
        [mine] = own["travailleurs"]
        stale = {**mine, "pid": peer, "politiques": [{**p, "revision": "sha256:ancienne"} for p in mine["politiques"]]}
        (board_folder / f"worker-{peer}.json").write_text(json.dumps(stale), encoding="utf-8")
        answer = client.get("/v1/health")
        assert answer.status_code == 200 and answer.json()["statut"] == "degrade"
        assert answer.json()["raisons"] == ["les travailleurs ne servent pas les mêmes révisions des politiques"]
        (board_folder / f"worker-{peer}.json").write_text(json.dumps({**mine, "pid": peer}), encoding="utf-8")
        answer = client.get("/v1/health").json()
        assert answer["statut"] == "ok" and {w["pid"] for w in answer["travailleurs"]} == {peer, own["travailleur"]}
