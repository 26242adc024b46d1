"""What people read besides the JSON: the iCalendar of open due dates and the printable HTML page."""
from __future__ import annotations

import re
import shutil
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path

import icalendar
import pytest
import yaml

from engine import evaluate
from engine.reports.html import verdict_html
from engine.reports.ics import open_actions, verdict_ics

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


def example(name: str) -> dict:
    return yaml.safe_load((ROOT / "examples" / name).read_text(encoding="utf-8"))


@pytest.fixture
def pending(policies):
    """An application under instruction on 27/11/2026: the Instance's convocation is late, two deadlines ahead."""
    facts = example("instruction-en-cours.yaml")
    return facts, evaluate(facts, "2026-11-27", policies=policies), policies.for_instance("certifpro")


def entries(text: str) -> list:
    return icalendar.Calendar.from_ical(text).walk("VEVENT")


def test_the_calendar_has_one_entry_per_open_due_date_with_the_verdicts_dates(pending):
    _, verdict, policy = pending
    calendar = icalendar.Calendar.from_ical(verdict_ics(verdict, policy))
    found = calendar.walk("VEVENT")
    expected = [a for a in verdict["actions"] if a["etat"] in ("a_faire", "en_retard") and a["echeance"]]
    assert len(expected) == 3
    assert sorted(e.decoded("dtstart") for e in found) == sorted(date.fromisoformat(a["echeance"]) for a in expected)
    assert all(e.decoded("dtend") - e.decoded("dtstart") == date(2000, 1, 2) - date(2000, 1, 1) for e in found)
    assert calendar["x-wr-timezone"] == "Europe/Paris"
    assert calendar.walk("VTIMEZONE")[0]["tzid"] == "Europe/Paris"


def test_each_entry_has_the_rules_title_the_article_and_the_siren(pending):
    _, verdict, policy = pending
    late, = [e for e in entries(verdict_ics(verdict, policy)) if e.decoded("dtstart") == date(2026, 11, 23)]
    summary, description = str(late["summary"]), str(late["description"])
    assert summary.startswith("EN RETARD — La convocation à l'audition est adressée au plus tard 8 jours ouvrés")
    assert "SIREN 732829320" in summary
    assert "Article : III.3" in description and "Obligation de l'Instance" in description
    assert "Atelier Numérique Exemple SAS" in description


def test_the_calendar_filters_by_actor_and_its_uids_are_stable(policies, pending):
    facts, verdict, policy = pending
    assert entries(verdict_ics(verdict, policy, actor="organisme")) == []
    stamp = datetime(2026, 11, 27, 8, tzinfo=UTC)
    again = evaluate(facts, "2026-12-01", policies=policies)
    uids = {str(e["uid"]) for e in entries(verdict_ics(verdict, policy, stamp=stamp))}
    assert {str(e["uid"]) for e in entries(verdict_ics(again, policy, stamp=stamp))} <= uids and len(uids) == 3


def test_with_explanations_the_entry_says_how_its_date_was_counted(policies):
    facts = example("instruction-en-cours.yaml")
    verdict = evaluate(facts, "2026-11-27", policies=policies, explain=True)
    late, = [e for e in entries(verdict_ics(verdict, policies.for_instance("certifpro")))
             if e.decoded("dtstart") == date(2026, 11, 23)]
    assert "8 jours ouvrés avant le jeudi 3 décembre 2026" in str(late["description"])


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_the_page_is_self_contained_and_its_picture_shows_every_due_date(path, policies):
    facts = yaml.safe_load(path.read_text(encoding="utf-8"))
    verdict = evaluate(facts, "2026-11-27", policies=policies, explain=True)
    page = verdict_html(verdict, policies.for_instance(verdict["instance"]), facts)
    assert not re.search(r"<script|<link|<img|@import|url\(", page)
    assert re.findall(r"https?://[^\"' ]+", page) == ["http://www.w3.org/2000/svg"]   # the SVG namespace only
    picture = page[page.index("<svg"):page.index("</svg>")]
    labels = " ".join(re.findall(r"<text[^>]*>([^<]*)</text>", picture))
    for action in verdict["actions"]:
        if action["echeance"]:
            day = date.fromisoformat(action["echeance"])
            assert f"{day:%d/%m/%Y}" in labels, action["id"]
    for action in open_actions(verdict):
        if action["etat"] == "en_retard":
            assert re.search(rf'class="retard">{date.fromisoformat(action["echeance"]):%d/%m/%Y}[^<]*en retard<',
                             picture)


def test_the_page_speaks_french(pending):
    facts, verdict, policy = pending
    page = verdict_html(verdict, policy, facts)
    assert '<html lang="fr">' in page and "Situation du dossier au 27/11/2026" in page
    assert "EN RETARD depuis le 24/11/2026" in page and "Obligation de l'Instance" in page
    assert "300,00\u00a0€ HT" in page and "envoyer_convocation_audition" not in page


@pytest.mark.skipif(shutil.which("chromium") is None, reason="no headless Chromium on this machine")
def test_the_page_renders_in_headless_chromium_without_network(tmp_path, pending):
    facts, verdict, policy = pending
    page = tmp_path / "verdict.html"
    page.write_text(verdict_html(verdict, policy, facts), encoding="utf-8")
    result = subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu",
                             "--disable-background-networking", "--dump-dom", page.as_uri()],
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0
    assert "<svg" in result.stdout and "23/11/2026 en retard" in result.stdout


def test_a_lapsed_action_without_a_due_date_reads_lapsed():
    """An action with no due date (the text sets none) that lapsed when what it needed ended: no date to show."""
    from engine.reports.text import action_state

    assert action_state({"etat": "echue", "echeance": None}, None) == "échue"
    assert action_state({"etat": "echue", "echeance": "2026-04-14"}, None) == "échue depuis le 15/04/2026"
