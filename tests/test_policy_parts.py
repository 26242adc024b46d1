"""A policy's parts besides rules and dossier are typed objects built once at load (engine/policy/loading/elements.py):
a shape they cannot be built from is a French problem at its line, never a Python exception; an extension's scope
messages quote only what the engine hands them; the parameters in force are asked for by a date or its ISO text.

Annexe 3 (A3): the instruction fee of a demande is 300,00 € HT from 25 February 2020 (0,00 € HT before).
"""
from __future__ import annotations

import copy
import shutil
from datetime import date
from pathlib import Path

import pytest

from engine import FactsError, PolicyError, load_policies
from engine.policy.loading.elements import build_elements

ROOT = Path(__file__).resolve().parent.parent
POLICIES = ROOT / "policies"


@pytest.fixture(scope="module")
def policies():
    return load_policies(POLICIES)


@pytest.fixture(scope="module")
def certifpro(policies):
    return policies.get("certifpro")


def _line_of(path: Path, text: str) -> int:
    return next(number for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


# --- shapes -----------------------------------------------------------------------------------------------------
def test_the_typed_parts_say_what_the_policy_files_say(certifpro):
    assert certifpro.head.instances == ("certifpro",)
    assert certifpro.head.conformity.statuses == ("suspendu", "retire")
    assert certifpro.head.currencies["EUR_HT"].amount_field == "montant_ht"
    assert certifpro.status_model.initial == "candidat"
    assert certifpro.status_model.period is not None and certifpro.status_model.period.renewal is not None
    assert certifpro.status_model.period.renewal.except_statuses == ("suspendu", "retire")
    assert certifpro.calendar_model.years == (2015, 2045)
    assert certifpro.calendar_model.actors["organisme"].facts_territory == "organisme.territoire"
    assert certifpro.calendar_model.duration_units["jours_ouvres"].counting == "working_days"
    meeting = certifpro.event_types["reunion_instance"]
    assert meeting.planned and meeting.defaults == {"objet": "instruction"}
    assert certifpro.event_types["decision_conformite_notifiee"].required_if[0].required == ("date_retrait",)
    assert certifpro.finding_types["recours_hors_delai"].severity == "information"


def test_a_wrong_shape_is_a_french_problem_at_its_line(certifpro):
    """What the schema would let through and the code would crash on: a title that is not a text, a list of
    statuses that holds a mapping, an event type that is not a mapping."""
    raw = copy.deepcopy(certifpro.raw)
    raw["statuts"]["valeurs"]["habilite"]["titre"] = 7
    raw["statuts"]["periode"]["statuts_actifs"] = ["habilite", {"x": 1}]
    raw["evenements"]["types"]["audition"] = "oui"
    _, issues = build_elements(raw, certifpro.sources)
    statuts, evenements = POLICIES / "certifpro" / "statuts.yaml", POLICIES / "certifpro" / "evenements.yaml"
    assert [str(issue) for issue in issues] == [
        (f"{statuts}:{_line_of(statuts, 'habilite: {article')}: statuts.valeurs.habilite.titre: "
        "'titre' doit être un texte, pas un nombre entier"),
        (f"{statuts}:{_line_of(statuts, 'statuts_actifs')}: statuts.periode.statuts_actifs[1]: "
        "chaque élément de 'statuts_actifs' est un texte, pas un ensemble de clés (un mapping)"),
        (f"{evenements}:{_line_of(evenements, 'audition:')}: evenements.types.audition: "
        "'audition' doit être un ensemble de clés (un mapping), pas un texte"),
    ]


def test_a_missing_part_is_named(certifpro):
    raw = copy.deepcopy(certifpro.raw)
    del raw["calendrier"]["conventions"]["avant_jours_francs"]
    _, issues = build_elements(raw, certifpro.sources)
    assert [(issue.path, issue.message) for issue in issues] == [
        ("calendrier.conventions.avant_jours_francs",
         "'avant_jours_francs' manque : vrai ou faux (true, false) est attendu ici")]


# --- an extension's scope ---------------------------------------------------------------------------------------
def _with_scope_message(tmp_path: Path, message: str) -> tuple[Path, Path]:
    folder = tmp_path / "policies"
    shutil.copytree(POLICIES, folder)
    head = folder / "cpne-exemple" / "politique.yaml"
    text = head.read_text(encoding="utf-8")
    start = text.index("  message: ")
    end = text.index("\n", start)
    head.write_text(text[:start] + f"  message: \"{message}\"" + text[end:], encoding="utf-8")
    return folder, head


@pytest.mark.parametrize("message, said", [
    ("Limitée au champ {libelle.__class__}", "n'est pas une variable"),
    ("Limitée au champ {libele}", "le texte cite une variable inconnue '{libele}' — vouliez-vous dire '{libelle}'"),
])
def test_a_scope_message_quotes_only_its_own_values(tmp_path, message, said):
    folder, head = _with_scope_message(tmp_path, message)
    with pytest.raises(PolicyError) as raised:
        load_policies(folder)
    lines = [str(issue) for issue in raised.value.issues]
    line = _line_of(head, "  message: ")
    assert len(lines) == 1 and lines[0].startswith(f"{head}:{line}: politique.portee.message: ")
    assert said in lines[0]


def test_a_scope_message_is_filled_with_its_label(tmp_path):
    folder, _ = _with_scope_message(tmp_path, "Limitée au « {libelle} » ({valeur}), instance {instance} ; {{x}}")
    scope = load_policies(folder).get("cpne_exemple").head.scope
    assert scope is not None
    assert scope.message.fill({"libelle": scope.label, "valeur": scope.value, "instance": "cpne:exemple"}) == (
        "Limitée au « Commerce de détail (champ fictif de l'exemple) » (commerce_detail_exemple), instance "
        "cpne:exemple ; {x}")


# --- parameters in force ----------------------------------------------------------------------------------------
def _instruction_fee(rows: list[dict]) -> dict:
    return next(row for row in rows if row["id"] == "frais.instruction")


def test_parameters_in_force_by_a_date_or_its_iso_text(certifpro):
    """A3: 300,00 € HT from Tuesday 25 February 2020; on Monday 24 February 2020 the earlier 0,00 € HT."""
    assert certifpro.parameters_at("2026-03-10") == certifpro.parameters_at(date(2026, 3, 10))
    assert _instruction_fee(certifpro.parameters_at("2020-02-25"))["valeur"] == "300.00"
    assert _instruction_fee(certifpro.parameters_at("2020-02-25"))["depuis"] == "2020-02-25"
    assert _instruction_fee(certifpro.parameters_at("2020-02-24"))["valeur"] == "0.00"
    assert _instruction_fee(certifpro.parameters_at("2020-02-24"))["depuis"] == "2019-07-01"


@pytest.mark.parametrize("given, message", [
    ("2026-02-30", "'2026-02-30' n'est pas une date AAAA-MM-JJ du calendrier"),
    ("10/03/2026", "'10/03/2026' n'est pas une date AAAA-MM-JJ du calendrier"),
    (20260310, "une date ou une chaîne AAAA-MM-JJ, pas int"),
])
def test_a_bad_day_is_refused_as_an_evaluation_date_is(certifpro, given, message):
    with pytest.raises(FactsError) as raised:
        certifpro.parameters_at(given)
    assert [(issue.path, issue.message) for issue in raised.value.issues] == [("date", message)]
