"""A second, made-up regulation (a library's loans) runs through the same engine, unchanged."""
from __future__ import annotations

from pathlib import Path

import pytest

from engine import FactsError, evaluate, load_policies

LIBRARY = Path(__file__).resolve().parent / "fixtures" / "bibliotheque"


@pytest.fixture(scope="module")
def library():
    return load_policies(LIBRARY)


def facts(*events):
    return {"lecteur": {"carte": "A-1"}, "instance": "mediatheque", "evenements": list(events)}


def test_a_book_returned_late_is_an_infraction(library):
    verdict = evaluate(facts(
        {"type": "inscription", "date": "2026-01-05"},
        {"type": "emprunt", "date": "2026-03-02", "cote": "843 HUG"},
        {"type": "retour", "date": "2026-03-30", "cote": "843 HUG"},
    ), "2026-04-01", policies=library)
    assert verdict["politique"]["id"] == "bibliotheque"
    assert verdict["statut"] == "abonne"
    assert verdict["abonnement"] == {"debut": "2026-01-05", "fin": "2027-01-04", "renouvelee": False}
    (loan,) = verdict["actions"]
    # 2 Mar 2026 + 21 days = 23 Mar 2026 (a Monday); returned on the 30th
    assert (loan["id"], loan["echeance"], loan["etat"], loan["dans_les_delais"]) == \
        ("rendre_livre", "2026-03-23", "accomplie", False)
    assert [c["id"] for c in verdict["constats"]] == ["livre_rendu_en_retard"]
    assert verdict["verdict"]["conforme"] is False
    assert verdict["frais"] == [{
        "id": "cotisation", "acteur": "lecteur", "montant_ttc": "12.50", "devise": "EUR", "echeance": "2026-01-05",
        "quantite": 1, "montant_unitaire": "12.50", "article": "art1", "regle": "cotisation"}, {
        "id": "amende", "acteur": "lecteur", "montant_ttc": "1.50", "devise": "EUR", "echeance": "2026-03-30",
        "quantite": 1, "montant_unitaire": "1.50", "article": "art2", "regle": "amende_retard"}]


def test_calendar_day_deadline_extended_to_the_next_working_day(library):
    """This policy asks for art. 642's extension: 14 Mar 2026 + 21 days = Sat 4 Apr -> Tue 7 Apr (Easter Monday)."""
    verdict = evaluate(facts({"type": "emprunt", "date": "2026-03-14", "cote": "X"}), "2026-04-01", policies=library)
    assert verdict["actions"][0]["echeance"] == "2026-04-07"
    assert verdict["actions"][0]["etat"] == "a_faire"


def test_the_subscription_expires_after_a_year(library):
    verdict = evaluate(facts({"type": "inscription", "date": "2025-01-31"}), "2026-02-15", policies=library)
    assert verdict["statut"] == "ancien_abonne"
    assert verdict["abonnement"]["fin"] == "2026-01-30"


def test_its_own_facts_schema_and_event_catalogue(library):
    with pytest.raises(FactsError) as error:
        evaluate(facts({"type": "demande_deposee", "date": "2026-01-05"}), "2026-02-01", policies=library)
    assert "type d'événement inconnu : 'demande_deposee'" in str(error.value)
