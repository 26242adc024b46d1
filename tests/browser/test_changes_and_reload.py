"""Changements shows a board change as `clea policy diff` does; Politiques shows a reload that failed."""
from __future__ import annotations

import httpx

from service.conftest import RELOAD_TOKEN, Server


def test_changements_shows_the_fee_change_of_the_last_commit(page):
    page.open("/changements")
    chosen = page.driver.execute_script("return [document.getElementById('avant').selectedOptions[0].text, "
                                        "document.getElementById('apres').selectedOptions[0].text]")
    assert chosen[0].endswith("politiques en service") and chosen[1] == "le dossier des politiques sur disque"
    [row] = [tr for tr in page.find_all("tbody tr") if "frais.instruction" in tr.text]
    cells = [td.text for td in row.find_elements("css selector", "td")]
    assert cells[0] == "01/01/2027" and cells[1].startswith("300") and cells[2].startswith("350")
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
        answer = httpx.post(f"{server.url}/v1/policies/reload", headers={"authorization": f"Bearer {RELOAD_TOKEN}"})
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
