"""Changements shows a board change as `clea policy diff` does, and the verdicts it moves (`clea policy impact`);
Politiques shows a reload that failed."""
from __future__ import annotations

import json

import local_http
import yaml
from service.conftest import RELOAD_TOKEN, ROOT, Server


def test_changements_shows_the_fee_change_of_the_last_commit(page):
    page.open("/changements")
    chosen = page.driver.execute_script("return [document.getElementById('avant').selectedOptions[0].text, "
                                        "document.getElementById('apres').selectedOptions[0].text]")
    # a revision is labelled by its day and each policy's version (issue 19), not by its commit message
    assert "certifpro 2026.11" in chosen[0] and "politiques en service" not in chosen[0]
    assert chosen[1] == "le dossier des politiques sur disque"
    [row] = [tr for tr in page.find_all("tbody tr") if "frais.instruction" in tr.text]
    cells = [td.text for td in row.find_elements("css selector", "td")]
    assert cells[:3] == ["01/01/2027", "300,00 € HT", "350,00 € HT"]
    assert "nouvelle valeur" in cells[3] and "CA du 20 novembre 2026, délibération 7" in cells[4]
    page.find("details summary").click()
    assert "à partir du 01/01/2027 : 300,00" in page.text("details pre")     # the same words as `policy diff`
    page.shot("changements")


def test_changements_between_two_chosen_versions_has_a_stable_url(page):
    page.open("/changements")
    newest = page.find("#avant option").get_attribute("value")
    page.driver.execute_script("arguments[0].value = arguments[1]", page.find("#apres"), newest)
    page.click("form.ligne button[type=submit]")
    assert f"apres={newest}" in page.path
    url = page.path
    page.open(url)
    assert "frais.instruction" in page.text()


def test_an_unknown_version_is_refused_in_words(page):
    page.open("/changements?avant=--output=/tmp/x")
    assert page.find("h1").text.startswith("Version inconnue")


def test_politiques_shows_a_failed_reload_and_keeps_serving(page, policies_repository, tmp_path):
    server = Server(tmp_path, policies_repository)
    parameters = policies_repository / "certifpro" / "parametres.yaml"
    original = parameters.read_text(encoding="utf-8")
    try:
        parameters.write_text(original + "\n  cassé: [\n", encoding="utf-8")
        answer = local_http.post(f"{server.url}/v1/policies/reload", headers={"authorization": f"Bearer {RELOAD_TOKEN}"})
        assert answer.status_code == 409
        page.driver.get(server.url + "/politiques")
        alert = page.find("[role=alert]").text
        assert "Le dernier rechargement a échoué" in alert and "parametres.yaml:" in alert
        assert "restent en service" in alert
        assert "certifpro" in page.text("section[aria-labelledby='politique-certifpro']")
        page.shot("politiques-rechargement-echoue")
    finally:
        parameters.write_text(original, encoding="utf-8")
        server.stop()


def test_changements_shows_which_verdicts_the_change_moves(page, tmp_path):
    """With a dossier file, the page evaluates each dossier under both versions: a dossier filed in 2027 owes
    350 € instead of 300 €; one filed before does not move."""
    filed_before = yaml.safe_load((ROOT / "examples" / "instruction-en-cours.yaml").read_text(encoding="utf-8"))
    filed_after = json.loads(json.dumps(filed_before))
    filed_after["evenements"] = [{"type": "demande_deposee", "date": "2027-02-01"}]
    dossiers = tmp_path / "dossiers.jsonl"
    dossiers.write_text("\n".join(json.dumps(facts, ensure_ascii=False) for facts in (filed_before, filed_after))
                        + "\n", encoding="utf-8")
    page.open("/changements")
    page.find("#fichier").send_keys(str(dossiers))
    page.set_date("#date-effet", "2027-06-30")
    page.click("#formulaire-effet button[type=submit]")
    assert "1 dossier sur 2 change de verdict au 30/06/2027" in page.text("[role=status]")
    changed = page.text("#effet ~ ul")
    assert changed.startswith("Ligne 2 — SIREN 732829320")
    assert ("frais « Frais d'instruction par demande d'habilitation (initiale ou non, acceptée ou refusée) » dus le "
            "01/02/2027, montant de frais : 300,00 € HT → 350,00 € HT") in changed
    assert "montant de frais" in page.text("#effet ~ .tableau") and "frais_instruction" not in changed
    assert page.find("a[download^='effet-']").get_attribute("href").startswith("data:application/json")
    assert not page.axe()
    page.shot("changements-effet-sur-des-dossiers")
