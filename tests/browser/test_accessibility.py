"""Every page usable with a keyboard and a screen reader: axe-core (WCAG 2.1 A/AA and best practices: labels,
headings, contrast, lang, names of links and images…) finds nothing, the skip link comes first, and a dossier can
be evaluated with the keyboard alone."""
from __future__ import annotations

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

PAGES = ["/", "/politiques", "/politiques/certifpro/parametres", "/politiques/certifpro/parametres/frais.instruction",
         "/politiques/cpne_exemple/parametres", "/politiques/certifpro/reglement", "/changements", "/evaluer",
         "/evaluer?exemple=mise-en-demeure", "/connexion", "/decisions", "/nulle-part"]


def test_the_checker_finds_what_it_must(page):
    """axe really runs: a page with an unlabelled field, no lang and poor contrast is caught."""
    page.driver.get("data:text/html,<title>t</title><p style='color:%23ccc'>gris</p><input type=text>")
    found = {violation["id"] for violation in page.axe()}
    assert {"html-has-lang", "label", "color-contrast"} <= found


def _no_violations(page, name: str):
    violations = page.axe()
    assert page.find("html").get_attribute("lang") == "fr"
    assert not violations, f"{name}:\n" + "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']}\n    " + "\n    ".join(v["nodes"][:5]) for v in violations)


@pytest.mark.parametrize("path", PAGES)
def test_page_has_no_accessibility_violation(page, path):
    page.open(path)
    _no_violations(page, path)


def test_verdict_and_error_pages_have_no_accessibility_violation(page):
    page.open("/evaluer?exemple=mise-en-demeure")
    page.click("form button[type=submit]")
    _no_violations(page, "verdict")
    page.open("/evaluer")
    page.driver.execute_script("arguments[0].value = 'organisme: {siren: 123}\\ninstance: certifpro\\n'",
                               page.find("#document"))
    page.click("form button[type=submit]")
    assert page.find_all("#erreurs li")
    _no_violations(page, "erreurs")


def test_journal_pages_have_no_accessibility_violation(signed_in):
    page = signed_in
    page.open("/decisions")
    _no_violations(page, "journal")
    links = page.find_all("tbody a[href^='/decisions/']")
    if links:
        page.click(links[0])
        _no_violations(page, "décision")


def test_the_skip_link_comes_first_and_leads_to_the_content(page):
    page.open("/politiques/certifpro/parametres")
    body = page.find("body")
    body.send_keys(Keys.TAB)
    focused = page.driver.switch_to.active_element
    assert focused.text == "Aller au contenu" and focused.is_displayed()
    focused.send_keys(Keys.ENTER)
    assert page.driver.current_url.endswith("#contenu")


def test_a_dossier_is_evaluated_with_the_keyboard_alone(page):
    page.open("/evaluer?exemple=instruction-en-cours")
    page.find("#document").click()
    keyboard = ActionChains(page.driver)
    for _ in range(8):                       # from the text, tab through the file and date to the button
        if page.driver.switch_to.active_element.tag_name == "button":
            break
        keyboard.send_keys(Keys.TAB).perform()
    assert page.driver.switch_to.active_element.text == "Évaluer le dossier"
    old = page.find("html")
    keyboard.send_keys(Keys.ENTER).perform()
    page.wait_until_gone(old)
    assert page.find("h1").text.startswith("Verdict au")
