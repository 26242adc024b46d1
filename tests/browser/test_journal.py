"""Décisions: the journal opens with the service's token only; it is searched by day, SIREN and status; a logged
decision's verdict page is reachable by its decision_id, with personal data masked as in the log."""
from __future__ import annotations

import yaml

from service.conftest import JOURNAL_TOKEN, ROOT


def _evaluate(page, facts: dict, day: str) -> str:
    """Evaluate facts on the page; return the decision's permanent link."""
    page.open("/evaluer")
    page.driver.execute_script("arguments[0].value = arguments[1]", page.find("#document"),
                               yaml.safe_dump(facts, allow_unicode=True))
    page.set_date("#date", day)
    page.click("form button[type=submit]")
    return page.find("a[href^='/decisions/']").get_attribute("href").removeprefix(page.base)


def test_the_journal_asks_for_the_token_then_finds_decisions(page):
    facts = yaml.safe_load((ROOT / "examples" / "mise-en-demeure.yaml").read_text(encoding="utf-8"))
    facts["organisme"]["intervenants"][0]["nom"] = "Camille Dupont"
    link = _evaluate(page, facts, "2026-11-27")

    page.driver.execute_cdp_cmd("Network.clearBrowserCookies", {})
    page.open(link)
    assert page.path.startswith("/decisions/connexion?suite="), page.path          # the token first
    page.find("#jeton").send_keys("pas-le-bon")
    page.click("form button[type=submit]")
    assert "Ce jeton n'ouvre pas le journal" in page.text()
    assert page.find("#jeton").get_attribute("aria-invalid") == "true"
    page.find("#jeton").send_keys(JOURNAL_TOKEN)
    page.click("form button[type=submit]")
    assert page.path == link                                             # back where the person was going
    assert page.find("h1").text == "Verdict au vendredi 27 novembre 2026"
    assert "Habilitation suspendue" in page.text("dl.resume")
    page.find("details:has(pre) summary").click()
    logged = page.text("details:has(pre) pre")
    assert '"nom": "***"' in logged and "Dupont" not in page.driver.page_source   # masked as in the log
    page.shot("decision-journalisee")

    page.click("a[href='/decisions']")
    page.find("#siren").send_keys("732829320")
    page.driver.execute_script("arguments[0].value = 'suspendu'", page.find("#statut"))
    page.click("form[role=search] button[type=submit]")
    assert page.path.startswith("/decisions?") and "siren=732829320" in page.path and "statut=suspendu" in page.path
    rows = page.find_all("tbody tr")
    assert rows and all("732829320" in row.text and "suspendu" in row.text for row in rows)
    assert any(link in a.get_attribute("href") for row in rows for a in row.find_elements("css selector", "a"))
    page.shot("journal-recherche")

    page.find("#siren").clear()
    page.find("#siren").send_keys("552100554")
    page.click("form[role=search] button[type=submit]")
    assert "Aucune décision ne correspond à cette recherche." in page.text()


def test_the_journal_searches_by_day(signed_in):
    page = signed_in
    page.open("/decisions?du=2000-01-01&au=2000-01-02")
    assert "Aucune décision ne correspond" in page.text()
    page.open("/decisions")
    assert page.find_all("tbody tr")


def test_closing_the_journal_forgets_the_token(signed_in):
    page = signed_in
    page.open("/decisions")
    page.click("form[action='/decisions/deconnexion'] button")
    page.open("/decisions")
    assert page.path.startswith("/decisions/connexion")
