"""Accounts in the browser (issue 25): signing in and out, the header that says who is signed in, the 403 page of a
role one does not hold — each page also checked by axe-core (WCAG 2.1 A/AA)."""
from __future__ import annotations

from browser.test_accessibility import _no_violations


def test_sign_in_shows_who_is_signed_in_and_sign_out_closes_every_page(account_page):
    page = account_page
    page.open("/politiques/certifpro/parametres")
    assert page.path == "/connexion?suite=%2Fpolitiques%2Fcertifpro%2Fparametres"       # every page needs an account
    assert page.find("h1").text == "Connexion"
    _no_violations(page, "connexion")
    page.shot("connexion")
    page.sign_in("lecteur", "pas le bon mot de passe")
    alert = page.text("[role=alert]")
    assert alert == "Identifiant ou mot de passe incorrect. Vérifiez-les et réessayez."
    assert page.find("#identifiant").get_attribute("value") == "lecteur"               # kept; the password is not
    assert page.find("#mot_de_passe").get_attribute("value") == ""
    _no_violations(page, "connexion refusée")
    page.sign_in("lecteur")
    assert page.path == "/politiques/certifpro/parametres"                             # back where it was going
    assert page.text("header .compte") .startswith("Connecté·e : Léo Lecteur")
    _no_violations(page, "paramètres, connecté")
    page.shot("connecte")
    page.sign_out()
    assert page.path == "/connexion" and not page.find_all("header form.compte")
    page.open("/politiques")
    assert page.path.startswith("/connexion?suite=")


def test_a_role_one_does_not_hold_is_a_french_403_page_with_a_way_back(account_page):
    page = account_page
    page.sign_in("lecteur", then="/politiques")
    assert not page.find_all(".entete nav a[href='/decisions']")        # the navigation offers what the roles open
    old = page.find("html")
    page.driver.execute_script("window.location.assign('/decisions')")  # a link kept from elsewhere
    page.wait_until_gone(old)
    assert page.find("h1").text == "Accès réservé"
    text = page.text()
    assert "Cette page demande le rôle instruction (évaluer des dossiers, consulter le journal des décisions)." in text
    assert "Léo Lecteur (identifiant lecteur), avec le rôle : lecture." in text
    _no_violations(page, "403")
    page.shot("acces-reserve")
    page.click("main a[href='/politiques']")                                           # the way back
    assert page.path == "/politiques"


def test_an_instructor_evaluates_and_reads_the_journal(account_page):
    page = account_page
    page.sign_in("instructeur", then="/evaluer?exemple=mise-en-demeure")
    page.click("form[action='/evaluer'] button[type=submit]")
    assert page.find("h1").text.startswith("Verdict au")
    page.click("a[href^='/decisions/']")
    assert page.path.startswith("/decisions/") and page.text("header .compte").startswith("Connecté·e : Inès")
