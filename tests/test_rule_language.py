"""The rule language beyond matching one event, shown on a made-up regulation (tests/fixtures/bibliotheque, a
library's loans): the engine knows nothing of either policy. Attribute defaults and conditional requirements (event
catalogue), guards (existe, sans, accomplit, au_statut with its exception), findings raised by rules (constat),
list attributes (non_vide), fees priced at each event's date and items counted on a date window.
Dates: 2 March 2026 + 21 days = 23 March (a Monday)."""
from __future__ import annotations

from pathlib import Path

import pytest

from engine import FactsError, evaluate, load_policies

LIBRARY = Path(__file__).resolve().parent / "fixtures" / "bibliotheque"


@pytest.fixture(scope="module")
def library():
    return load_policies(LIBRARY)


def verdict_on(library, *events, as_of="2026-04-01", **reader):
    facts = {"lecteur": {"carte": "A-1", **reader}, "instance": "mediatheque", "evenements": list(events)}
    return evaluate(facts, as_of, policies=library)


def ids(verdict, part="constats"):
    return sorted(item["id"] for item in verdict[part])


SIGNED_UP = {"type": "inscription", "date": "2026-01-05"}


# --- the event catalogue: defaults and conditional requirements ----------------------------------------------
def test_an_absent_attribute_takes_its_default_for_the_rules(library):
    """`emprunt` has `defauts: {support: livre}`; the loan rule matches `support: livre`."""
    verdict = verdict_on(library, SIGNED_UP, {"type": "emprunt", "date": "2026-03-02", "cote": "843 HUG"})
    assert [(a["id"], a["echeance"]) for a in verdict["actions"]] == [("rendre_livre", "2026-03-23")]
    dvd = verdict_on(library, SIGNED_UP, {"type": "emprunt", "date": "2026-03-02", "cote": "DVD 12",
                                          "support": "dvd", "boitier": "B3"})
    assert dvd["actions"] == []


def test_a_conditional_requirement_names_the_attribute_and_the_condition(library):
    with pytest.raises(FactsError) as error:
        verdict_on(library, SIGNED_UP, {"type": "emprunt", "date": "2026-03-02", "cote": "DVD 12", "support": "dvd"})
    [issue] = error.value.issues
    assert issue.path == "evenements[1]"
    assert "'boitier'" in issue.message and "requis quand support vaut 'dvd'" in issue.message
    # a default is not a given value: it never makes a conditional requirement apply
    assert verdict_on(library, SIGNED_UP, {"type": "emprunt", "date": "2026-03-02", "cote": "843 HUG"})


# --- guards ----------------------------------------------------------------------------------------------------
def test_accomplit_follows_an_action_fulfilled_late(library):
    """A book returned after its date is fined; one returned in time is not."""
    late = verdict_on(library, SIGNED_UP, {"type": "emprunt", "date": "2026-03-02", "cote": "A"},
                      {"type": "retour", "date": "2026-03-30", "cote": "A"})
    in_time = verdict_on(library, SIGNED_UP, {"type": "emprunt", "date": "2026-03-02", "cote": "A"},
                         {"type": "retour", "date": "2026-03-20", "cote": "A"})
    assert [(f["id"], f["echeance"]) for f in late["frais"] if f["id"] == "amende"] == [("amende", "2026-03-30")]
    assert "amende" not in ids(in_time, "frais")


def test_sans_no_earlier_event_of_a_type(library):
    without = verdict_on(library, {"type": "emprunt", "date": "2026-03-02", "cote": "A"},
                         {"type": "inscription", "date": "2026-03-03"})
    assert "emprunt_sans_inscription" in ids(without)
    same_day = verdict_on(library, {"type": "inscription", "date": "2026-03-02"},
                          {"type": "emprunt", "date": "2026-03-02", "cote": "A"})
    assert "emprunt_sans_inscription" not in ids(same_day)


def test_existe_with_puis_aucun(library):
    """A reminder not followed by a return makes a new loan a finding; a return after it clears it."""
    reminded = [SIGNED_UP, {"type": "emprunt", "date": "2026-02-02", "cote": "A"},
                {"type": "relance", "date": "2026-03-02"}]
    still = verdict_on(library, *reminded, {"type": "emprunt", "date": "2026-03-10", "cote": "B"})
    assert ids(still).count("emprunt_malgre_relance") == 1
    cleared = verdict_on(library, *reminded, {"type": "retour", "date": "2026-03-05", "cote": "A"},
                         {"type": "emprunt", "date": "2026-03-10", "cote": "B"})
    assert "emprunt_malgre_relance" not in ids(cleared)


def test_au_statut_judges_on_the_status_of_the_event_s_day(library):
    """Borrowing is for subscribers: before signing up, and after the subscription ended, it is a finding; the
    message says the status of that day."""
    verdict = verdict_on(library, {"type": "emprunt", "date": "2025-12-20", "cote": "A"},
                         {"type": "inscription", "date": "2025-01-05"},
                         {"type": "emprunt", "date": "2025-06-02", "cote": "B"},
                         {"type": "emprunt", "date": "2026-01-10", "cote": "C"}, as_of="2026-02-01")
    messages = sorted(f["message"] for f in verdict["constats"] if f["id"] == "emprunt_hors_abonnement")
    assert messages == ["Emprunt de C le 10/01/2026 alors que le lecteur est « Abonnement échu »."]
    found = next(f for f in verdict["constats"] if f["id"] == "emprunt_hors_abonnement")
    assert (found["article"], found["regle"], found["gravite"]) == ("art1", "emprunt_hors_abonnement", "infraction")


def test_au_statut_exception_read_on_the_event_that_caused_the_status(library):
    """After a cancellation (status resilie), books reserved on or before the day it was sent may still be borrowed."""
    history = [SIGNED_UP, {"type": "resiliation", "date": "2026-03-02", "date_envoi": "2026-02-27"}]
    reserved_before = verdict_on(library, *history, {"type": "emprunt", "date": "2026-03-10", "cote": "A",
                                                     "date_reservation": "2026-02-27"})
    reserved_after = verdict_on(library, *history, {"type": "emprunt", "date": "2026-03-10", "cote": "B",
                                                    "date_reservation": "2026-02-28"})
    not_reserved = verdict_on(library, *history, {"type": "emprunt", "date": "2026-03-10", "cote": "C"})
    assert reserved_before["statut"] == "resilie"
    assert "emprunt_hors_abonnement" not in ids(reserved_before)
    assert "emprunt_hors_abonnement" in ids(reserved_after)
    assert "emprunt_hors_abonnement" in ids(not_reserved)


# --- actions: fulfilled ahead, bound to a status, lapsing at their date ------------------------------------------
def test_anticipee_an_event_before_the_trigger_fulfils_it_after_the_previous_one(library):
    """A move signalled before it happens is signalled in time (2 Mar + 21 days = 23 Mar); a signal made before an
    earlier move of the reader served that move, not the next one (2 Mar, due 23 Mar, late on 1 April)."""
    ahead = verdict_on(library, SIGNED_UP, {"type": "adresse_signalee", "date": "2026-02-25"},
                       {"type": "demenagement", "date": "2026-03-02"})
    [move] = ahead["actions"]
    assert (move["echeance"], move["etat"], move["accomplie_le"], move["dans_les_delais"]) == \
        ("2026-03-23", "accomplie", "2026-02-25", True)
    assert "adresse_non_signalee" not in ids(ahead)
    twice = verdict_on(library, SIGNED_UP, {"type": "adresse_signalee", "date": "2026-02-05"},
                       {"type": "demenagement", "date": "2026-02-10"}, {"type": "demenagement", "date": "2026-03-02"})
    states = [(a["depuis"]["date"], a["etat"], a.get("accomplie_le")) for a in twice["actions"]]
    assert states == [("2026-02-10", "accomplie", "2026-02-05"), ("2026-03-02", "en_retard", None)]
    # the day of the previous move itself is not after it: a signal that day serves that move only
    same_day = verdict_on(library, SIGNED_UP, {"type": "demenagement", "date": "2026-02-10"},
                          {"type": "adresse_signalee", "date": "2026-02-10"},
                          {"type": "demenagement", "date": "2026-03-02"})
    assert [a["etat"] for a in same_day["actions"]] == ["accomplie", "en_retard"]


def test_tant_que_statut_no_action_outside_the_statuses_and_a_lapse_when_they_end(library):
    """Only a subscriber must signal a move: none before signing up; the subscription of 5 Jan 2025 ends on
    4 Jan 2026, so a move on 20 Dec 2025 (due Saturday 10 Jan 2026, extended to Monday 12 Jan by this policy)
    lapses on 5 Jan, with no finding."""
    before = verdict_on(library, {"type": "demenagement", "date": "2025-12-20"}, as_of="2026-02-01")
    assert before["actions"] == [] and before["verdict"]["conforme"] is True
    ended = verdict_on(library, {"type": "inscription", "date": "2025-01-05"},
                       {"type": "demenagement", "date": "2025-12-20"}, as_of="2026-02-01")
    [move] = ended["actions"]
    assert (move["echeance"], move["etat"]) == ("2026-01-12", "echue")
    assert "adresse_non_signalee" not in ids(ended) and ended["verdict"]["conforme"] is True
    # a move due on Wednesday 31 Dec 2025 (10 Dec + 21 days), still a subscriber the day after: late, as before
    late = verdict_on(library, {"type": "inscription", "date": "2025-01-05"},
                      {"type": "demenagement", "date": "2025-12-10"}, as_of="2026-02-01")
    assert [a["etat"] for a in late["actions"]] == ["en_retard"]
    assert "adresse_non_signalee" in ids(late)


def test_echue_si_absente_an_obligation_unfulfilled_at_its_date_lapses(library):
    """A reservation of 2 Mar 2026 is collected by 23 Mar, else it lapses: echue, not late, never a finding."""
    lapsed = verdict_on(library, SIGNED_UP, {"type": "reservation", "date": "2026-03-02"})
    [reservation] = lapsed["actions"]
    assert (reservation["echeance"], reservation["etat"]) == ("2026-03-23", "echue")
    assert lapsed["verdict"]["conforme"] is True
    on_the_day = verdict_on(library, SIGNED_UP, {"type": "reservation", "date": "2026-03-02"}, as_of="2026-03-23")
    assert on_the_day["actions"][0]["etat"] == "a_faire"
    late = verdict_on(library, SIGNED_UP, {"type": "reservation", "date": "2026-03-02"},
                      {"type": "reservation_retiree", "date": "2026-03-24"})
    assert (late["actions"][0]["etat"], late["actions"][0]["dans_les_delais"]) == ("accomplie", False)


def test_accomplie_par_date_the_fulfilling_event_s_own_date_counts(library):
    """A book left in the drop on 23 Mar 2026 (its due date: 2 Mar + 21 days), recorded on the 24th, is in time and
    not fined; left on the 24th it is late (the day after)."""
    def returned(dropped):
        return verdict_on(library, SIGNED_UP, {"type": "emprunt", "date": "2026-03-02", "cote": "A"},
                          {"type": "retour", "date": "2026-03-24", "cote": "A", "date_depot": dropped})
    on_the_day, day_after = returned("2026-03-23"), returned("2026-03-24")
    loan = on_the_day["actions"][0]
    assert (loan["echeance"], loan["accomplie_le"], loan["dans_les_delais"]) == ("2026-03-23", "2026-03-23", True)
    assert "amende" not in ids(on_the_day, "frais") and "livre_rendu_en_retard" not in ids(on_the_day)
    assert day_after["actions"][0]["dans_les_delais"] is False
    assert "amende" in ids(day_after, "frais") and "livre_rendu_en_retard" in ids(day_after)


def test_a_compter_de_au_plus_tot_never_before_the_trigger_s_date(library):
    """An exclusion notified on 10 Mar 2026 whose letter says 2 March takes effect on 10 March (not retroactive):
    a loan on 9 March is a subscriber's, one on 10 March is not; a letter saying 20 March takes effect then."""
    def loans(effect):
        return verdict_on(library, SIGNED_UP, {"type": "exclusion", "date": "2026-03-10", "date_effet": effect},
                          {"type": "emprunt", "date": "2026-03-09", "cote": "A"},
                          {"type": "emprunt", "date": "2026-03-10", "cote": "B"},
                          {"type": "emprunt", "date": "2026-03-20", "cote": "C"},
                          {"type": "retour", "date": "2026-03-21", "cote": "A"},
                          {"type": "retour", "date": "2026-03-21", "cote": "B"},
                          {"type": "retour", "date": "2026-03-21", "cote": "C"})
    def outside(verdict):
        return sorted(f["message"].split()[2] for f in verdict["constats"] if f["id"] == "emprunt_hors_abonnement")
    assert outside(loans("2026-03-02")) == ["B", "C"]
    assert outside(loans("2026-03-20")) == ["C"]


def test_au_statut_exceptions_one_a_status_without_at_latest_the_day_before_it_began(library):
    """A subscription of 5 Jan 2025 ends on 4 Jan 2026: a book reserved on 4 Jan (still a subscriber) may be
    borrowed on the 10th; one reserved on 5 Jan (the first day as a former subscriber) may not."""
    def borrowed(reserved):
        return verdict_on(library, {"type": "inscription", "date": "2025-01-05"},
                          {"type": "emprunt", "date": "2026-01-10", "cote": "A", "date_reservation": reserved},
                          {"type": "retour", "date": "2026-01-20", "cote": "A"}, as_of="2026-02-01")
    assert "emprunt_hors_abonnement" not in ids(borrowed("2026-01-04"))
    assert "emprunt_hors_abonnement" in ids(borrowed("2026-01-05"))


# --- findings and lists ---------------------------------------------------------------------------------------
def test_non_vide_sees_a_list_attribute_by_its_items(library):
    loan = {"type": "emprunt", "date": "2026-03-02", "cote": "A"}
    damaged = verdict_on(library, SIGNED_UP, loan, {"type": "retour", "date": "2026-03-10", "cote": "A",
                                                    "degats": ["couverture déchirée"]})
    assert [f["message"] for f in damaged["constats"]] == ["A rendu abîmé le 10/03/2026."]
    for fine in ({"degats": []}, {}):
        verdict = verdict_on(library, SIGNED_UP, loan, {"type": "retour", "date": "2026-03-10", "cote": "A", **fine})
        assert verdict["constats"] == []


def test_a_finding_without_message_says_its_title_and_where(library):
    verdict = verdict_on(library, {"type": "emprunt", "date": "2026-03-02", "cote": "A"})
    [found] = [f for f in verdict["constats"] if f["id"] == "emprunt_sans_inscription"]
    assert found["message"] == "Emprunt sans inscription préalable (evenements[0], 02/03/2026)."


# --- fees ----------------------------------------------------------------------------------------------------------
def test_each_charge_priced_on_its_own_day(library):
    """DVDs are 2.00 until 14 February 2026 and 3.00 from the 15th: one quarter, two prices, no single unit price."""
    dvd = {"support": "dvd", "boitier": "B"}
    verdict = verdict_on(library, SIGNED_UP, {"type": "emprunt", "date": "2026-02-01", "cote": "D1", **dvd},
                         {"type": "emprunt", "date": "2026-03-01", "cote": "D2", **dvd})
    [rental] = [f for f in verdict["frais"] if f["id"] == "location_dvd"]
    assert (rental["echeance"], rental["montant_ttc"], rental["quantite"]) == ("2026-03-31", "5.00", 2)
    assert "montant_unitaire" not in rental
    [one] = [f for f in verdict_on(library, SIGNED_UP, {"type": "emprunt", "date": "2026-03-01", "cote": "D2", **dvd})
             ["frais"] if f["id"] == "location_dvd"]
    assert (one["montant_ttc"], one["montant_unitaire"]) == ("3.00", "3.00")


def test_items_counted_when_their_dates_hold_the_event_s_date(library):
    members = [{"nom": "Ada"}, {"nom": "Alan", "depuis": "2026-01-05"}, {"nom": "Grace", "jusqu_au": "2026-01-04"},
               {"nom": "Edsger", "depuis": "2026-01-06"}]
    verdict = verdict_on(library, SIGNED_UP, membres=members)
    [family] = [f for f in verdict["frais"] if f["id"] == "cotisation_famille"]
    assert (family["quantite"], family["montant_ttc"]) == (2, "10.00")


def test_the_new_action_options_refuse_bad_shapes_with_french_lines(tmp_path):
    """`tant_que_statut` names known statuses, as a list; `anticipee` and `echue_si_absente` are true or false."""
    import shutil

    from engine import PolicyError

    folder = tmp_path / "bibliotheque"
    shutil.copytree(LIBRARY, folder)
    rules = folder / "regles" / "usages.yaml"
    text = rules.read_text(encoding="utf-8")
    rules.write_text(text.replace("tant_que_statut: [abonne]", "tant_que_statut: [abonne, inconnu]")
                     .replace("anticipee: true", "anticipee: oui")
                     .replace("echue_si_absente: true", "echue_si_absente: 1"), encoding="utf-8")
    with pytest.raises(PolicyError) as error:
        load_policies(tmp_path)
    lines = [str(issue) for issue in error.value.issues]
    assert all("usages.yaml:" in line for line in lines) and len(lines) >= 2
    assert any("anticipee" in line for line in lines) and any("echue_si_absente" in line for line in lines)
    rules.write_text(text.replace("tant_que_statut: [abonne]", "tant_que_statut: [abonne, inconnu]"), encoding="utf-8")
    with pytest.raises(PolicyError) as unknown:
        load_policies(tmp_path)
    [line] = [str(issue) for issue in unknown.value.issues]
    assert "usages.yaml:" in line and "tant_que_statut" in line and "inconnu" in line
