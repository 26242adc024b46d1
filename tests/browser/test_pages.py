"""Each page opened, read and used as a person would: what is on screen after each step."""
from __future__ import annotations

import pytest
from service.conftest import ROOT

EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


def test_home_names_the_policy_and_leads_to_every_page(page):
    page.open("/")
    assert page.driver.find_element("css selector", "html").get_attribute("lang") == "fr"
    assert page.find("h1").text == "Règlement d'habilitation CléA numérique — Certif'Pro"
    navigation = [a.text for a in page.find_all("nav[aria-label='Navigation principale'] a")]
    assert navigation == ["Accueil", "Politiques", "Paramètres", "Règlement", "Changements", "Propositions",
                          "Évaluer un dossier", "Décisions"]
    assert page.find("nav a[aria-current='page']").text == "Accueil"
    page.shot("accueil")


def test_politiques_lists_each_policy_with_what_it_extends_and_its_scope(page):
    page.open("/politiques")
    overlay = page.text("section[aria-labelledby='politique-cpne_exemple']")
    assert "Étend\nRèglement d'habilitation CléA numérique — Certif'Pro" in overlay
    assert "limitée au champ professionnel « Commerce de détail (champ fictif de l'exemple) »" in overlay
    base = page.text("section[aria-labelledby='politique-certifpro']")
    assert "aucune : politique de base" in base and "sha256:" in base
    page.shot("politiques")


def test_parameters_on_a_chosen_day(page):
    page.open("/parametres")
    assert page.path == "/politiques/certifpro/parametres"
    page.set_date("#date", "2020-01-15")
    page.click("form.ligne button[type=submit]")
    assert page.path == "/politiques/certifpro/parametres?date=2020-01-15"    # bookmarkable
    assert page.find("h1").text == "Paramètres en vigueur au mercredi 15 janvier 2020"
    [row] = [tr for tr in page.find_all("tbody tr") if "Frais d'instruction" in tr.text]
    assert "0,00 € HT" in row.text and "01/07/2019" in row.text       # before the 25/02/2020 fees
    [row] = [tr for tr in page.find_all("tbody tr") if "Dépôt du recours" in tr.text]
    assert "30 jours ouvrés" in row.text
    page.shot("parametres-au-15-01-2020")


def test_parameters_of_the_overlay(page):
    page.open("/politiques/certifpro/parametres")
    page.click("nav[aria-label='Choisir la politique'] a")
    assert page.path == "/politiques/cpne_exemple/parametres"
    [row] = [tr for tr in page.find_all("tbody tr") if "decision.delai_notification" in tr.text]
    assert "15 jours ouvrés" in row.text      # the overlay's own notification delay (III.4)


def test_reglement_puts_each_section_beside_what_encodes_it(page):
    page.open("/reglement")
    assert page.path == "/politiques/certifpro/reglement"
    section = page.text("#art-III\\.7")
    assert "30 jours ouvrés à compter de la notification de la décision de refus" in section   # the text
    assert "recours.depot" in section and "Dépôt du recours à compter de la notification du refus" in section
    # every section is encoded or says what it leaves out, and why (articles.yaml, non_encodable)
    assert "rien ne l'applique" not in page.text("nav[aria-labelledby='sommaire']")
    confidentiality = page.text("#art-IV\\.3")
    assert "Non encodé, et pourquoi" in confidentiality and "strictement confidentielles" in confidentiality
    page.shot("reglement")


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda path: path.stem)
def test_each_example_dossier_gives_a_verdict_page(page, example):
    page.open("/evaluer")
    page.click(f"a[href='/evaluer?exemple={example.stem}']")
    assert example.read_text(encoding="utf-8").strip() in page.find("#document").get_attribute("value")
    page.set_date("#date", "2026-11-27")
    page.click("form button[type=submit]")
    assert page.find("h1").text == "Verdict au vendredi 27 novembre 2026"
    assert page.find("dl.resume").text.startswith("Statut")
    page.shot(f"verdict-{example.stem}")


def test_errors_are_shown_next_to_their_path_and_line(page):
    broken = (ROOT / "examples" / "mise-en-demeure.yaml").read_text(encoding="utf-8")
    broken = broken.replace("date: '2026-10-19'", "date: '2026-10-32'").replace("siren: '732829320'",
                                                                                  "siren: '732829321'")
    page.open("/evaluer")
    page.driver.execute_script("arguments[0].value = arguments[1]", page.find("#document"), broken)
    page.click("form button[type=submit]")
    summary = page.text("#erreurs")
    assert "ligne 4, organisme.siren" in summary and "ligne 43, evenements[4].date" in summary
    line = page.text("#ligne-43")
    assert "date: '2026-10-32'" in line and "evenements[4].date" in line     # the message under its line
    assert "ligne-5" not in page.find("ol.source li.fautive").get_attribute("id")
    assert page.find("#document").get_attribute("aria-invalid") == "true"
    assert broken.strip() in page.find("#document").get_attribute("value")    # kept to be corrected
    page.shot("evaluer-erreurs")


def test_an_empty_document_or_a_bad_date_is_said_so(page):
    page.open("/evaluer")
    page.click("form button[type=submit]")
    assert "Le document est vide" in page.text("#erreurs")
    page.open("/evaluer?exemple=mise-en-demeure")
    page.set_date("#date", "2099-01-01")
    page.click("form button[type=submit]")
    assert "date" in page.text("#erreurs")
    assert page.find("#date").get_attribute("aria-invalid") == "true"
    assert page.text("#erreur-date")


def test_an_unknown_page_is_a_french_page_with_a_way_back(page):
    page.open("/nulle-part")
    assert page.find("h1").text == "Page introuvable"
    page.click("main a[href='/']")
    assert page.path == "/"
