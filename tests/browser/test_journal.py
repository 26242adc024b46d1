"""Décisions: the journal opens for an account with the role instruction; it is searched by day, SIREN and status; a
logged decision's verdict page is reachable by its decision_id, with personal data masked as in the log."""
from __future__ import annotations

import yaml
from service.conftest import ROOT


def _evaluate(page, facts: dict, day: str) -> str:
    """Evaluate facts on the page; return the decision's permanent link."""
    page.open("/evaluer")
    page.driver.execute_script("arguments[0].value = arguments[1]", page.find("#document"),
                               yaml.safe_dump(facts, allow_unicode=True))
    page.set_date("#date", day)
    page.click("main form button[type=submit]")
    return page.find("a[href^='/decisions/']").get_attribute("href").removeprefix(page.base)


def test_the_journal_asks_to_sign_in_then_finds_decisions(account_page):
    page = account_page
    facts = yaml.safe_load((ROOT / "examples" / "mise-en-demeure.yaml").read_text(encoding="utf-8"))
    facts["organisme"]["intervenants"][0]["nom"] = "Camille Dupont"
    page.sign_in("instructeur")
    link = _evaluate(page, facts, "2026-11-27")
    page.sign_out()

    page.open(link)
    assert page.path.startswith("/connexion?suite="), page.path                    # signing in first
    page.sign_in("instructeur", "pas le bon mot de passe")
    assert "Identifiant ou mot de passe incorrect." in page.text("[role=alert]")
    page.sign_in("instructeur")
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
    _evaluate(page, yaml.safe_load((ROOT / "examples" / "mise-en-demeure.yaml").read_text(encoding="utf-8")),
              "2026-11-27")
    page.open("/decisions?du=2000-01-01&au=2000-01-02")
    assert "Aucune décision ne correspond" in page.text()
    page.open("/decisions")
    assert page.find_all("tbody tr")


def test_signing_out_closes_the_journal(signed_in):
    page = signed_in
    page.open("/decisions")
    page.sign_out()
    assert page.path == "/connexion"
    page.open("/decisions")
    assert page.path.startswith("/connexion?suite=")
