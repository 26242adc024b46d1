"""What issue 15 promises a new user, without the README: from http://…/, find the instruction fee's history,
evaluate examples/mise-en-demeure.yaml, see why the organisation is suspended and when it must justify, and
download the files beside the verdict."""
from __future__ import annotations

import json
import time
from datetime import date

from service.conftest import ROOT

EXAMPLE = ROOT / "examples" / "mise-en-demeure.yaml"


def _click_link(page, text: str):
    """The first link with that text, as a sighted person finds it (the navigation comes first)."""
    [link, *_] = [a for a in page.find_all("a") if a.text.strip() == text]
    page.click(link)


def _wait_for_file(folder, name, timeout=30):
    deadline = time.monotonic() + timeout   # a bound for a hung download, not a timing assertion
    while time.monotonic() < deadline:
        target = folder / name
        if target.exists() and target.stat().st_size and not (folder / f"{name}.crdownload").exists():
            return target
        time.sleep(0.1)
    raise AssertionError(f"{name} was not downloaded into {folder}: {sorted(p.name for p in folder.iterdir())}")


def test_the_instruction_fee_history_is_two_clicks_from_home(page):
    page.open("/")
    _click_link(page, "Paramètres")
    assert page.find("h1").text.startswith("Paramètres en vigueur au")
    [row] = [tr for tr in page.find_all("tbody tr") if "Frais d'instruction" in tr.text]
    assert "300,00 € HT" in row.text and "350,00 € HT à partir du 01/01/2027" in row.text
    page.click(row.find_element("css selector", "a[href$='/parametres/frais.instruction']"))
    assert page.find("h1").text.startswith("Frais d'instruction")
    history = page.text("table")
    assert "25/02/2020" in history and "300,00 € HT" in history
    assert "01/01/2027" in history and "350,00 € HT" in history
    assert "décision du 20/11/2026, CA du 20 novembre 2026, délibération 7" in history
    chart = page.find("figure svg")
    assert chart.get_attribute("role") == "img"
    assert "350,00 € HT" in chart.get_attribute("textContent").replace("\xa0", " ")   # the decision's step
    page.shot("parcours-1-historique-frais-instruction")


def test_the_mise_en_demeure_example_shows_why_suspended_and_when_to_justify(page, downloads):
    page.open("/")
    _click_link(page, "Évaluer un dossier")
    page.find("#fichier").send_keys(str(EXAMPLE))
    page.set_date("#date", "2026-11-27")
    page.click("form button[type=submit]")
    assert page.find("h1").text == "Verdict au vendredi 27 novembre 2026", page.text()[:1500]
    summary = page.text("dl.resume")
    assert "Habilitation suspendue (V.3), depuis le 19/10/2026" in summary and "non conforme" in summary
    why = page.text("section[aria-labelledby='titre-raisons']")
    assert "Une mise en demeure pour manquement grave suspend l'habilitation pendant la procédure" in why
    assert "Mise en demeure notifiée le 19/10/2026 (événement n° 5)" in why
    first_due = page.find_all("#echeances + .tableau tbody tr")[0]
    assert first_due.text.startswith("01/12/2026") and "justifier par écrit des mesures correctives" in first_due.text
    first_due.find_element("css selector", "details summary").click()      # how the date was obtained
    how = first_due.find_element("css selector", "details").text
    assert "30 jours ouvrés après le lundi 19 octobre 2026" in how and "mercredi 11 novembre (Armistice)" in how
    timeline = page.find("#chronologie + .chronologie svg")
    assert timeline.get_attribute("role") == "img" and "01/12/2026" in timeline.get_attribute("textContent")
    page.shot("parcours-2-verdict-mise-en-demeure")

    calendar_link = page.find("a[download$='.ics']")
    assert "ICS" in calendar_link.text
    calendar_link.click()                                  # a download: the page stays
    entries = _entries(_wait_for_file(downloads, calendar_link.get_attribute("download")))
    assert next((entry.decoded("dtstart"), "justifier par écrit" in str(entry["summary"])) for entry in entries) == \
        (date(2026, 12, 1), True)
    assert all("SIREN 732829320" in str(entry["summary"]) for entry in entries)

    page.find("a[download^='verdict-'][download$='.json']").click()
    name = page.find("a[download^='verdict-'][download$='.json']").get_attribute("download")
    verdict = json.loads(_wait_for_file(downloads, name).read_text(encoding="utf-8"))
    assert verdict["statut"] == "suspendu" and verdict["decision_id"]


def _entries(path):
    from icalendar import Calendar

    calendar = Calendar.from_ical(path.read_bytes())
    return sorted(calendar.walk("VEVENT"), key=lambda entry: entry.decoded("dtstart"))
