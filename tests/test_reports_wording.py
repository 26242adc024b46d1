"""Issue 25, "pages a secretary reads without help", in the reports: the text report (`clea evaluate --format
text`) proposes no avis when no application is under instruction, and the findings' messages write a date as a French
administrative text does (15/09/2026) and a status by its title (« Habilitation suspendue »), never its code."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml

from engine import evaluate, load_policies
from engine.reports.text import verdict_text

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "tests" / "fixtures" / "policies" / "certifpro" / "tests"     # the public scenarios, frozen
LIBRARY = ROOT / "tests" / "fixtures" / "bibliotheque"


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


def test_a_finding_writes_its_date_and_the_status_as_a_person_reads_them(policies):
    """Scenario p10: 4 certificates issued on 15 September 2026 while the habilitation is suspended (V.3); the
    verdict's message (free text in the contract) and its conformity reason say so in words."""
    facts = yaml.safe_load((SCENARIOS / "p10-certificats-pendant-suspension.yaml").read_text(encoding="utf-8"))
    verdict = evaluate(facts["faits"], facts["date"], policies=policies)
    [finding] = verdict["constats"]
    assert finding["id"] == "activite_hors_habilitation" and finding["article"] == "V.3"
    assert finding["message"].startswith("4 certificat(s) délivré(s) le 15/09/2026 alors que le statut est "
                                         "« Habilitation suspendue » :")
    assert finding["message"] in verdict["verdict"]["motifs"]
    assert "2026-09-15" not in json.dumps(verdict["constats"]) and "« suspendu »" not in json.dumps(verdict)


def _library_with_quoted_reservation(tmp_path: Path) -> Path:
    folder = tmp_path / "bibliotheque"
    shutil.copytree(LIBRARY, folder)
    rules = folder / "regles" / "usages.yaml"
    text = rules.read_text(encoding="utf-8")
    before = 'message: "Emprunt de {cote} le {date} alors que le lecteur est « {statut} »."'
    assert before in text
    rules.write_text(text.replace(before, 'message: "Emprunt de {cote} le {date} (réservé le {date_reservation}) '
                                          'alors que le lecteur est « {statut} »."'), encoding="utf-8")
    return folder


def test_an_attribute_the_catalogue_declares_a_date_is_written_as_a_date(tmp_path):
    """The engine knows no regulation: `date_reservation` is a date because the library's catalogue says
    `format: date`; the status is the library's own title of `ancien_abonne` (statuts.yaml)."""
    library = load_policies(_library_with_quoted_reservation(tmp_path))
    facts = {"lecteur": {"carte": "A-1"}, "instance": "mediatheque", "evenements": [
        {"type": "inscription", "date": "2025-01-05"},
        {"type": "emprunt", "date": "2026-01-10", "cote": "C", "date_reservation": "2026-01-08"}]}
    verdict = evaluate(facts, "2026-02-01", policies=library)
    assert [f["message"] for f in verdict["constats"] if f["id"] == "emprunt_hors_abonnement"] == [
        "Emprunt de C le 10/01/2026 (réservé le 08/01/2026) alors que le lecteur est « Abonnement échu »."]


def test_the_wording_does_not_reorder_the_findings():
    """Two findings of one kind stay in the order of their dates (15/01/2026 before 02/03/2026), as they were when
    the messages wrote ISO dates, though « 02/03 » sorts before « 15/01 » as text."""
    library = load_policies(LIBRARY)
    damaged = {"type": "retour", "cote": "A", "degats": ["couverture déchirée"]}
    facts = {"lecteur": {"carte": "A-1"}, "instance": "mediatheque", "evenements": [
        {"type": "inscription", "date": "2026-01-05"}, {"type": "emprunt", "date": "2026-01-06", "cote": "A"},
        {**damaged, "date": "2026-01-15"}, {"type": "emprunt", "date": "2026-02-20", "cote": "A"},
        {**damaged, "date": "2026-03-02"}]}
    verdict = evaluate(facts, "2026-04-01", policies=library)
    assert [f["message"] for f in verdict["constats"] if f["id"] == "livre_abime"] == [
        "A rendu abîmé le 15/01/2026.", "A rendu abîmé le 02/03/2026."]
