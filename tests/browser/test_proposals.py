"""The board's change without a terminal, in a real browser: the secretary proposes the instruction fee at 350 € HT
from 1 January 2027 with its decision, sees the case it breaks and updates it, sees its impact; the president
approves; the API then answers with the new revision and an application of 2023 keeps 300 €. A CPNE's officer
cannot touch the base policy, nobody approves their own proposal, and a proposal gone stale cannot be approved.

Each test file's server serves its own scratch git repository (a copy of the frozen policies), never the project's.
"""
from __future__ import annotations

import json
import time

import local_http
import pytest
import yaml
from service.conftest import Server
from service.proposal_setup import CASE, DECISION, PASSWORD, board_accounts, dossiers_file, git, scratch_repository

from .conftest import Page

FEE_FORM = "/politiques/certifpro/parametres/frais.instruction/proposer"


@pytest.fixture(scope="module")
def board(tmp_path_factory):
    folder = tmp_path_factory.mktemp("conseil")
    policies = scratch_repository(folder)
    server = Server(folder, policies, extra_args=("--accounts", str(board_accounts(folder)), "--proposals",
                                                  str(folder / "propositions"), "--proposals-dossiers",
                                                  str(dossiers_file(folder))))
    yield server
    server.stop()


@pytest.fixture
def visit(browser, board):
    browser.execute_cdp_cmd("Network.clearBrowserCookies", {})
    return Page(browser, board.url)


def sign_in(page: Page, identifier: str) -> Page:
    page.driver.execute_cdp_cmd("Network.clearBrowserCookies", {})
    return page.sign_in(identifier, PASSWORD)


def _facts() -> dict:
    return json.loads(json.dumps(yaml.safe_load(CASE.read_text(encoding="utf-8"))["faits"], default=str))


def _fee(answer: dict, due: str) -> str:
    return next(f["montant_ht"] for f in answer["frais"] if f["id"] == "frais_instruction" and f["echeance"] == due)


def _accessible(page: Page) -> None:
    violations = page.axe()
    assert not violations, f"{page.path}:\n" + "\n".join(f"{v['id']} ({v['impact']}): {v['help']} — {v['nodes'][:3]}"
                                                         for v in violations)


def _propose(page: Page, form: str, value: str, since: str = "2027-01-01") -> str:
    page.open(form)
    page.find("#valeur").send_keys(value)
    page.set_date("#depuis", since)
    page.find("#decision_reference").send_keys(DECISION)
    page.set_date("#decision_date", "2026-11-20")
    page.click("form[action$='/proposer'] button[type=submit]")
    assert page.path.startswith("/propositions/"), page.text()
    return page.path


def test_the_secretary_proposes_and_the_president_approves(visit, board):
    page = sign_in(visit, "marie")
    page.open("/parametres")
    _accessible(page)
    page.click(f"a[href='{FEE_FORM}']")
    assert page.path == FEE_FORM
    page.find("#valeur").send_keys("trois cents")                     # a mistake first: shown at its field
    page.set_date("#depuis", "2027-01-01")
    page.find("#decision_reference").send_keys(DECISION)
    page.set_date("#decision_date", "2026-11-20")
    page.click("form[action$='/proposer'] button[type=submit]")
    assert "La proposition n'est pas enregistrée" in page.text()
    assert page.find("#valeur").get_attribute("aria-invalid") == "true"
    page.shot("proposition-formulaire-erreurs")
    _accessible(page)
    page.find("#valeur").clear()
    page.find("#valeur").send_keys("350")
    page.click("form[action$='/proposer'] button[type=submit]")
    address = page.path
    assert address.startswith("/propositions/")
    assert "à partir du 01/01/2027 : 300,00 € HT → 350,00 € HT" in page.text("#changement")
    assert DECISION in page.text()
    assert "1 cas sur" in page.text("#cas-resultat")
    assert "montant 300,00 € HT → 350,00 € HT" in page.text("#cas-resultat + section")
    page.shot("proposition-cas-a-mettre-a-jour")
    _accessible(page)
    page.click("form[action$='/cas'] button[type=submit]")
    assert "ont été mises à jour" in page.text() and "donnent toujours ce qu'ils attendent" in page.text("#cas-resultat")
    page.set_date("#date-impact", "2027-06-30")
    page.click("form[action$='/impact'] button[type=submit]")
    deadline = time.monotonic() + 120            # the page refreshes itself while the impact is measured
    while not page.find_all("#impact-resultat") and time.monotonic() < deadline:
        time.sleep(0.5)
    assert "1 changent" in page.text("#impact-resultat")
    assert "300,00 € HT → 350,00 € HT" in page.text("#impact-dossiers")
    page.shot("proposition-impact")
    assert not page.find_all("#approuver")                              # not by its author

    with local_http.client(base_url=board.url, timeout=60) as api:
        before = api.post("/v1/evaluations", json={"faits": _facts(), "date": "2027-02-01"}).json()
        sign_in(page, "paul")
        page.open(address)
        page.click("#approuver")
        assert "La proposition est approuvée et publiée" in page.text()
        assert page.text("#etat") == "approuvée et publiée"
        after = api.post("/v1/evaluations", json={"faits": _facts(), "date": "2027-02-01"}).json()
    assert after["politique"]["revision"] != before["politique"]["revision"]
    assert _fee(before, "2027-01-11") == "300.00" and _fee(after, "2027-01-11") == "350.00"
    assert _fee(after, "2023-10-02") == "300.00"                         # the application of 2023 keeps its fee
    log = git(board.policies.parent, "log", "-2", "--format=%an|%cn|%b")
    assert "Marie Durand|Paul Bernard|" in log and f"Decision: {DECISION}" in log
    page.shot("proposition-publiee")
    page.click("a[href='/propositions']")
    assert DECISION in page.text() and "approuvée et publiée" in page.text()
    _accessible(page)
    page.click("a[href^='/changements?avant=']")
    assert "350,00 € HT" in page.text()


def test_a_cpne_officer_cannot_touch_the_base_policy(visit):
    page = sign_in(visit, "claire")
    page.open("/politiques/certifpro/parametres")
    assert not page.find_all("a[href$='/proposer']")
    page.open(FEE_FORM)
    assert page.find("h1").text == "Accès réservé"
    page.open("/politiques/cpne_exemple/parametres")
    assert page.find_all("a[href='/politiques/cpne_exemple/parametres/decision.delai_notification/proposer']")


def test_nobody_approves_their_own_proposal(visit):
    page = sign_in(visit, "sophie")
    address = _propose(page, "/politiques/certifpro/parametres/frais.redevance_certificat/proposer", "12")
    assert not page.find_all("#approuver")
    # the button is not offered; a hand-made request is refused all the same
    page.driver.execute_script(
        "const f = document.createElement('form'); f.method = 'post'; f.action = arguments[0];"
        "const t = document.querySelector('input[name=jeton_formulaire]').cloneNode(); f.appendChild(t);"
        "document.body.appendChild(f); f.submit();", f"{address}/approuver")
    time.sleep(1)
    assert "autre personne que son auteur" in page.text()
    page.open(address)
    assert page.text("#etat") == "ouverte"


def test_a_stale_proposal_cannot_be_approved(visit, board):
    page = sign_in(visit, "marie")
    address = _propose(page, "/politiques/certifpro/parametres/recours.delai_depot/proposer", "25")
    parameters = board.policies / "certifpro" / "parametres.yaml"
    parameters.write_text(parameters.read_text(encoding="utf-8") + "# relu par le conseil\n", encoding="utf-8")
    git(board.policies.parent, "commit", "-q", "-am", "parametres relus")
    sign_in(page, "paul")
    page.open(address)
    assert "Proposition périmée" in page.text("#perimee")
    assert not page.find_all("#approuver")
    page.shot("proposition-perimee")
