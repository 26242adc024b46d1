"""Dated versions of a rule (issue 19): an amendment in force from a date, chosen by the date its transitional clause
names; facts dated before keep the first text; a change that rewrites a text in force is refused.

Dates checked on the French calendar (metropole), June 2027 has no public holiday before the 14 July:
recourse Mon 7 Jun 2027 + 10 working days = Mon 21 Jun; + 25 working days = Mon 12 Jul.
"""
from __future__ import annotations

import copy
import io
import json
import shutil
from pathlib import Path

import pytest

from engine.cli import run

POLICIES = Path(__file__).resolve().parent / "fixtures" / "policies"
TODAY = "2026-12-01"
RULES = "certifpro/regles/recours.yaml"
EXAMINATION_END = """    accomplie_par: {evenement: recours_avis}
    si_en_retard: {constat: delai_instance_depasse, cas: [tardive]}
- id: recours.note_argumentee"""
AMENDMENT = """    accomplie_par: {evenement: recours_avis}
    si_en_retard: {constat: delai_instance_depasse, cas: [tardive]}
  versions:
  - depuis: 2027-03-01
    decision: {reference: "CA du 15 janvier 2027, délibération 3", date: 2027-01-15}
    selon: {dernier_evenement: demande_deposee}
    titre: L'Instance examine le recours, dans les {recours.delai_accuse_reception} suivant sa réception
    quand:
      evenement: recours_depose
      accomplit: {action: deposer_recours, dans_les_delais: true}
    action:
      id: examiner_recours
      acteur: instance
      nature: obligation
      echeance: {delai: recours.delai_accuse_reception}
      accomplie_par: {evenement: recours_avis}
      si_en_retard: {constat: delai_instance_depasse, cas: [tardive]}
- id: recours.note_argumentee"""


def clea(*argv):
    out, err = io.StringIO(), io.StringIO()
    code = run([str(arg) for arg in argv], out, err)
    assert "Traceback" not in out.getvalue() + err.getvalue()
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def copied(tmp_path) -> Path:
    target = tmp_path / "policies"
    shutil.copytree(POLICIES, target, ignore=shutil.ignore_patterns("tests"))
    return target


def edit(folder: Path, old: str, new: str, file: str = RULES) -> None:
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} not found once in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def validate(folder: Path) -> tuple[int, str, str]:
    return clea("policy", "validate", folder, "--since", POLICIES, "--date", TODAY)


def examination(folder: Path, tmp_path: Path, facts: dict, filed: str) -> dict:
    facts = copy.deepcopy(facts)
    facts["evenements"] = [
        {"type": "demande_deposee", "date": filed},
        {"type": "decision_notifiee", "date": "2027-05-31", "decision": "refus", "motifs": ["Critère II non justifié"]},
        {"type": "recours_depose", "date": "2027-06-07", "note_argumentee": True, "justificatifs": True}]
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(facts), encoding="utf-8")
    code, out, err = clea("evaluate", path, "--date", "2027-06-08", "--format", "json", "--explain",
                          "--policies", folder)
    assert code == 0, err
    verdict = json.loads(out)
    action = next(a for a in verdict["actions"] if a["id"] == "examiner_recours")
    trace = next(t for t in verdict["trace"] if t["regle"] == "recours.examen")
    return {"echeance": action["echeance"], "version": action["explication"]["regle"].get("version"),
            "texte": action["explication"]["texte"][0], "trace": trace.get("version")}


def test_an_amendment_applies_to_applications_filed_from_its_date(copied, tmp_path, base_facts):
    """Transitional clause: the version is selected by the filing date, not by the recourse's date."""
    edit(copied, EXAMINATION_END, AMENDMENT)
    code, out, err = validate(copied)
    assert code == 0, out + err
    before = examination(copied, tmp_path, base_facts, "2027-02-28")      # the day before: the first text
    on_the_day = examination(copied, tmp_path, base_facts, "2027-03-01")  # the day itself: the amendment
    assert before["echeance"] == "2027-07-12"
    assert on_the_day["echeance"] == "2027-06-21"
    assert before["version"]["numero"] == 0 and before["trace"] == before["version"]
    assert on_the_day["version"] == on_the_day["trace"] == {
        "numero": 1, "depuis": "2027-03-01", "decision": "CA du 15 janvier 2027, délibération 3",
        "texte": "version en vigueur depuis le 01/03/2027, décision : CA du 15 janvier 2027, délibération 3"}
    assert "version en vigueur depuis le 01/03/2027" in on_the_day["texte"]
    assert "texte initial, en vigueur avant le 01/03/2027" in before["texte"]


def test_by_default_the_trigger_date_selects_the_version(copied, tmp_path, base_facts):
    edit(copied, EXAMINATION_END, AMENDMENT.replace("    selon: {dernier_evenement: demande_deposee}\n", "")
         .replace("2027-03-01", "2027-06-07"))
    assert validate(copied)[0] == 0
    # the recourse of 7 Jun 2027 is the trigger: on the amendment's first day, both filings get it
    assert examination(copied, tmp_path, base_facts, "2027-02-28")["echeance"] == "2027-06-21"
    edit(copied, "depuis: 2027-06-07", "depuis: 2027-06-08")     # from the day after the recourse: the first text
    assert examination(copied, tmp_path, base_facts, "2027-02-28")["echeance"] == "2027-07-12"


def test_a_policy_without_versions_traces_no_version(tmp_path, base_facts):
    assert examination(POLICIES, tmp_path, base_facts, "2027-03-01")["trace"] is None


def test_versions_out_of_order_are_refused(copied):
    second = AMENDMENT.split("  versions:\n")[1].split("- id: recours.note_argumentee")[0]
    edit(copied, EXAMINATION_END, AMENDMENT.replace("- id: recours.note_argumentee",
                                                    second.replace("2027-03-01", "2027-02-01") +
                                                    "- id: recours.note_argumentee"))
    code, out, _ = validate(copied)
    assert code == 1
    assert "recours.yaml:" in out
    assert ("la version du 01/02/2027 de la règle 'recours.examen' n'est pas après celle du 01/03/2027" in out)


def test_a_version_decided_after_its_start_is_refused_unless_retroactive(copied):
    edit(copied, EXAMINATION_END, AMENDMENT.replace("date: 2027-01-15", "date: 2027-03-02"))
    code, out, _ = validate(copied)
    assert code == 1
    assert "a été décidée le 02/03/2027" in out and "datez-la au plus tôt du 02/03/2027" in out
    edit(copied, "    selon:", "    retroactif: {motif: \"erreur matérielle du CA\"}\n    selon:")
    assert validate(copied)[0] == 0


def test_changing_a_rule_in_place_is_refused_with_its_line(copied):
    edit(copied, "    echeance: {delai: recours.delai_examen}", "    echeance: {delai: recours.delai_accuse_reception}")
    code, out, _ = validate(copied)
    assert code == 1
    [line] = [line for line in out.splitlines() if "recours.examen" in line]
    assert "recours.yaml:" in line and "la règle 'recours.examen' a été modifiée (son effet « action »)" in line
    assert "ajoutez-lui plutôt une version datée" in line


def test_a_rule_changed_with_a_correction_is_accepted(copied):
    edit(copied, "    echeance: {delai: recours.delai_examen}", "    echeance: {delai: recours.delai_accuse_reception}")
    edit(copied, "- id: recours.examen\n", "- id: recours.examen\n  correction: {motif: \"erreur de saisie\"}\n")
    assert validate(copied)[0] == 0


def test_a_condition_typo_is_refused(copied):
    edit(copied, "quand: {evenement: decision_notifiee, si: {decision: refus}}",
         "quand: {evenement: decision_notifiee, si: {decision: refu}}")
    code, out, _ = validate(copied)
    assert code == 1 and "la règle 'recours.depot' a été modifiée (son déclencheur" in out


def test_removing_a_rule_is_refused(copied):
    text = (copied / RULES).read_text(encoding="utf-8")
    start = text.index("- id: recours.justificatifs")
    (copied / RULES).write_text(text[:start], encoding="utf-8")
    code, out, _ = validate(copied)
    assert code == 1 and "la règle 'recours.justificatifs' a été retirée" in out


def test_an_amendment_withdrawn_or_changed_once_in_the_baseline_is_refused(copied, tmp_path):
    edit(copied, EXAMINATION_END, AMENDMENT)
    baseline = tmp_path / "baseline"
    shutil.copytree(copied, baseline)
    edit(copied, "date: 2027-01-15}", "date: 2027-01-20}")
    code, out, _ = clea("policy", "validate", copied, "--since", baseline, "--date", TODAY)
    assert code == 1 and "la version du 01/03/2027 de la règle 'recours.examen' a été modifiée" in out


def test_an_overlay_giving_an_inherited_delay_a_past_value_is_refused(copied):
    """The same edit as in the base: a value from 2021, without decision nor `retroactif`."""
    overlay = copied / "cpne-exemple" / "parametres.yaml"
    text = overlay.read_text(encoding="utf-8")
    overlay.write_text(text + "recours:\n  delai_depot:\n    valeurs: [{depuis: 2021-01-01, valeur: 40}]\n",
                       encoding="utf-8")
    code, out, _ = validate(copied)
    assert code == 1, out
    assert "cpne-exemple/parametres.yaml" in out and "rétroactivement" in out


SEVERITY = "recours_incomplet:\n  article: III.7\n  gravite: information\n"
SEVERITY_AMENDED = SEVERITY + ("  versions:\n  - depuis: 2027-03-01\n    gravite: manquement\n"
                               "    decision: {reference: \"CA du 15 janvier 2027\", date: 2027-01-15}\n")


def severity(folder: Path, tmp_path: Path, facts: dict, lodged: str) -> str:
    facts = copy.deepcopy(facts)
    facts["evenements"] = [
        {"type": "demande_deposee", "date": "2027-01-04"},
        {"type": "decision_notifiee", "date": "2027-02-15", "decision": "refus", "motifs": ["Critère II non justifié"]},
        {"type": "recours_depose", "date": lodged, "note_argumentee": True, "justificatifs": False}]
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(facts), encoding="utf-8")
    code, out, err = clea("evaluate", path, "--date", "2027-03-10", "--format", "json", "--policies", folder)
    assert code == 0, err
    return next(f["gravite"] for f in json.loads(out)["constats"] if f["id"] == "recours_incomplet")


def test_a_finding_severity_amended_from_a_date(copied, tmp_path, base_facts):
    edit(copied, SEVERITY, SEVERITY_AMENDED, "certifpro/constats.yaml")
    assert validate(copied)[0] == 0
    assert severity(copied, tmp_path, base_facts, "2027-02-28") == "information"    # the day before
    assert severity(copied, tmp_path, base_facts, "2027-03-01") == "manquement"     # the day itself


def test_a_finding_severity_changed_in_place_is_refused(copied):
    edit(copied, SEVERITY, SEVERITY.replace("information", "manquement"), "certifpro/constats.yaml")
    code, out, _ = validate(copied)
    assert code == 1
    assert "constats.yaml:" in out and \
        "la gravité du constat 'recours_incomplet' a été modifiée (gravite : information → manquement)" in out


def test_the_renewal_conditions_changed_in_place_are_refused(copied):
    """statuts.yaml: `sauf_statuts: [retire]` would change 14 of 500 dossiers with every tool green (issue 19)."""
    edit(copied, "    sauf_statuts: [suspendu, retire]", "    sauf_statuts: [retire]", "certifpro/statuts.yaml")
    code, out, _ = validate(copied)
    assert code == 1
    [line] = [line for line in out.splitlines() if "statuts.yaml" in line]
    assert "la période (statuts.periode) a été modifiée (renouvellement.sauf_statuts : [suspendu, retire] → " \
           "[retire])" in line


def test_diff_describes_an_amendment_in_business_terms(copied):
    edit(copied, EXAMINATION_END, AMENDMENT.replace("      nature: obligation\n      echeance: {delai: recours.delai_accuse",
                                                    "      nature: faculte\n      echeance: {delai: recours.delai_accuse"))
    code, out, _ = clea("policy", "diff", POLICIES, copied)
    assert code == 0
    assert ("nouvelle version à partir du 01/03/2027, selon la date du dernier événement « Demande d'habilitation "
            "déposée » (à défaut, celle de l'événement déclencheur) — décision du 15/01/2027, CA du 15 janvier 2027, "
            "délibération 3") in out
    assert "        l'obligation de l'Instance devient une faculté\n" in out
    assert "        délai : 25 jours ouvrés → 10 jours ouvrés à partir du 01/03/2027\n" in out


def test_coverage_reports_the_versions_no_case_exercises(tmp_path):
    folder = tmp_path / "policies"
    shutil.copytree(POLICIES / "certifpro", folder / "certifpro")
    edit(folder, EXAMINATION_END, AMENDMENT)
    code, out, _ = clea("test", folder, "--coverage")
    assert code == 0
    assert "  versions    0/2       recours.examen@texte_initial, recours.examen@2027-03-01\n" in out


def test_a_zero_delay_and_a_negative_amount_are_refused(copied):
    params = "certifpro/parametres.yaml"
    edit(copied, "    valeurs: [{depuis: 2019-07-01, valeur: 30}]\n  delai_accuse",
         "    valeurs: [{depuis: 2019-07-01, valeur: 30}, {depuis: 2027-01-01, valeur: 0, "
         "decision: {date: 2026-11-20}}]\n  delai_accuse", params)
    edit(copied, '      - {depuis: 2020-02-25, valeur: "300.00"}\n',
         '      - {depuis: 2020-02-25, valeur: "300.00"}\n      - {depuis: 2027-01-01, valeur: "-5.00", '
         'decision: {date: 2026-11-20}}\n', params)
    code, out, _ = clea("policy", "validate", copied, "--no-history")
    assert code == 1
    assert "recours.delai_depot.valeurs[1].valeur: un délai de 0 jours_ouvres laisse zéro jour pour agir" in out
    assert "frais.instruction.valeurs[2].valeur: '-5.00' n'est pas un montant" in out
