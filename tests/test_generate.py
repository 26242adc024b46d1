"""The synthetic dossier generator (bench/generate.py): deterministic, and its dossiers are valid facts."""
import json
import sys
from pathlib import Path

import pytest
from stdnum.fr import siren, siret

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench import generate


def test_same_seed_same_dossiers():
    first = [json.dumps(facts, sort_keys=True) for facts in generate.dossiers(40, seed=11, size="mixed")]
    again = [json.dumps(facts, sort_keys=True) for facts in generate.dossiers(40, seed=11, size="mixed")]
    other = [json.dumps(facts, sort_keys=True) for facts in generate.dossiers(40, seed=12, size="mixed")]
    assert first == again
    assert first != other


def test_a_dossier_does_not_depend_on_the_count():
    assert list(generate.dossiers(5, seed=3))[4] == generate.dossier(3, 4)


@pytest.mark.parametrize(("size", "low", "high"), [("small", 5, 5), ("typical", 18, 22), ("large", 55, 60)])
def test_sizes(size, low, high):
    for facts in generate.dossiers(30, seed=5, size=size):
        assert low <= len(facts["evenements"]) <= high
        organisme = facts["organisme"]
        assert 1 <= len(organisme["etablissements"]) <= 6
        assert 2 <= len(organisme["intervenants"]) <= 20
        assert all("2019-07-01" <= event["date"] <= "2032-12-31" for event in facts["evenements"])


def test_identifiers_are_valid_and_share_the_siren():
    for facts in generate.dossiers(300, seed=9, size="small"):
        number = facts["organisme"]["siren"]
        assert siren.is_valid(number) and number not in ("000000000", generate.LA_POSTE)
        for etablissement in facts["organisme"]["etablissements"]:
            assert siret.is_valid(etablissement["siret"])
            assert etablissement["siret"].startswith(number)
            assert etablissement["siret"][9:] != "00000"


def test_luhn_check_digit_of_known_numbers():
    assert generate.luhn_check_digit("73282932") == "0"          # SIREN 732829320
    assert generate.luhn_check_digit("7328293200001") == "7"     # SIRET 73282932000017


def test_territories_are_mixed():
    territories = {facts["organisme"]["territoire"] for facts in generate.dossiers(300, seed=2, size="small")}
    assert territories == {"metropole", "alsace-moselle", "971", "972", "973", "974", "976"}


def test_generated_facts_pass_the_engines_validation():
    engine = pytest.importorskip("engine")
    if not hasattr(engine, "evaluate"):
        pytest.skip("the engine's evaluate is not there yet")
    policies = engine.load_policies(Path(__file__).resolve().parent / "fixtures" / "policies")
    for index, facts in enumerate(generate.dossiers(40, seed=1, size="mixed")):
        try:
            engine.evaluate(facts, "2032-12-31", policies=policies)
        except engine.FactsError as exc:
            pytest.fail(f"dossier {index}: {exc}")
