"""The API's readable answers: explanations (?explain=true), the open due dates as iCalendar (Accept:
text/calendar), /docs served without any network, and a port already in use told apart from a broken policy."""
from __future__ import annotations

import io
import re
import socket
from datetime import date
from pathlib import Path

import icalendar
import pytest
import yaml

from engine.cli import run

ROOT = Path(__file__).resolve().parent.parent.parent
FACTS = yaml.safe_load((ROOT / "examples" / "instruction-en-cours.yaml").read_text(encoding="utf-8"))
REQUEST = {"faits": FACTS, "date": "2026-11-27"}


@pytest.fixture
def client(server):
    with server.client() as client:
        yield client


def test_explain_true_gives_each_item_its_explanation(client):
    plain = client.post("/v1/evaluations", json=REQUEST).json()
    explained = client.post("/v1/evaluations?explain=true", json=REQUEST).json()
    assert all("explication" not in action for action in plain["actions"])
    late = next(a for a in explained["actions"] if a["etat"] == "en_retard")
    assert late["explication"]["decompte"]["calendrier"] == "metropole"
    assert late["explication"]["declencheur"]["chemin"] == "evenements[3]"
    assert all(fee["explication"]["texte"] for fee in explained["frais"])
    assert client.post("/v1/evaluations?explain=peut-etre", json=REQUEST).status_code == 422


def test_accept_text_calendar_gives_the_open_due_dates(client):
    answer = client.post("/v1/evaluations", json=REQUEST, headers={"accept": "text/calendar"})
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/calendar")
    verdict = client.post("/v1/evaluations", json=REQUEST).json()
    due = sorted(date.fromisoformat(a["echeance"]) for a in verdict["actions"]
                 if a["etat"] in ("a_faire", "en_retard") and a["echeance"])
    found = icalendar.Calendar.from_ical(answer.text).walk("VEVENT")
    assert sorted(e.decoded("dtstart") for e in found) == due
    only = client.post("/v1/evaluations?acteur=organisme", json=REQUEST, headers={"accept": "text/calendar"})
    assert icalendar.Calendar.from_ical(only.text).walk("VEVENT") == []


def test_docs_are_served_with_local_assets_only(client):
    page = client.get("/docs")
    assert page.status_code == 200
    sources = re.findall(r"""(?:src|href)=['"]([^'"]+)['"]""", page.text)
    assert sources and all(source.startswith("/") for source in sources), sources
    for source in sources:
        assert client.get(source).status_code == 200, source


def test_a_port_in_use_is_not_told_as_a_broken_policy(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        out, err = io.StringIO(), io.StringIO()
        code = run(["serve", "--port", str(port), "--log", str(tmp_path / "log.sqlite3")], out, err)
    assert code == 2 and code != 3
    assert f"le port {port} de 127.0.0.1 est déjà utilisé" in err.getvalue()
