"""Issue 25: the reports' words for a person — the explanations without the facts' paths (engine/reports/reading.py),
the chronology numbered as the dossier lists its events, a status's band coloured by its family, and what the lapse
of an action does (engine/reports/consequences.py)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from engine import evaluate, load_policies
from engine.reports.consequences import lapse_consequences
from engine.reports.html import verdict_html
from engine.reports.ics import verdict_ics
from engine.reports.impact import change_text, kind_text
from engine.reports.reading import event_number, facts_place, readable
from engine.reports.text import verdict_text
from engine.reports.timeline import FAMILY_COLOURS

ROOT = Path(__file__).resolve().parent.parent


def example(name: str) -> dict:
    return yaml.safe_load((ROOT / "examples" / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def live():
    """The project's policies: the withdrawal « never before the delay ran out » (V.2, `au_plus_tot`) is theirs."""
    return load_policies(ROOT / "policies")


def test_an_event_path_is_its_number_in_the_dossier(policies):
    policy = policies.for_instance("certifpro")
    assert event_number("evenements[0]") == 1 and event_number("evenements[4]") == 5
    assert event_number("evenements[4].date_retrait") is None and event_number("organisme.siren") is None
    assert readable("Mise en demeure notifiée le 19/10/2026 (evenements[4]).", policy) == \
        "Mise en demeure notifiée le 19/10/2026 (événement n° 5)."
    assert readable("Compté à partir du 15/01/2027 (evenements[12].date_retrait).", policy) == \
        "Compté à partir du 15/01/2027 (événement n° 13, date_retrait)."


def test_a_meeting_of_the_session_calendar_is_its_number_there(policies):
    policy = policies.for_instance("certifpro")
    given = ("Réunion de l'Instance le 09/04/2026, date prévue par le calendrier des sessions de la politique "
             "(calendrier.sessions.liste[0]).")
    assert readable(given, policy) == ("Réunion de l'Instance le 09/04/2026, date prévue par le calendrier des "
                                       "sessions de la politique (session n° 1).")


def test_a_territory_is_not_shown_as_a_path_and_a_code(policies):
    policy = policies.for_instance("certifpro")
    given = ("30 jours ouvrés après le lundi 19 octobre 2026 (ce jour-là non compté), sur le calendrier Alsace-Moselle "
             "(celui de l'organisme, organisme.territoire : alsace-moselle) ; aucun jour férié dans l'intervalle")
    assert readable(given, policy) == ("30 jours ouvrés après le lundi 19 octobre 2026 (ce jour-là non compté), sur le "
                                       "calendrier Alsace-Moselle (celui de l'organisme, d'après le territoire indiqué "
                                       "dans le dossier) ; aucun jour férié dans l'intervalle")
    absent = "sur le calendrier France métropolitaine (celui du candidat, par défaut (organisme.territoire absent))"
    assert readable(absent, policy) == ("sur le calendrier France métropolitaine (celui du candidat, par défaut, le "
                                        "dossier n'indiquant pas de territoire)")


def test_the_text_report_numbers_events_as_the_dossier_lists_them(policies):
    facts = example("mise-en-demeure.yaml")
    verdict = evaluate(facts, "2026-11-27", policies=policies, explain=True)
    text = verdict_text(verdict, policies.for_instance("certifpro"))
    assert "Mise en demeure notifiée le 19/10/2026 (événement n° 5)" in text and "evenements[" not in text
    assert "organisme.territoire" not in text


def test_the_calendar_explains_a_date_as_a_person_reads_it(policies):
    facts = example("mise-en-demeure.yaml")
    verdict = evaluate(facts, "2026-11-27", policies=policies, explain=True)
    calendar = verdict_ics(verdict, policies.for_instance("certifpro")).replace("\r\n ", "")
    assert "(événement n° 5)" in calendar and "evenements[" not in calendar
    assert "organisme.territoire" not in calendar


def test_the_chronology_numbers_each_event_by_its_place_in_the_list(policies):
    facts = example("mise-en-demeure.yaml")
    facts["evenements"] = facts["evenements"][1:] + facts["evenements"][:1]   # the decision listed last
    verdict = evaluate(facts, "2026-11-27", policies=policies)
    page = verdict_html(verdict, policies.for_instance("certifpro"), facts)
    rows = re.findall(r'<tr><td>(\d+)</td><td class="date">([\d/]+)</td><td>([^<]+)</td></tr>', page)
    assert rows[0] == ("5", "03/03/2025", "Décision notifiée") and rows[-1] == ("4", "19/10/2026",
                                                                                "Mise en demeure notifiée")
    assert "<title>n° 5 : Décision notifiée le 03/03/2025</title>" in page and "evenements[" not in page


def test_a_status_band_takes_its_familys_colour(policies):
    facts = example("mise-en-demeure.yaml")
    page = verdict_html(evaluate(facts, "2026-11-27", policies=policies), policies.for_instance("certifpro"), facts)
    bands = {name: fill for fill, name in
                 re.findall(r'fill="(#[0-9a-f]{6})" stroke="#ffffff"><title>([^<]+) à partir du', page)}
    assert bands == {"Habilité": FAMILY_COLOURS["active"], "Habilitation suspendue": FAMILY_COLOURS["suspendue"]}
    assert len(set(FAMILY_COLOURS.values())) == len(FAMILY_COLOURS)


def _notice(live, withdrawal: str, as_of: str = "2026-11-27") -> list[str]:
    """The formal notice of 19/10/2026 (examples/mise-en-demeure.yaml) fixing its withdrawal on `withdrawal`: what
    the page says beside the justification due on 01/12/2026 (30 working days, 11/11 a holiday)."""
    facts = example("mise-en-demeure.yaml")
    facts["evenements"][-1]["date_retrait"] = withdrawal
    verdict = evaluate(facts, as_of, policies=live)
    [action] = [a for a in verdict["actions"] if a["id"] == "justifier_mesures_correctives"]
    assert action["echeance"] == "2026-12-01"
    return lapse_consequences(action, verdict, live.for_instance("certifpro"), facts)


def test_without_a_justification_the_withdrawal_is_at_the_date_of_the_notice(live):
    assert _notice(live, "2027-01-15") == [
        "Si elle n'est pas accomplie au plus tard le 01/12/2026 : Habilitation retirée à compter du 15/01/2027 (V.3)."]
    assert _notice(live, "2027-01-15", "2026-12-02") == [
        "Non accomplie au plus tard le 01/12/2026 : Habilitation retirée à compter du 15/01/2027 (V.3)."]


def test_the_withdrawal_is_never_before_the_delay_ran_out(live):
    """V.2: withdrawn « en l'absence de justification […] dans le délai imparti »: a notice's date on or before the
    last day of the delay (01/12/2026) takes effect the day after it (02/12/2026); a later date is kept."""
    assert _notice(live, "2026-11-30")[0].endswith("à compter du 02/12/2026 (V.3).")
    assert _notice(live, "2026-12-01")[0].endswith("à compter du 02/12/2026 (V.3).")
    assert _notice(live, "2026-12-02")[0].endswith("à compter du 02/12/2026 (V.3).")
    assert _notice(live, "2026-12-03")[0].endswith("à compter du 03/12/2026 (V.3).")


def test_an_action_whose_lapse_changes_nothing_says_nothing(live):
    facts = example("mise-en-demeure.yaml")
    verdict = evaluate(facts, "2026-11-27", policies=live)
    policy = live.for_instance("certifpro")
    others = [a for a in verdict["actions"] if a["id"] != "justifier_mesures_correctives"]
    assert others and all(lapse_consequences(a, verdict, policy, facts) == [] for a in others)


def test_an_impact_names_actions_fees_and_statuses_by_the_policys_titles(policies):
    """Changements' effect on dossiers, as a board reads it; `clea policy impact`'s text keeps the identifiers."""
    policy = policies.for_instance("certifpro")
    fee = {"type": "frais.montant", "id": "frais_instruction", "echeance": "2027-02-01", "unite": "€ HT",
           "avant": "300.00", "apres": "350.00"}
    assert change_text(fee, policy).replace("\xa0", " ") == ("frais « Frais d'instruction par demande d'habilitation (initiale ou non, "
                                        "acceptée ou refusée) » dus le 01/02/2027, montant de frais : 300,00 € HT → "
                                        "350,00 € HT")
    assert change_text(fee).replace("\xa0", " ") == "frais frais_instruction dû le 01/02/2027 : 300,00 € HT → 350,00 € HT"
    late = {"type": "action.etat", "id": "justifier_mesures_correctives", "avant": "a_faire", "apres": "en_retard",
            "depuis": {"evenement": "mise_en_demeure", "date": "2026-10-19"}}
    assert change_text(late, policy) == (
        "« L'organisme dispose de 30 jours ouvrés à compter de la notification de la mise en demeure pour justifier "
        "par écrit des mesures correctives » (depuis : Mise en demeure notifiée du 19/10/2026), état d'une action : "
        "à faire → en retard")
    status = {"type": "statut", "avant": "habilite", "apres": "suspendu"}
    assert change_text(status, policy) == "statut : Habilité → Habilitation suspendue"
    assert kind_text("frais.montant") == "montant de frais" and kind_text("habilitation.fin") == "habilitation : fin"


def _case(name: str) -> dict:
    return yaml.safe_load((ROOT / "policies" / "certifpro" / "tests" / name).read_text(encoding="utf-8"))


def test_an_events_attribute_is_named_by_its_catalogue_title(live):
    """p06: the mise en demeure of 01/09/2026, 4th event of the list, fixes the withdrawal on 20/10/2026 (its
    `date_retrait`, titled « date de retrait indiquée » in evenements.yaml); the verdict's JSON keeps the path."""
    case = _case("p06-mise-en-demeure-sans-justification.yaml")
    verdict = evaluate(case["faits"], str(case["date"]), policies=live, explain=True)
    policy = live.for_instance("certifpro")
    withdrawn = verdict["historique_statut"][-1]["explication"]["texte"]
    assert "Prend effet le 20/10/2026, date donnée par evenements[3].date_retrait." in withdrawn
    text = verdict_text(verdict, policy)
    assert "Prend effet le 20/10/2026, date donnée par l'événement n° 4 (date de retrait indiquée)." in text
    assert "date_retrait" not in text
    events = {"evenements[3]": "mise_en_demeure"}
    assert readable("Compté à partir du 20/10/2026 (evenements[3].date_retrait).", policy, events) == \
        "Compté à partir du 20/10/2026 (date de retrait indiquée par l'événement n° 4)."
    # an attribute without a title, or an event whose type the explanation does not give, keeps its name
    assert readable("date donnée par evenements[3].suspension.", policy, events) == \
        "date donnée par événement n° 4, suspension."
    assert readable("date donnée par evenements[3].date_retrait.", policy) == \
        "date donnée par événement n° 4, date_retrait."


def test_a_fees_count_names_the_items_as_the_policy_does(live):
    """A3: on the anniversary of 15/01/2025 the sites with a CléA activity are n° 1 (no dates) and n° 3 (until
    30/06/2025); on 15/01/2026 n° 1, n° 2 (from 01/03/2025) and n° 4 (from 01/09/2025). A site without a SIRET
    is named by its address; the JSON's `quantites` keep the facts' paths."""
    case = _case("a3-sites-a-chaque-anniversaire.yaml")
    verdict = evaluate(case["faits"], str(case["date"]), policies=live, explain=True)
    text = verdict_text(verdict, live.for_instance("certifpro")).replace("\xa0", " ")
    assert ("Quantité : 2 — établissements ayant une activité CléA numérique à cette date : n° 1 (SIRET "
            "73282932000017) et n° 3 (adresse 5 quai de l'Exemple, 33000 Bordeaux).") in text
    assert ("Quantité : 3 — établissements ayant une activité CléA numérique à cette date : n° 1 (SIRET "
            "73282932000017), n° 2 (SIRET 73282932000025) et n° 4 (adresse 8 cours de l'Exemple, 13001 "
            "Marseille).") in text
    assert "organisme.etablissements" not in text
    fees = [f for f in verdict["frais"] if f["id"] == "frais_gestion_annuels"]
    assert [q["comptes"] for f in fees for q in f["explication"]["quantites"]] == [
        ["organisme.etablissements[0]", "organisme.etablissements[2]"],
        ["organisme.etablissements[0]", "organisme.etablissements[1]", "organisme.etablissements[3]"]]


def test_a_facts_path_of_a_dossier_check_is_named_by_the_facts_schemas_titles(live):
    policy = live.for_instance("certifpro")
    assert facts_place("organisme.etablissements[2].siret", policy) == "établissement n° 3 (SIRET)"
    assert facts_place("beneficiaires[0].evaluateurs", policy) == "bénéficiaire n° 1 (évaluateurs)"
    assert facts_place("organisme.etablissements[0]", policy) == "établissement n° 1"
    assert facts_place("mandataire.justificatif_mandat", policy) == "justificatif du mandat"
    assert facts_place("demande.partie_technique.distanciel.tracabilite", policy) == "traçabilité du parcours"
    # a field without a title, a path without a listed item, a path the schema does not know: kept
    for path in ("organisme.etablissements[1].activite_clea", "organisme.siren", "organisme.inconnu[0].x"):
        assert facts_place(path, policy) == path
    assert readable("Constaté par les contrôles du dossier (article III.1) sur : organisme.etablissements[2].siret et "
                    "organisme.siren.", policy) == ("Constaté par les contrôles du dossier (article III.1) sur : "
                                                     "établissement n° 3 (SIRET) et organisme.siren.")
