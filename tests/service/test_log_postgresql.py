"""The decision log on PostgreSQL (issue 14): the same guarantees as SQLite, for several servers sharing it —
written before the answer, masked, read back by `clea log show/export`; a server killed with kill -9 under load
has lost no answered decision. Runs against a real PostgreSQL server the tests start (tests/service/postgresql.py)."""
from __future__ import annotations

import io
import json
import signal
import subprocess
import threading
from argparse import ArgumentParser

import pytest

from engine.cli import log as log_command
from engine.service.decision_log import DecisionLogError, open_log, read_decisions
from engine.service.log_postgresql import redacted
from engine.service.masking import MASK

from .conftest import _clea_command, scenario
from .test_decision_log import PERSONAL, decision


def _run_log(*argv):
    parser = ArgumentParser()
    log_command.add_parser(parser.add_subparsers())
    args = parser.parse_args(["log", *argv])
    out, err = io.StringIO(), io.StringIO()
    return log_command.run(args, out, err), out.getvalue(), err.getvalue()


def test_rows_are_committed_and_read_back_masked(postgresql_url):
    log = open_log(postgresql_url)
    log.record([decision(1), decision(2)], PERSONAL)
    log.close()
    records = list(read_decisions(postgresql_url))
    assert [r["decision_id"] for r in records] == ["d-0001", "d-0002"]
    assert records[0]["faits"]["organisme"]["intervenants"][0] == {"id": "E1", "nom": MASK}
    assert records[0]["politique"] == decision(1)["politique"] and records[0]["verdict"]["statut"] == "candidat"


def test_the_facts_and_the_verdict_are_stored_as_text_accents_included(postgresql_url):
    import psycopg
    log = open_log(postgresql_url)
    log.record([decision(1, verdict={"statut": "habilité", "motifs": ["Échéance passée"]})])
    log.close()
    with psycopg.connect(postgresql_url) as db:
        row = db.execute("SELECT pg_typeof(verdict)::text, verdict, verdict::jsonb->>'statut' FROM clea_decisions"
                         ).fetchone()
    assert row == ("text", '{"statut":"habilité","motifs":["Échéance passée"]}', "habilité")
    assert [r["verdict"] for r in read_decisions(postgresql_url)] == [{"statut": "habilité", "motifs": ["Échéance passée"]}]


def test_a_batch_is_recorded_whole_or_not_at_all(postgresql_url):
    log = open_log(postgresql_url)
    log.record([decision(1)])
    with pytest.raises(DecisionLogError, match="cannot write"):
        log.record([decision(2), decision(1)])          # d-0001 again: the whole transaction fails
    log.record([decision(3)])
    log.close()
    assert [r["decision_id"] for r in read_decisions(postgresql_url)] == ["d-0001", "d-0003"]


def test_a_broken_connection_is_opened_again(postgresql_url):
    import psycopg
    log = open_log(postgresql_url)
    log.record([decision(1)])
    with psycopg.connect(postgresql_url, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                      "WHERE datname = current_database() AND pid <> pg_backend_pid()")
    log.record([decision(2)])
    log.close()
    assert [r["decision_id"] for r in read_decisions(postgresql_url)] == ["d-0001", "d-0002"]


def test_clea_log_show_and_export_read_it(postgresql_url):
    log = open_log(postgresql_url)
    log.record([decision(1), decision(2)], PERSONAL)
    log.close()
    code, out, err = _run_log("show", "--log", postgresql_url)
    assert code == 0, err
    assert len(out.splitlines()) == 2 and "certifpro@2026.1" in out
    code, out, err = _run_log("export", "--log", postgresql_url, "--since", "2000-01-01")
    exported = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and [e["decision_id"] for e in exported] == ["d-0001", "d-0002"]
    assert exported[0]["faits"]["organisme"]["intervenants"][0]["nom"] == MASK


def test_an_unreachable_database_is_a_clear_error_that_hides_the_password(postgresql_server):
    url = f"postgresql://clea:s3cret@127.0.0.1:{postgresql_server.port}/nulle_part"
    with pytest.raises(DecisionLogError) as caught:
        open_log(url)
    assert "s3cret" not in str(caught.value) and "clea:***@" in str(caught.value)
    code, _, err = _run_log("show", "--log", url)
    assert code == 2 and "s3cret" not in err
    assert redacted("postgresql://u:p@h/b?password=x&sslmode=require") == \
        "postgresql://u:***@h/b?password=***&sslmode=require"


def test_serve_refuses_a_size_cap_on_postgresql(postgresql_url):
    done = subprocess.run([*_clea_command(), "serve", "--port", "0", "--log", postgresql_url, "--log-max-size", "1M"],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 2 and "SQLite log only" in done.stderr


def test_two_servers_share_it_under_load_and_one_killed_loses_no_answered_decision(start_server, postgresql_url):
    servers = [start_server(None, "--log", postgresql_url) for _ in range(2)]
    case = scenario("p03")
    answered: list[str] = []
    lock = threading.Lock()
    killed = threading.Event()
    failures: list[str] = []

    def load(server, count: int) -> None:
        with server.client() as client:
            for n in range(count):
                try:
                    response = client.post("/v1/evaluations/batch", json=[
                        {"faits": case["faits"], "date": f"2026-{1 + (n % 9):02d}-15"}] * 3)
                except Exception as exc:  # noqa: BLE001 - the killed server's connections break: not answered
                    if not (killed.is_set() and server is servers[0]):
                        failures.append(repr(exc))
                    return
                if response.status_code != 200:
                    failures.append(response.text)
                else:
                    with lock:
                        answered.extend(item["decision_id"] for item in response.json())

    workers = [threading.Thread(target=load, args=(server, 40)) for server in servers for _ in range(3)]
    for worker in workers:
        worker.start()
    while len(answered) < 60:          # bounded: 240 requests at most; kill once the load is well under way
        if not any(worker.is_alive() for worker in workers):
            break
        threading.Event().wait(0.05)
    killed.set()
    servers[0].process.send_signal(signal.SIGKILL)
    servers[0].process.wait()
    for worker in workers:
        worker.join(300)
    logged = {record["decision_id"] for record in read_decisions(postgresql_url)}
    assert failures == [] and len(answered) > 60
    assert set(answered) <= logged, f"{len(set(answered) - logged)} answered decisions missing from the log"
    records = list(read_decisions(postgresql_url))
    assert all(r["faits"]["organisme"].get("intervenants", [{}])[0].get("nom") in (None, MASK) for r in records)
