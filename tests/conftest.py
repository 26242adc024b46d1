"""Shared fixtures: the frozen copy of the policies (tests/fixtures/policies), loaded once per test session.

The engine's tests read a frozen copy, never the live policies/: a board change to policies/ is checked by the
policy's own cases (`clea test policies/`), not by engine tests that hard-code today's values. Commands run
without --policies (in this process or in a subprocess) read the frozen copy too, through CLEA_POLICIES.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from engine import load_policies

ROOT = Path(__file__).resolve().parent.parent
POLICIES = ROOT / "tests" / "fixtures" / "policies"
SCENARIOS = POLICIES / "certifpro" / "tests"
os.environ["CLEA_POLICIES"] = str(POLICIES)


@pytest.fixture(scope="session")
def policies():
    return load_policies(POLICIES)


@pytest.fixture
def base_facts():
    """A well-formed dossier with no events, as in the scenarios."""
    return {
        "organisme": {
            "siren": "732829320", "denomination": "Atelier Numérique Exemple SAS",
            "declaration_activite": "11755555575", "territoire": "metropole",
            "etablissements": [
                {"siret": "73282932000017", "adresse": "12 rue de l'Exemple, 75011 Paris", "activite_clea": True},
                {"siret": "73282932000025", "adresse": "3 place de l'Exemple, 69002 Lyon", "activite_clea": True},
            ],
            "intervenants": [
                {"id": "E1", "roles": ["evaluateur"], "cv": True, "statut": "salarie", "domaines": [1, 2, 3, 4],
                 "distanciel": False},
                {"id": "F1", "roles": ["formateur"], "cv": True, "statut": "salarie", "domaines": [1, 2, 3, 4]},
            ],
        },
        "instance": "certifpro",
        "mandataire": None,
        "demande": {
            "partie_administrative": {"situation_juridique": True},
            "partie_technique": {
                "domaines_couverts": [1, 2, 3, 4], "presentation": {"definition": True, "schemas": True, "exemples": True},
                "accompagnement": True, "formation_preparatoire": True, "demarche_qualite": "Qualiopi",
                "modalites": ["presentiel"],
            },
            "perimetre": {"geographique": "France métropolitaine", "champ_professionnel": None},
            "contextualisation": {},
        },
        "beneficiaires": [],
        "evenements": [],
    }
