"""The decision log keeps every decision, masked, and refuses loudly when it cannot write."""
import asyncio
import hashlib
import io
import json
import sqlite3
import threading
from argparse import ArgumentParser

import pytest

from engine.cli import log as log_command
from engine.service.decision_log import DecisionLog, DecisionLogError, facts_hash, read_decisions
from engine.service.group_commit import GroupCommit
from engine.service.masking import MASK
from engine.service.serial import SerialExecutor

PERSONAL = ("faits.organisme.intervenants[*].nom",)   # what the schema marks (see test_masking.py)


def decision(n: int, **extra) -> dict:
    return {"decision_id": f"d-{n:04d}", "date_evaluation": "2026-03-10",
            "politique": {"id": "certifpro", "version": "2026.1", "revision": "sha256:abc"},
            "faits": {"organisme": {"siren": "732829320", "intervenants": [{"id": "E1", "nom": "Dupont"}]},
                      "remplissage": "x" * 400},
            "verdict": {"statut": "candidat", "verdict": {"conforme": True, "motifs": []}},
            "appelant": "plateforme", "adresse": "127.0.0.1", **extra}


def test_rows_are_committed_in_wal_mode_and_read_back_masked(tmp_path):
    log = DecisionLog(tmp_path / "log.sqlite3")
    log.record([decision(1), decision(2)], PERSONAL)
    log.close()
    with sqlite3.connect(tmp_path / "log.sqlite3") as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    records = list(read_decisions(tmp_path / "log.sqlite3"))
    assert [r["decision_id"] for r in records] == ["d-0001", "d-0002"]
    assert records[0]["faits"]["organisme"]["intervenants"][0] == {"id": "E1", "nom": MASK}
    assert records[0]["faits_sha256"] == facts_hash(decision(1)["faits"]) != facts_hash({"autre": 1})
    assert records[0]["politique"] == decision(1)["politique"]
    assert records[0]["verdict"]["statut"] == "candidat"


def test_the_facts_and_the_verdict_are_stored_as_text_that_other_tools_read(tmp_path):
    """The JSON reaches SQLite as UTF-8 bytes, stored as TEXT (not as a BLOB): sqlite3, a spreadsheet, json_extract
    read it as the text it is, accents included."""
    log = DecisionLog(tmp_path / "log.sqlite3")
    log.record([decision(1, verdict={"statut": "habilité", "motifs": ["Échéance passée"]})])
    log.close()
    with sqlite3.connect(tmp_path / "log.sqlite3") as db:
        row = db.execute("SELECT typeof(faits), typeof(verdict), verdict, json_extract(verdict, '$.statut') "
                         "FROM decisions").fetchone()
    assert row == ("text", "text", '{"statut":"habilité","motifs":["Échéance passée"]}', "habilité")


def test_a_full_log_raises_and_keeps_what_was_committed(tmp_path):
    log = DecisionLog(tmp_path / "log.sqlite3", max_bytes=48 * 1024)
    written = 0
    with pytest.raises(DecisionLogError, match="full"):
        for n in range(10_000):
            log.record([decision(n)])
            written += 1
    assert 0 < written < 10_000
    assert len(list(read_decisions(tmp_path / "log.sqlite3"))) == written


def test_a_batch_is_recorded_whole_or_not_at_all(tmp_path):
    log = DecisionLog(tmp_path / "log.sqlite3")
    log.record([decision(1)])
    with pytest.raises(DecisionLogError):
        log.record([decision(2), decision(1)])  # the second repeats a decision_id: the whole batch is refused
    assert [r["decision_id"] for r in read_decisions(tmp_path / "log.sqlite3")] == ["d-0001"]


def test_reading_a_missing_log_is_an_error_and_creates_nothing(tmp_path):
    with pytest.raises(DecisionLogError, match="aucun journal des décisions ici"):
        list(read_decisions(tmp_path / "absent.sqlite3"))
    assert not (tmp_path / "absent.sqlite3").exists()


def test_opening_a_log_in_a_missing_folder_is_an_error_in_french_naming_the_folder(tmp_path):
    with pytest.raises(DecisionLogError) as raised:
        DecisionLog(tmp_path / "absent" / "log.sqlite3")
    assert str(raised.value) == (f"{tmp_path / 'absent' / 'log.sqlite3'}: le dossier du journal des décisions "
                                 f"n'existe pas : {tmp_path / 'absent'} (créez-le, ou choisissez un autre --log)")
    assert "unable to open" not in str(raised.value)
    assert not (tmp_path / "absent").exists()


def _run_log(*argv) -> tuple[int, str, str]:
    parser = ArgumentParser(prog="clea")
    log_command.add_parser(parser.add_subparsers(dest="command"))
    stdout, stderr = io.StringIO(), io.StringIO()
    code = log_command.run(parser.parse_args(["log", *argv]), stdout, stderr)
    return code, stdout.getvalue(), stderr.getvalue()


def test_clea_log_show_and_export(tmp_path):
    path = tmp_path / "log.sqlite3"
    log = DecisionLog(path)
    log.record([decision(1), decision(2)], PERSONAL)
    log.close()
    code, out, err = _run_log("show", "--log", str(path))
    assert code == 0, err
    lines = out.splitlines()
    assert len(lines) == 2 and "d-0001" in lines[0] and "certifpro@2026.1" in lines[0] and "conforme" in lines[0]
    code, out, err = _run_log("export", "--log", str(path))
    assert code == 0, err
    exported = [json.loads(line) for line in out.splitlines()]
    assert [e["decision_id"] for e in exported] == ["d-0001", "d-0002"]
    assert exported[0]["faits"]["organisme"]["intervenants"][0]["nom"] == MASK


def test_clea_log_since_filters_by_recording_time(tmp_path):
    path = tmp_path / "log.sqlite3"
    log = DecisionLog(path)
    log.record([decision(1)])
    log.close()
    assert _run_log("show", "--log", str(path), "--since", "2000-01-01")[1].count("\n") == 1
    assert _run_log("export", "--log", str(path), "--since", "2999-01-01")[1] == ""
    assert _run_log("show", "--log", str(path), "--since", "2999-01-01T10:00:00+02:00")[1] == ""


@pytest.mark.parametrize("argv, message", [
    (["show", "--since", "2026-02-30"], "--since"),
    (["export", "--log", "{missing}"], "aucun journal des décisions ici"),
])
def test_clea_log_bad_input_exits_2_with_a_message(tmp_path, argv, message):
    argv = [arg.format(missing=tmp_path / "absent.sqlite3") for arg in argv]
    if "--log" not in argv:
        argv += ["--log", str(tmp_path / "absent.sqlite3")]
    code, out, err = _run_log(*argv)
    assert code == 2 and message in err and "Traceback" not in err and out == ""


class CountingLog(DecisionLog):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.transactions: list[int] = []      # requests per write

    def write(self, groups):
        self.transactions.append(len(groups))
        super().write(groups)


def _gathered(log, batches):
    """Submit every batch while the log's thread is held, then let it go: the waiting requests form one group."""
    writer = SerialExecutor("test-log")
    commit = GroupCommit(log, writer)
    held = threading.Event()
    writer.submit(held.wait)
    futures = [commit.submit(batch, PERSONAL) for batch in batches]
    held.set()
    outcomes = []
    for future in futures:
        try:
            outcomes.append(future.result(timeout=30))
        except DecisionLogError as exc:
            outcomes.append(exc)
    writer.shutdown()
    return outcomes


def test_requests_waiting_together_are_committed_in_one_transaction(tmp_path):
    log = CountingLog(tmp_path / "log.sqlite3")
    outcomes = _gathered(log, [[decision(n)] for n in range(1, 9)] + [[decision(9), decision(10)]])
    log.close()
    assert outcomes == [None] * 9
    assert log.transactions == [9]
    records = list(read_decisions(tmp_path / "log.sqlite3"))
    assert [r["decision_id"] for r in records] == [f"d-{n:04d}" for n in range(1, 11)]
    assert records[0]["faits"]["organisme"]["intervenants"][0]["nom"] == MASK


def test_in_a_group_one_request_failing_fails_alone_and_the_others_are_committed(tmp_path):
    log = CountingLog(tmp_path / "log.sqlite3")
    log.record([decision(1)])
    outcomes = _gathered(log, [[decision(2)], [decision(3), decision(1)], [decision(4)]])  # d-0001 again
    log.close()
    assert outcomes[0] is None and outcomes[2] is None and isinstance(outcomes[1], DecisionLogError)
    assert log.transactions == [1, 3, 1, 1, 1]       # the group failed whole, then each request alone
    assert [r["decision_id"] for r in read_decisions(tmp_path / "log.sqlite3")] == ["d-0001", "d-0002", "d-0004"]


def test_a_request_alone_is_committed_at_once(tmp_path):
    log = CountingLog(tmp_path / "log.sqlite3")
    writer = SerialExecutor("test-log")
    commit = GroupCommit(log, writer)
    for n in range(1, 4):
        assert commit.submit([decision(n)]).result(timeout=30) is None
        assert len(list(read_decisions(tmp_path / "log.sqlite3"))) == n   # durable when its future is done
    writer.shutdown()
    log.close()
    assert log.transactions == [1, 1, 1]


def test_an_awaited_request_is_durable_when_it_returns(tmp_path):
    log = CountingLog(tmp_path / "log.sqlite3")
    writer = SerialExecutor("test-log")
    commit = GroupCommit(log, writer)

    async def requests():
        for n in range(1, 4):
            await commit.record([decision(n)])
            assert len(list(read_decisions(tmp_path / "log.sqlite3"))) == n
        with pytest.raises(DecisionLogError):
            await commit.record([decision(1)])       # d-0001 again: refused, nothing committed
    asyncio.run(requests())
    writer.shutdown()
    log.close()
    assert log.transactions == [1, 1, 1, 1]
    assert [r["decision_id"] for r in read_decisions(tmp_path / "log.sqlite3")] == ["d-0001", "d-0002", "d-0003"]


def test_a_request_gone_before_its_group_is_committed_is_not_logged(tmp_path):
    log = CountingLog(tmp_path / "log.sqlite3")
    writer = SerialExecutor("test-log")
    commit = GroupCommit(log, writer)
    held = threading.Event()
    writer.submit(held.wait, 30)

    async def requests():
        gone = asyncio.create_task(commit.record([decision(1)]))
        kept = [asyncio.create_task(commit.record([decision(n)])) for n in (2, 3)]
        await asyncio.sleep(0)           # the three waiting behind the held thread
        gone.cancel()                    # its client went away
        held.set()
        await asyncio.gather(*kept)
        with pytest.raises(asyncio.CancelledError):
            await gone
    asyncio.run(requests())
    writer.shutdown()
    log.close()
    assert log.transactions == [2]
    assert [r["decision_id"] for r in read_decisions(tmp_path / "log.sqlite3")] == ["d-0002", "d-0003"]


@pytest.mark.parametrize("facts", [
    {"montant": 1e-05, "petit": 2.5e-07, "grand": 2**70, "texte": "é\u2028\x7f\x00 1e-5 0.00001"},
    {"b": [0.0001, 1e16, -0.0, True, None], "a": {"z": 1, "y": "2026-03-10"}},
])
def test_the_facts_hash_is_the_sha256_of_their_canonical_json(facts):
    canonical = json.dumps(facts, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert facts_hash(facts) == "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()
