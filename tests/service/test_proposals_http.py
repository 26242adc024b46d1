"""Proposals over HTTP, in the test process (TestClient): the form, the checks, a case updated, the impact, the
roles, approval by a second person, publication and the API's new revision, staleness."""
from __future__ import annotations

import re
import time

import pytest
from fastapi.testclient import TestClient

from engine.service import app as service_app
from engine.service.settings import Settings

from .proposal_setup import DECISION, PASSWORD, board_accounts, dossiers_file, git, scratch_repository

HTML = {"accept": "text/html,application/xhtml+xml"}
FORM = "/politiques/certifpro/parametres/frais.instruction/proposer"
NEW_FEE = {"nature": "nouvelle_valeur", "valeur": "350", "depuis": "2027-01-01", "decision_reference": DECISION,
           "decision_date": "2026-11-20"}


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    folder = tmp_path_factory.mktemp("propositions")
    policies = scratch_repository(folder)
    settings = Settings(policies_dir=policies, log_path=folder / "log.sqlite3", accounts_path=board_accounts(folder),
                        proposals_path=folder / "propositions", proposals_dossiers=dossiers_file(folder))
    app = service_app.create_app(settings)
    with TestClient(app, headers=HTML, follow_redirects=False) as first:
        yield app, policies, first


def token(client, page: str) -> dict:
    found = re.search(r'name="jeton_formulaire" value="([^"]+)"', client.get(page).text)
    assert found, page
    return {"jeton_formulaire": found.group(1)}


def client_of(app, identifier: str) -> TestClient:
    client = TestClient(app, headers=HTML, follow_redirects=False)
    answer = client.post("/connexion", data={"identifiant": identifier, "mot_de_passe": PASSWORD, "suite": "/",
                                             **token(client, "/connexion")})
    assert answer.status_code == 303, answer.text
    return client


def fee_of(answer: dict, due: str) -> str:
    return next(fee["montant_ht"] for fee in answer["frais"] if fee["id"] == "frais_instruction" and fee["echeance"] == due)


def test_the_whole_journey_over_http(served):
    app, policies, _ = served
    marie, paul, claire = client_of(app, "marie"), client_of(app, "paul"), client_of(app, "claire")
    page = marie.get("/politiques/certifpro/parametres").text
    assert f'href="{FORM}"' in page
    assert "Proposer une modification" not in paul.get("/politiques/certifpro/parametres").text
    # a CPNE's officer may not touch the base policy, with or without the form's token
    assert claire.get(FORM).status_code == 403
    assert marie.get(FORM).text.count('maxlength="250"') == 2      # the decision and the motive, as read_change
    assert claire.post(FORM, data={**NEW_FEE, **token(claire, "/propositions")}).status_code == 403
    # an invalid form comes back with each problem at its field; nothing is kept
    bad = marie.post(FORM, data={**NEW_FEE, "valeur": "trois cents", "decision_date": "2027-02-01",
                                 **token(marie, FORM)})
    assert bad.status_code == 422
    assert "un montant est attendu" in bad.text and 'aria-invalid="true"' in bad.text
    assert "postérieure à la date" in bad.text
    made = marie.post(FORM, data={**NEW_FEE, **token(marie, FORM)})
    assert made.status_code == 303, made.text
    address = made.headers["location"]
    shown = marie.get(address).text
    assert "300,00" in shown and "350,00" in shown and "01/01/2027" in shown
    assert "Mettre à jour les valeurs attendues de ce cas" in shown
    # a second proposal on the same parameter is refused while the first is open
    second = marie.post(FORM, data={**NEW_FEE, "valeur": "360", **token(marie, FORM)})
    assert second.status_code == 409 and "encore ouverte" in second.text
    # the approver may not approve while a case breaks; the author may not approve at all
    number = address.rsplit("/", 1)[1]
    assert marie.post(f"{address}/approuver", data=token(marie, address)).status_code == 403
    assert 'id="approuver"' not in paul.get(address).text
    case = re.search(r'name="fichier" value="([^"]+)"', shown).group(1)
    assert marie.post(f"{address}/cas", data={"fichier": case, **token(marie, address)}).status_code == 303
    assert "donnent toujours ce qu'ils attendent" in marie.get(address).text
    assert marie.post(f"{address}/impact", data={"date": "2027-06-30", **token(marie, address)}).status_code == 303
    deadline = time.monotonic() + 120
    while "Calcul en cours" in (text := marie.get(address).text) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert "1 changent" in text and "300,00" in text
    before = paul.post("/v1/evaluations", json={"faits": _facts(), "date": "2027-02-01"}).json()
    assert fee_of(before, "2027-01-11") == "300.00"
    approved = paul.post(f"{address}/approuver", data=token(paul, address))
    assert approved.status_code == 303, approved.text
    assert "approuvée et publiée" in paul.get(address).text
    after = paul.post("/v1/evaluations", json={"faits": _facts(), "date": "2027-02-01"}).json()
    assert fee_of(after, "2027-01-11") == "350.00" and fee_of(after, "2023-10-02") == "300.00"
    assert after["politique"]["revision"] != before["politique"]["revision"]
    log = git(policies.parent, "log", "-2", "--format=%an|%cn|%s%n%b")
    assert "Marie Durand|Paul Bernard|" in log and f"Decision: {DECISION}" in log and f"Proposal: {number}" in log
    assert git(policies.parent, "status", "--porcelain") == ""
    history = paul.get("/propositions").text
    assert "approuvée et publiée" in history and DECISION in history and "Voir les changements" in history


def test_a_proposal_gone_stale_cannot_be_approved(served):
    app, policies, _ = served
    marie, paul = client_of(app, "marie"), client_of(app, "paul")
    form = "/politiques/certifpro/parametres/recours.delai_depot/proposer"
    made = marie.post(form, data={**NEW_FEE, "valeur": "25", **token(marie, form)})
    assert made.status_code == 303, made.text
    address = made.headers["location"]
    parameters = policies / "certifpro" / "parametres.yaml"
    parameters.write_text(parameters.read_text(encoding="utf-8") + "# relu par le conseil\n", encoding="utf-8")
    git(policies.parent, "commit", "-q", "-am", "un commentaire")
    assert "Proposition périmée" in paul.get(address).text
    refused = paul.post(f"{address}/approuver", data=token(paul, address))
    assert refused.status_code == 409 and "périmée" in refused.text
    assert marie.post(f"{address}/refaire", data=token(marie, address)).status_code == 303
    shown = marie.get(address).text
    assert "Proposition périmée" not in shown and "refaite sur la version en service par Marie Durand" in shown
    assert marie.post(f"{address}/retirer", data=token(marie, address)).status_code == 303
    assert "retirée" in marie.get(address).text


def test_nobody_approves_their_own_proposal(served):
    app, _, _ = served
    sophie, paul = client_of(app, "sophie"), client_of(app, "paul")
    form = "/politiques/certifpro/parametres/frais.redevance_certificat/proposer"
    made = sophie.post(form, data={**NEW_FEE, "valeur": "12", **token(sophie, form)})
    assert made.status_code == 303, made.text
    address = made.headers["location"]
    assert 'id="approuver"' not in sophie.get(address).text
    refused = sophie.post(f"{address}/approuver", data=token(sophie, address))
    assert refused.status_code == 409 and "autre personne que son auteur" in refused.text
    assert "ouverte" in sophie.get(address).text
    refusal = paul.post(f"{address}/refuser", data={"motif": "pas voté", **token(paul, address)})
    assert refusal.status_code == 303
    assert "refusée par Paul Bernard : pas voté" in sophie.get(address).text


def _facts() -> dict:
    import json

    import yaml

    from .proposal_setup import CASE
    return json.loads(json.dumps(yaml.safe_load(CASE.read_text(encoding="utf-8"))["faits"], default=str))


def test_without_accounts_or_git_the_pages_say_why_proposals_are_unavailable(tmp_path):
    import shutil

    from .conftest import POLICIES
    copy = tmp_path / "politiques"
    shutil.copytree(POLICIES, copy)
    public = service_app.create_app(Settings(policies_dir=copy, log_path=tmp_path / "a.sqlite3"))
    with TestClient(public, headers=HTML, follow_redirects=False) as client:
        answer = client.get("/propositions")
        assert answer.status_code == 200 and "demandent des comptes" in answer.text
        assert client.get(FORM).status_code == 403
    app = service_app.create_app(Settings(policies_dir=copy, log_path=tmp_path / "b.sqlite3",
                                          accounts_path=board_accounts(tmp_path)))
    with TestClient(app, headers=HTML, follow_redirects=False):
        marie = client_of(app, "marie")
        answer = marie.get("/propositions")
        assert answer.status_code == 200 and "pas dans un dépôt git" in answer.text
        assert marie.get(FORM).status_code == 503


def test_the_impact_is_measured_on_the_decision_logs_recent_dossiers_by_default(tmp_path):
    policies = scratch_repository(tmp_path)
    app = service_app.create_app(Settings(policies_dir=policies, log_path=tmp_path / "log.sqlite3",
                                          accounts_path=board_accounts(tmp_path)))
    with TestClient(app, headers=HTML, follow_redirects=False) as client:
        for _ in range(2):          # the same dossier twice: measured once
            assert client.post("/v1/evaluations", json={"faits": _facts(), "date": "2027-02-01"},
                               headers={"accept": "application/json"}).status_code == 200
        marie = client_of(app, "marie")
        made = marie.post(FORM, data={**NEW_FEE, **token(marie, FORM)})
        address = made.headers["location"]
        assert marie.post(f"{address}/impact", data={"date": "2027-06-30", **token(marie, address)}).status_code == 303
        deadline = time.monotonic() + 120
        while "Calcul en cours" in (text := marie.get(address).text) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert re.search(r"sur 1 dossier\(s\) : <strong>1 changent</strong>", text), text


def test_a_correction_and_a_cpne_officers_proposal_on_its_overlay(served):
    app, _, _ = served
    marie, claire = client_of(app, "marie"), client_of(app, "claire")
    form = "/politiques/certifpro/parametres/frais.gestion_par_site/proposer"
    without = marie.post(form, data={"nature": "correction", "valeur": "32", "depuis": "2020-02-25",
                                     **token(marie, form)})
    assert without.status_code == 422 and "dites pourquoi la valeur est corrigée" in without.text
    made = marie.post(form, data={"nature": "correction", "valeur": "32", "depuis": "2020-02-25",
                                  "motif": "erreur de saisie", **token(marie, form)})
    assert made.status_code == 303, made.text
    shown = marie.get(made.headers["location"]).text
    assert "30,00" in shown and "32,00" in shown and "erreur de saisie" in shown and "(correction)" in shown
    overlay = "/politiques/cpne_exemple/parametres/decision.delai_notification/proposer"
    assert f'href="{overlay}"' in claire.get("/politiques/cpne_exemple/parametres").text
    made = claire.post(overlay, data={**NEW_FEE, "valeur": "12", **token(claire, overlay)})
    assert made.status_code == 303, made.text
    assert "15 jours ouvrés" in claire.get(made.headers["location"]).text
