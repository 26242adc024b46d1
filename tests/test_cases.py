"""`clea test`: the cases that live with a policy, run as a board secretary or a CPNE officer would run them.

Run on the frozen copy of the policies (tests/fixtures/policies), or on a copy of it in a temporary folder.
Dates: a refusal notified on Monday 2 March 2026 may be appealed until the 30th working day after it, 14 April 2026
(Easter Monday, 6 April, is a holiday) — checked on the calendar in test_the_dates_of_these_cases_on_the_calendar.
"""
from __future__ import annotations

import io
import json
import shutil
from datetime import date, timedelta
from pathlib import Path

import holidays
import pytest
import yaml

from engine.cli import run

FROZEN = Path(__file__).resolve().parent / "fixtures" / "policies"
SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"


def clea(*argv):
    out, err = io.StringIO(), io.StringIO()
    code = run([str(a) for a in argv], out, err)
    assert "Traceback" not in out.getvalue() + err.getvalue()
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def policies(tmp_path):
    """A copy of the frozen policies (and the schemas they read), without their cases, to add cases to."""
    shutil.copytree(SCHEMAS, tmp_path / "schemas")
    target = tmp_path / "policies"
    shutil.copytree(FROZEN, target, ignore=shutil.ignore_patterns("tests"))
    return target


def refusal_case(base_facts, **expected) -> dict:
    facts = {**base_facts, "evenements": [
        {"type": "demande_deposee", "date": "2026-01-12"},
        {"type": "decision_notifiee", "date": "2026-03-02", "decision": "refus", "motifs": ["critère II non satisfait"]},
    ]}
    return {"nom": "Refus notifié : recours possible 30 jours ouvrés", "article": "III.7", "date": "2026-03-10",
            "faits": facts, "attendu": expected or {"statut": "refuse"}}


def write(folder: Path, name: str, case: dict) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(yaml.safe_dump(case, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_the_dates_of_these_cases_on_the_calendar():
    france = holidays.France(years=[2026], language="fr")
    day, counted = date(2026, 3, 2), 0
    while counted < 30:
        day += timedelta(days=1)
        counted += day.weekday() < 5 and day not in france
    assert day == date(2026, 4, 14) and date(2026, 4, 6) in france


def test_the_frozen_policies_pass_their_own_cases():
    code, out, _ = clea("test", FROZEN)
    lines = out.splitlines()
    assert code == 0, out
    assert lines[-1] == "12 passed, 0 failed"
    assert sum(line.startswith("PASSED ") for line in lines) == 12
    assert not [line for line in lines if line.startswith("SKIPPED ")]


def test_copy_a_case_edit_the_expected_value_see_it_fail_then_pass(policies, base_facts):
    case = refusal_case(base_facts, actions=[{"id": "deposer_recours", "echeance": "2026-04-14", "etat": "a_faire"}])
    path = write(policies / "certifpro" / "tests", "mon-cas.yaml", case)
    assert clea("test", policies)[0] == 0
    text = path.read_text(encoding="utf-8").replace("2026-04-14", "2026-04-15")
    path.write_text(text, encoding="utf-8")
    code, out, _ = clea("test", policies)
    line = text.splitlines().index("  - id: deposer_recours") + 1
    assert code == 1
    assert f"FAILED    {path}" in out
    assert f"{path}:{line}: attendu.actions[0]" in out
    assert "attendu : {id deposer_recours, echeance 2026-04-15, etat a_faire}" in out
    assert "obtenu  : {id deposer_recours, echeance 2026-04-14, etat a_faire}" in out
    assert out.splitlines()[-1] == "0 passed, 1 failed"
    path.write_text(text.replace("2026-04-15", "2026-04-14"), encoding="utf-8")
    assert clea("test", policies)[0] == 0


@pytest.mark.parametrize("expected, problem", [
    ({"statut": "refuse", "frais_total": "300"}, "attendu.frais_total: champ inconnu (champs admis ici : actions,"),
    ({"actions": [{"id": "deposer_recours", "dans_les_delai": True}]}, "attendu.actions[0].dans_les_delai: champ inconnu"),
    ({"criteres": {"accompagnement": {"satisfiat": True}}}, "attendu.criteres.accompagnement.satisfiat: champ inconnu"),
    ({"actions": [{"echeance": "2026-04-14"}]}, "attendu.actions[0]: champ obligatoire manquant : 'id'"),
    ({"actions": [{"id": "deposer_recours", "echeance": "2026-02-30"}]}, "ce jour n'existe pas dans le calendrier"),
    ({"actions": [{"id": "deposer_recours", "etat": "fait"}]}, "valeur non admise : 'fait'"),
    ({"erreur": True, "statut": "refuse"}, "'erreur' (des faits invalides : pas de verdict) ne va pas avec : statut"),
    ({}, "attendu: au moins 1 champ ; trouvé 0"),
])
def test_an_unknown_or_misshapen_expectation_is_an_error_of_the_case(policies, base_facts, expected, problem):
    path = write(policies / "certifpro" / "tests", "cas.yaml", {**refusal_case(base_facts), "attendu": expected})
    code, out, _ = clea("test", policies)
    assert code == 2, out
    assert f"MALFORMED {path}" in out and problem in out
    assert out.splitlines()[-2:] == ["1 malformed", "0 passed, 1 failed"]


def test_malformed_files(policies, base_facts):
    tests = policies / "certifpro" / "tests"
    (tests).mkdir(parents=True)
    (tests / "syntax.yaml").write_text("nom: [unclosed\n", encoding="utf-8")
    misspelt = refusal_case(base_facts)
    misspelt["atendu"] = misspelt.pop("attendu")
    write(tests, "keys.yaml", misspelt)
    write(tests, "section.yaml", {**refusal_case(base_facts), "article": "III.9"})
    code, out, _ = clea("test", policies)
    assert code == 2
    assert f"{tests / 'syntax.yaml'}:2: $: YAML invalide" in out
    assert f"{tests / 'keys.yaml'}:" in out and ": atendu: champ inconnu" in out
    assert "$: champ obligatoire manquant : 'attendu'" in out
    assert "article: section inconnue : 'III.9'" in out


def test_a_broken_policy_exits_3(policies, base_facts):
    write(policies / "certifpro" / "tests", "cas.yaml", refusal_case(base_facts))
    (policies / "certifpro" / "statuts.yaml").write_text("valeurs: [\n", encoding="utf-8")
    code, _, err = clea("test", policies)
    assert code == 3 and "statuts.yaml" in err and "clea policy validate" in err


def test_paths(policies, base_facts, tmp_path):
    path = write(policies / "certifpro" / "tests", "cas.yaml", refusal_case(base_facts))
    assert clea("test", path)[1].splitlines()[-1] == "1 passed, 0 failed"
    assert clea("test", policies / "certifpro")[1].splitlines()[-1] == "1 passed, 0 failed"
    elsewhere = write(tmp_path / "ailleurs", "cas.yaml", refusal_case(base_facts))
    assert clea("test", elsewhere.parent, "--policies", policies)[0] == 0
    code, _, err = clea("test", tmp_path / "nowhere")
    assert code == 2 and "ni fichier ni dossier de ce nom" in err
    code, _, err = clea("test", policies / "cpne-exemple")
    assert code == 2 and "aucun cas dans" in err


def test_a_pending_case_is_skipped_while_it_fails_and_fails_once_it_passes(policies, base_facts):
    tests = policies / "certifpro" / "tests"
    write(tests, "a.yaml", {**refusal_case(base_facts, statut="habilite"), "en_attente": "issue 99"})
    code, out, _ = clea("test", policies)
    assert code == 0 and "SKIPPED" in out and "(en attente : issue 99)" in out
    write(tests, "a.yaml", {**refusal_case(base_facts), "en_attente": "issue 99"})
    code, out, _ = clea("test", policies)
    assert code == 1 and "il passe : retirez `en_attente` pour qu'il compte" in out


def test_what_a_case_can_state(policies, base_facts):
    """Every key of `attendu` the format has, right, in one case that passes; then each one wrong, each reported."""
    right = {
        "statut": "refuse",
        "habilitation": None,
        "actions": [{"id": "deposer_recours", "acteur": "candidat", "nature": "faculte", "echeance": "2026-04-14",
                     "etat": "a_faire", "article": "III.7", "regle": "recours.depot",
                     "depuis": {"evenement": "decision_notifiee", "date": "2026-03-02"}}],
        "actions_absentes": ["prononcer_retrait"],
        "frais": [{"id": "frais_instruction", "montant_ht": 300, "echeance": "2026-01-12", "quantite": 1}],
        "frais_absents": ["redevance_certificats"],
        "frais_totaux": {"frais_instruction": "300", "frais_gestion_annuels": "0"},
        "constats_absents": ["refus_non_motive"],
        "criteres": {"assurance_qualite": True, "accompagnement": {"satisfait": True, "motifs": [], "source": "certifpro"}},
        "avis_propose": {"sens": "favorable", "motifs": "Critère satisfait (II)"},
        "completude": {"complet": True},
        "verdict": {"conforme": True},
    }
    tests = policies / "certifpro" / "tests"
    write(tests, "tout.yaml", refusal_case(base_facts, **right))
    code, out, _ = clea("test", policies)
    assert code == 0, out
    wrong = {
        "statut": "habilite", "habilitation": {"fin": "2029-03-01"},
        "actions": [{"id": "deposer_recours", "dans_les_delais": True}],
        "actions_absentes": ["deposer_recours"],
        "frais": [{"id": "frais_instruction", "montant_ht": "350.00"}],
        "frais_absents": ["frais_instruction"],
        "frais_totaux": {"frais_instruction": "350"},
        "constats": [{"id": "refus_non_motive"}],
        "criteres": {"assurance_qualite": False, "accompagnement": {"source": "cpne:exemple"}},
        "avis_propose": {"sens": "defavorable"},
        "completude": {"complet": False, "manquants": ["organisme.intervenants"]},
        "verdict": {"conforme": False, "motifs": "retard"},
    }
    write(tests, "tout.yaml", refusal_case(base_facts, **wrong))
    code, out, _ = clea("test", policies, "--format", "json")
    [case] = json.loads(out)["cas"]
    assert code == 1 and case["resultat"] == "failed"
    assert {gap["chemin"] for gap in case["ecarts"]} == {
        "attendu.statut", "attendu.habilitation", "attendu.actions[0]", "attendu.actions_absentes[0]",
        "attendu.frais[0]", "attendu.frais_absents[0]", "attendu.frais_totaux.frais_instruction",
        "attendu.constats[0]", "attendu.criteres.assurance_qualite", "attendu.criteres.accompagnement.source",
        "attendu.avis_propose.sens", "attendu.completude.complet", "attendu.completude.manquants[0]",
        "attendu.verdict.conforme", "attendu.verdict.motifs"}
    gaps = {gap["chemin"]: gap for gap in case["ecarts"]}
    assert gaps["attendu.frais_totaux.frais_instruction"]["obtenu"] == "300.00"
    assert gaps["attendu.constats[0]"]["obtenu"].startswith("aucun constat 'refus_non_motive' (présents : ")
    assert gaps["attendu.criteres.accompagnement.source"]["obtenu"] == "déclaré par certifpro"
    assert all(isinstance(gap["ligne"], int) for gap in case["ecarts"])


def test_an_action_fulfilled_late_and_a_finding_by_its_message(policies, base_facts):
    """A change of 1 April 2026 is declared within 30 calendar days: by 1 May (a holiday, not extended); on 5 May,
    late."""
    facts = {**base_facts, "evenements": [
        {"type": "decision_notifiee", "date": "2024-01-15", "decision": "acceptation"},
        {"type": "changement_situation", "date": "2026-04-01", "nature": "siege"},
        {"type": "changement_declare", "date": "2026-05-05", "nature": "siege"},
    ]}
    case = {"nom": "Changement déclaré en retard", "article": "III.6", "date": "2026-05-10", "faits": facts,
            "attendu": {"actions": [{"id": "declarer_changement", "echeance": "2026-05-01", "etat": "accomplie",
                                     "accomplie_le": "2026-05-05", "dans_les_delais": False}],
                        "constats": [{"id": "changement_declare_en_retard", "gravite": "manquement",
                                      "message": "accomplie le 05/05/2026"}],
                        "verdict": {"conforme": False, "motifs": ["déclaré après le délai de 30 jours"]}}}
    write(policies / "certifpro" / "tests", "tard.yaml", case)
    code, out, _ = clea("test", policies)
    assert code == 0, out
    case["attendu"]["actions"][0]["dans_les_delais"] = True
    write(policies / "certifpro" / "tests", "tard.yaml", case)
    code, out, _ = clea("test", policies)
    assert code == 1 and "obtenu  : {id declarer_changement, echeance 2026-05-01, etat accomplie, " \
                         "accomplie_le 2026-05-05, dans_les_delais false}" in out


def test_an_error_case_names_the_path(policies, base_facts):
    facts = {**base_facts, "organisme": {**base_facts["organisme"], "siren": "732829321"}}
    case = {"nom": "SIREN invalide", "article": "III.1", "date": "2026-03-10", "faits": facts,
            "attendu": {"erreur": [{"chemin": "organisme.siren", "message": "SIREN invalide"}]}}
    path = write(policies / "certifpro" / "tests", "erreur.yaml", case)
    assert clea("test", policies)[0] == 0
    case["attendu"]["erreur"] = "organisme.denomination"
    write(path.parent, path.name, case)
    code, out, _ = clea("test", policies)
    assert code == 1 and "attendu : une erreur sur organisme.denomination" in out and "SIREN invalide" in out
    case["attendu"] = {"statut": "candidat"}
    write(path.parent, path.name, case)
    code, out, _ = clea("test", policies)
    assert code == 1 and "attendu : des faits valides (un verdict)" in out and "organisme.siren" in out


def test_an_overlay_case_names_the_source_of_its_criteria(policies, base_facts):
    facts = {**base_facts, "instance": "cpne:exemple", "evenements": [{"type": "demande_deposee", "date": "2026-01-12"}]}
    facts["demande"] = {**facts["demande"], "perimetre": {"geographique": "Île-de-France",
                                                          "champ_professionnel": "commerce_detail_exemple"},
                        "contextualisation": {"referent_metier": {"designe": True, "annees_experience": 0}}}
    case = {"nom": "Référent sans expérience du commerce", "article": "CTX.1", "date": "2026-02-01", "faits": facts,
            "attendu": {"criteres": {
                "referent_metier": {"satisfait": False, "motifs": "expérience du commerce de détail",
                                    "source": "cpne_exemple"},
                "situations_professionnelles": {"satisfait": None, "source": "cpne:exemple"},
                "assurance_qualite": {"satisfait": True, "source": "certifpro"}},
                "avis_propose": {"sens": "defavorable"}}}
    write(policies / "cpne-exemple" / "tests", "ctx.yaml", case)
    code, out, _ = clea("test", policies, "--coverage", "--format", "json")
    assert code == 0, out
    report = {entry["politique"]: entry for entry in json.loads(out)["couverture"]}
    overlay = report["cpne_exemple"]
    assert overlay["cas"] == 1
    assert overlay["criteres"] == {"total": 3, "exerces": 2, "non_exerces": ["situations_professionnelles"]}
    assert overlay["regles"]["total"] == 0     # it adds no rule: the rules it runs are certifpro's
    assert overlay["sections"]["sans_cas"] == ["CTX.2", "CTX.3", "CTX.cal"]
    assert "certifpro" not in report      # only the policies whose folders hold the cases run


def test_coverage_counts_what_the_cases_exercised(policies, base_facts):
    write(policies / "certifpro" / "tests", "refus.yaml", refusal_case(base_facts))
    code, out, _ = clea("test", policies, "--coverage")
    assert code == 0
    assert "Couverture de certifpro" in out
    rules = next(line for line in out.splitlines() if line.strip().startswith("règles"))
    assert "recours.depot" not in rules and "recours.examen" in rules     # it fired / it did not
    sections = next(line for line in out.splitlines() if line.strip().startswith("sections"))
    assert "III.7" not in sections and "III.6" in sections
    parameters = next(line for line in out.splitlines() if line.strip().startswith("paramètres"))
    assert "recours.delai_depot" not in parameters and "habilitation.duree" in parameters   # no period computed
    assert out.splitlines()[-1] == "1 passed, 0 failed"


def test_a_case_can_say_nothing_else(policies, base_facts):
    """`complet: [actions, constats]`: the refusal of 2 March 2026 opens one action (the recourse, by 14 April) and
    raises no finding; a case that lists them so passes, and fails with the line of `complet` for any other item."""
    case = refusal_case(base_facts, statut="refuse", actions=[{"id": "deposer_recours", "echeance": "2026-04-14"}],
                        complet=["actions", "constats"])
    path = write(policies / "certifpro" / "tests", "complet.yaml", case)
    code, out, _ = clea("test", policies)
    assert code == 0, out
    # the same case without the action listed: the recourse is an action the case did not expect
    case["attendu"]["actions"] = []
    path = write(policies / "certifpro" / "tests", "complet.yaml", case)
    code, out, _ = clea("test", policies)
    line = path.read_text(encoding="utf-8").splitlines().index("  - actions") + 1
    assert code == 1
    assert f"{path}:{line}: attendu.complet[0]" in out
    assert "attendu : aucune autre action que celles listées (aucun)" in out
    assert "obtenu  : action en plus : {id deposer_recours, etat a_faire, echeance 2026-04-14" in out
    # a list named in `complet` and left out of `attendu`: there must be none; the filing of 12 January owes its
    # instruction fee that day
    case["attendu"] = {"statut": "refuse", "complet": ["frais"]}
    write(policies / "certifpro" / "tests", "complet.yaml", case)
    code, out, _ = clea("test", policies)
    assert code == 1 and "attendu : aucun autre frais que ceux listés (aucun)" in out
    assert "obtenu  : frais en plus : {id frais_instruction, echeance 2026-01-12, regle frais.instruction}" in out
    case["attendu"]["frais"] = [{"id": "frais_instruction", "echeance": "2026-01-12"}]
    write(policies / "certifpro" / "tests", "complet.yaml", case)
    assert clea("test", policies)[0] == 0


@pytest.mark.parametrize("complete, problem", [
    (["actions", "actions"], "attendu.complet"),
    (["statut"], "attendu.complet[0]"),
    ([], "attendu.complet"),
])
def test_complet_names_lists_only(policies, base_facts, complete, problem):
    write(policies / "certifpro" / "tests", "cas.yaml", refusal_case(base_facts, statut="refuse", complet=complete))
    code, out, _ = clea("test", policies)
    assert code != 0 and problem in out and "MALFORMED" in out
