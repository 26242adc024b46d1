"""The Règlement page names the versions of an amended rule (issue 19: « the Règlement page name[s] the version
applied »): by decision of 15 January 2027 the Instance examines a recourse within 10 working days instead of 25, for
the applications filed from Mon 1 March 2027. Seen on Sun 28 Feb 2027 the first text applies to facts of that day;
seen on Mon 1 Mar 2027, the amendment."""
from __future__ import annotations

import datetime
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from test_rule_versions import AMENDMENT, EXAMINATION_END  # the amendment of the README's example

from engine.service import app as service_app
from engine.service.pages import reglement
from engine.service.settings import Settings

POLICIES = Path(__file__).resolve().parent.parent / "fixtures" / "policies"
FIRST = "texte initial, en vigueur avant le 01/03/2027"
AMENDED = "version en vigueur depuis le 01/03/2027, décision : CA du 15 janvier 2027, délibération 3"
TODAY_MARK = " — s'applique aux faits datés d'aujourd'hui"


@pytest.fixture
def client(tmp_path):
    folder = tmp_path / "policies"
    shutil.copytree(POLICIES, folder, ignore=shutil.ignore_patterns("tests"))
    rules = folder / "certifpro" / "regles" / "recours.yaml"
    text = rules.read_text(encoding="utf-8")
    assert text.count(EXAMINATION_END) == 1
    rules.write_text(text.replace(EXAMINATION_END, AMENDMENT), encoding="utf-8")
    app = service_app.create_app(Settings(policies_dir=folder, log_path=tmp_path / "log.sqlite3"))
    with TestClient(app) as test_client:
        yield test_client


def _versions_shown(client) -> list[str]:
    html = client.get("/politiques/certifpro/reglement").text
    block = html.split('<ul class="versions">', 1)[1].split("</ul>", 1)[0]
    return [item.replace("<strong>", "").replace("</strong>", "").split("</li>")[0]
            for item in block.split("<li>")[1:]]


@pytest.mark.parametrize(("day", "shown"), [
    (datetime.date(2027, 2, 28), [FIRST + TODAY_MARK, AMENDED]),        # the day before the amendment
    (datetime.date(2027, 3, 1), [FIRST, AMENDED + TODAY_MARK]),         # the day it takes effect
])
def test_the_reglement_page_lists_an_amended_rules_texts_and_the_one_for_today(client, monkeypatch, day, shown):
    monkeypatch.setattr(reglement, "today_in_paris", lambda: day)
    assert _versions_shown(client) == shown


def test_a_rule_without_versions_lists_none(tmp_path):
    app = service_app.create_app(Settings(policies_dir=POLICIES, log_path=tmp_path / "log.sqlite3"))
    with TestClient(app) as test_client:
        assert '<ul class="versions">' not in test_client.get("/politiques/certifpro/reglement").text
