"""The compiled fast path of facts validation (fastjsonschema) never changes what validation says: on valid and on
slightly broken generated dossiers, the issues are those jsonschema alone finds."""
import copy
import sys
from pathlib import Path

import pytest

from engine import load_policies
from engine.evaluation import prepare
from engine.evaluation.facts import FactsValidator

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.generate import dossiers


def _mutations(facts: dict):
    """Each a small defect a caller could send (or none)."""
    organisme, event = facts["organisme"], facts["evenements"][0]
    yield "as generated", lambda d: None
    yield "siren check digit", lambda d: d["organisme"].update(siren=organisme["siren"][:-1] + str((int(organisme["siren"][-1]) + 1) % 10))
    yield "siret all zeros", lambda d: d["organisme"]["etablissements"][0].update(siret="0" * 14)
    yield "impossible date", lambda d: d["evenements"][0].update(date="2026-02-30")
    yield "date with a newline", lambda d: d["evenements"][0].update(date=event["date"] + "\n")
    yield "unknown event type", lambda d: d["evenements"][0].update(type="inconnu")
    yield "unknown event attribute", lambda d: d["evenements"][0].update(extra=1)
    yield "domain 5", lambda d: d["organisme"]["intervenants"][0].update(domaines=[5])
    yield "boolean as domain", lambda d: d["organisme"]["intervenants"][0].update(domaines=[True])
    yield "integer as boolean", lambda d: d["organisme"]["intervenants"][0].update(cv=1)
    yield "bad instance", lambda d: d.update(instance="cpne:")
    yield "unknown territory", lambda d: d["organisme"].update(territoire="975")
    yield "date outside the policy's years", lambda d: d["evenements"][0].update(date="2050-01-01")
    yield "the day before the policy's years", lambda d: d["evenements"][0].update(date="2014-12-31")
    yield "siren in non-ASCII digits", lambda d: d["organisme"].update(siren="".join(chr(0x660 + int(c)) for c in organisme["siren"]))
    yield "siret of La Poste", lambda d: d["organisme"]["etablissements"][0].update(siret="35600000000048")
    yield "siret of La Poste, sum of digits not a multiple of 5", lambda d: d["organisme"]["etablissements"][0].update(siret="35600000000049")
    yield "siret of another SIREN", lambda d: d["organisme"]["etablissements"][0].update(siret="73282932000074")
    yield "duplicate roles", lambda d: d["organisme"]["intervenants"][0].update(roles=["evaluateur", "evaluateur"])
    yield "two roles, each once", lambda d: d["organisme"]["intervenants"][0].update(roles=["evaluateur", "formateur"])
    yield "domains 1 and true (a set merges them)", lambda d: d["organisme"]["intervenants"][0].update(domaines=[1, True])
    yield "an object among the domains (no set holds it)", lambda d: d["organisme"]["intervenants"][0].update(
        domaines=[1, {"a": 1}])
    yield "duplicate modalites", lambda d: d.update(demande={"partie_technique": {"modalites": ["presentiel"] * 2}})
    yield "declaration with a newline", lambda d: d["organisme"].update(declaration_activite="11755555575\n")
    yield "missing evenements", lambda d: d.pop("evenements")
    yield "event not an object", lambda d: d["evenements"].append("x")
    yield "nombre zero", lambda d: d["evenements"].append({"type": "certificats_delivres", "date": "2026-01-02", "nombre": 0})
    yield "site without SIRET (the schema's `if` fails, its `else` holds)", lambda d: d["organisme"]["etablissements"].append(
        {"site_sans_siret": True, "adresse": "1 rue de la Paix, 75002 Paris"})
    yield "site without SIRET nor address (the `else` fails)", lambda d: d["organisme"]["etablissements"].append(
        {"site_sans_siret": True})
    yield "nombre float", lambda d: d["evenements"].append({"type": "certificats_delivres", "date": "2026-01-02", "nombre": 2.0})
    # required keys, unknown keys and enums of texts, each compiled as one lookup (engine/fast_schema.py)
    yield "intervenant without its id", lambda d: d["organisme"]["intervenants"][0].pop("id")
    yield "organisation without its SIREN", lambda d: d["organisme"].pop("siren")
    yield "event without its date", lambda d: d["evenements"][0].pop("date")
    yield "unknown key in an establishment", lambda d: d["organisme"]["etablissements"][0].update(enseigne="x")
    yield "unknown key in the organisation", lambda d: d["organisme"].update(capital=1)
    yield "unknown key at the root", lambda d: d.update(remarque="x")
    yield "territory as a number", lambda d: d["organisme"].update(territoire=971)
    yield "territory in capitals", lambda d: d["organisme"].update(territoire="METROPOLE")
    yield "unknown role", lambda d: d["organisme"]["intervenants"][0].update(roles=["jury"])
    yield "role as a number", lambda d: d["organisme"]["intervenants"][0].update(roles=[1])
    yield "territory of Mayotte", lambda d: d["organisme"].update(territoire="976")
    yield "a known key set to null", lambda d: d["organisme"].update(denomination=None)


# the mutations that leave the facts valid: the compiled validator must accept them itself (jsonschema would give
# the same empty answer after a needless refusal, so the comparison alone cannot see one)
VALID = {"as generated", "two roles, each once", "site without SIRET (the schema's `if` fails, its `else` holds)",
         "territory of Mayotte"}


@pytest.fixture(scope="module")
def validators():
    policy = next(iter(load_policies(ROOT / "tests" / "fixtures" / "policies")))
    fast = prepare(policy).validator
    slow = FactsValidator(policy.facts_schema, policy.event_types, policy.year_range)
    slow._fast_issues = lambda facts: None          # jsonschema only
    return fast, slow


def test_same_issues_with_and_without_the_fast_check(validators):
    fast, slow = validators
    for facts in dossiers(20, seed=21, size="mixed"):      # 480 comparisons: each defect on 20 different dossiers
        for name, mutate in _mutations(facts):
            document = copy.deepcopy(facts)
            mutate(document)
            if name in VALID:
                assert fast._fast_issues(document) == [], f"{name}: a valid dossier should take the fast path"
            assert sorted(map(str, fast.issues(document))) == sorted(map(str, slow.issues(document))), name
