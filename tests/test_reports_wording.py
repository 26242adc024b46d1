"""Issue 25, "pages a secretary reads without help", in the reports: the text report (`clea evaluate --format
text`) proposes no avis when no application is under instruction, and the findings' messages write a date as a French
administrative text does (15/09/2026) and a status by its title (« Habilitation suspendue »), never its code."""
from __future__ import annotations

from pathlib import Path

import yaml

from engine import evaluate
from engine.reports.text import verdict_text

ROOT = Path(__file__).resolve().parent.parent


def example(name: str) -> dict:
    return yaml.safe_load((ROOT / "examples" / name).read_text(encoding="utf-8"))


def test_the_text_report_proposes_no_avis_without_an_application_under_instruction(policies):
    """The suspended organisation of the formal notice has no application under instruction on 27/11/2026; the
    application filed in the other example is."""
    policy = policies.for_instance("certifpro")
    suspended = verdict_text(evaluate(example("mise-en-demeure.yaml"), "2026-11-27", policies=policies), policy)
    pending = verdict_text(evaluate(example("instruction-en-cours.yaml"), "2026-11-27", policies=policies), policy)
    assert "Avis proposé" not in suspended
    assert "Avis : aucune demande n'est en instruction à cette date, aucun avis n'est proposé" in suspended
    assert "Avis proposé : favorable" in pending and "aucun avis n'est proposé" not in pending
