"""The board changes a fee or a deadline by adding a dated value; facts dated before the change keep the old value.

A3: "Ces montants peuvent être modifiés chaque année sur décision du Conseil d'administration de Certif'Pro".
"""
from __future__ import annotations

import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from engine.cli import run

POLICIES = Path(__file__).resolve().parent / "fixtures" / "policies"

FEE_LINE = '      - {depuis: 2020-02-25, valeur: "300.00"}\n'
NEW_FEE = ('      - depuis: 2027-01-01\n        valeur: "350.00"\n'
           '        decision: {date: 2026-11-20, reference: "CA du 20 novembre 2026, délibération 7"}\n')
DELAY_LINE = "    valeurs: [{depuis: 2019-07-01, valeur: 20}]\n"
NEW_DELAY = "    valeurs: [{depuis: 2019-07-01, valeur: 20}, {depuis: 2027-01-01, valeur: 15}]\n"


def clea(*argv):
    out, err = io.StringIO(), io.StringIO()
    code = run([str(arg) for arg in argv], out, err)
    assert "Traceback" not in out.getvalue() + err.getvalue()
    return code, out.getvalue(), err.getvalue()


TODAY = "2026-11-27"      # the day each change is checked (`validate --date`): a value dated before it is retroactive


@pytest.fixture
def copied(tmp_path) -> Path:
    """The project's policies copied outside any git checkout (a folder works wherever it is copied)."""
    target = tmp_path / "policies"
    shutil.copytree(POLICIES, target, ignore=shutil.ignore_patterns("cpne-*", "tests"))
    return target


def validate(folder: Path, *more) -> tuple[int, str, str]:
    return clea("policy", "validate", folder, "--since", POLICIES, "--date", TODAY, *more)


def edit(folder: Path, old: str, new: str, file: str = "certifpro/parametres.yaml") -> None:
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} not found once in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def evaluate(folder: Path, tmp_path: Path, facts: dict, day: str) -> dict:
    path = tmp_path / f"facts-{day}.json"
    path.write_text(json.dumps(facts), encoding="utf-8")
    code, out, err = clea("evaluate", path, "--date", day, "--format", "json", "--policies", folder)
    assert code == 0, err
    return json.loads(out)


def test_a_new_instruction_fee_applies_to_applications_filed_from_its_date(copied, tmp_path, base_facts):
    edit(copied, FEE_LINE, FEE_LINE + NEW_FEE)

    code, out, err = validate(copied)
    assert code == 0, out + err
    assert f"historique : comparé à {POLICIES}" in out

    code, out, _ = clea("policy", "diff", POLICIES, copied)
    assert code == 0
    assert "frais.instruction [A3]" in out
    assert "à partir du 01/01/2027 : 300,00\u00a0€ HT → 350,00\u00a0€ HT (nouvelle valeur)" in out
    assert "décision du 20/11/2026, CA du 20 novembre 2026, délibération 7" in out

    code, out, _ = clea("policy", "history", "frais.instruction", "--policies", copied)
    assert code == 0
    assert out.splitlines() == [
        ("certifpro 2026.11 — frais.instruction [A3] : Frais d'instruction par demande d'habilitation (initiale ou non, "
        "acceptée ou refusée) (en € HT)"),
        "  depuis le 01/07/2019           0,00\u00a0€ HT",
        "  depuis le 25/02/2020         300,00\u00a0€ HT",
        "  depuis le 01/01/2027         350,00\u00a0€ HT  décision du 20/11/2026 (CA du 20 novembre 2026, délibération 7)"]

    base_facts["evenements"] = [{"type": "demande_deposee", "date": "2026-12-31"},
                                {"type": "demande_deposee", "date": "2027-01-04"}]
    verdict = evaluate(copied, tmp_path, base_facts, "2027-02-01")
    assert [(fee["echeance"], fee["montant_ht"]) for fee in verdict["frais"]] == \
        [("2026-12-31", "300.00"), ("2027-01-04", "350.00")]
    assert verdict["politique"]["revision"] != evaluate(POLICIES, tmp_path, base_facts, "2027-02-01")["politique"]["revision"]


def test_a_new_notification_delay_applies_to_meetings_held_from_its_date(copied, tmp_path, base_facts):
    """III.4: the delay counts from the meeting; the value in force on the meeting's date applies."""
    edit(copied, DELAY_LINE, NEW_DELAY)
    assert validate(copied)[0] == 0
    due = {}
    for meeting in ("2026-12-31", "2027-01-14"):
        base_facts["evenements"] = [{"type": "demande_deposee", "date": "2026-10-01"},
                                    {"type": "reunion_instance", "date": meeting}]
        verdict = evaluate(copied, tmp_path, base_facts, "2027-01-20")
        due[meeting] = next(a["echeance"] for a in verdict["actions"] if a["id"] == "notifier_decision")
    # 31 Dec 2026 + 20 working days (1 Jan off) = 29 Jan 2027; 14 Jan 2027 + 15 working days = 4 Feb 2027
    assert due == {"2026-12-31": "2027-01-29", "2027-01-14": "2027-02-04"}


def test_changing_a_dated_value_in_place_is_refused_with_its_line(copied):
    edit(copied, FEE_LINE, FEE_LINE.replace("300.00", "320.00"))
    code, out, err = validate(copied)
    assert code == 1
    expected = 1 + (copied / "certifpro/parametres.yaml").read_text().splitlines().index(FEE_LINE.rstrip("\n").replace("300.00", "320.00"))
    assert out.splitlines() == [
        (f"{copied / 'certifpro/parametres.yaml'}:{expected}: parametres.frais.instruction.valeurs[1].valeur: la valeur en "
        "vigueur depuis le 25/02/2020 a été modifiée (300.00 → 320.00) : elle s'applique à des faits déjà datés ; "
        "ajoutez plutôt une nouvelle valeur datée, ou marquez celle-ci comme une correction avec sa raison "
        "(correction: {motif: \"…\"})")]
    assert err == "1 problème(s) : rien n'est validé\n"


def test_the_same_amount_written_differently_is_not_a_change(copied):
    """"300.00" written again as 300 is the same value: neither a rewritten past nor a change in the diff."""
    edit(copied, FEE_LINE, FEE_LINE.replace('"300.00"', "300"))
    code, out, _ = validate(copied)
    assert code == 0, out
    code, out, _ = clea("policy", "diff", POLICIES, copied)
    assert code == 0, out
    assert "frais.instruction" not in out


def test_a_correction_with_its_reason_is_accepted(copied):
    corrected = FEE_LINE.replace('valeur: "300.00"}', 'valeur: "320.00", correction: {motif: "erreur de saisie", date: 2026-11-27}}')
    edit(copied, FEE_LINE, corrected)
    code, out, _ = validate(copied)
    assert code == 0, out
    code, out, _ = clea("policy", "diff", POLICIES, copied)
    assert code == 0, out
    assert "à partir du 25/02/2020 : 300,00\u00a0€ HT → 320,00\u00a0€ HT (valeur corrigée) — correction : erreur de saisie" in out


def test_removing_a_dated_value_is_refused_unless_a_correction_withdraws_it(copied):
    edit(copied, FEE_LINE, "")
    code, out, _ = validate(copied)
    assert code == 1 and "la valeur en vigueur depuis le 25/02/2020 (300.00) a été retirée" in out

    edit(copied, "  gestion_par_site:\n", '      - {depuis: 2020-03-01, valeur: "300.00", correction: '
         '{motif: "date d\'effet erronée", remplace: [2020-02-25]}}\n  gestion_par_site:\n')
    code, out, _ = validate(copied)
    assert code == 0, out


def test_a_value_slipped_in_before_an_existing_one_is_refused(copied):
    edit(copied, FEE_LINE, '      - {depuis: 2020-01-01, valeur: "150.00"}\n' + FEE_LINE)
    code, out, _ = validate(copied)
    assert code == 1 and "une valeur datée du 01/01/2020 est insérée avant celle du 25/02/2020" in out


CERTIFICATE_LINE = '      - {depuis: 2020-02-25, valeur: "10.00"}\n'
RETROACTIVE = ('      - depuis: 2024-01-01\n        valeur: "12.00"\n'
               '        decision: {date: 2026-11-20, reference: "CA du 20 novembre 2026"}\n')


def test_a_value_dated_before_its_decision_is_refused_unless_declared_retroactive(copied):
    """Decided on 20/11/2026 from 01/01/2024: certificate fees already owed would be repriced, with no mark."""
    edit(copied, CERTIFICATE_LINE, CERTIFICATE_LINE + RETROACTIVE)
    line = 1 + (copied / "certifpro/parametres.yaml").read_text().splitlines().index("      - depuis: 2024-01-01")
    expected = (f"{copied / 'certifpro/parametres.yaml'}:{line}: parametres.frais.redevance_certificat.valeurs[2].depuis: "
                "la valeur du 01/01/2024 a été décidée le 20/11/2026 : elle s'appliquerait rétroactivement aux faits "
                "datés depuis le 01/01/2024 (un montant déjà dû serait recalculé, un délai déjà ouvert changerait) ; "
                "datez-la au plus tôt du jour de sa décision, ou, si la rétroactivité est voulue, dites-le sur "
                "l'entrée avec sa raison : retroactif: {motif: \"…\"}")
    for options in ((), ("--no-history",)):           # a fact of the file itself: refused with or without a baseline
        code, out, _ = validate(copied, *options) if not options else clea("policy", "validate", copied, *options)
        assert code == 1 and out.splitlines() == [expected]
    edit(copied, '        decision: {date: 2026-11-20, reference: "CA du 20 novembre 2026"}\n',
         '        decision: {date: 2026-11-20, reference: "CA du 20 novembre 2026"}\n'
         '        retroactif: {motif: "régularisation des certificats 2024 décidée par le CA"}\n')
    code, out, _ = validate(copied)
    assert code == 0, out
    code, out, _ = clea("policy", "diff", POLICIES, copied)
    assert code == 0, out
    assert "rétroactive : régularisation des certificats 2024 décidée par le CA" in out


def test_a_new_value_dated_in_the_past_without_a_decision_is_refused(copied):
    edit(copied, CERTIFICATE_LINE, CERTIFICATE_LINE + '      - {depuis: 2024-01-01, valeur: "12.00"}\n')
    code, out, _ = validate(copied)
    assert code == 1 and "la valeur du 01/01/2024 est ajoutée le 27/11/2026, sans date de décision, : elle " \
        "s'appliquerait rétroactivement" in out
    code, out, _ = clea("policy", "validate", copied, "--since", POLICIES, "--date", "2023-12-01")
    assert code == 0, out      # checked before 2024: a value to come, not a retroactive one


def test_outside_a_git_checkout_the_history_check_is_skipped_with_a_note(copied):
    code, out, _ = clea("policy", "validate", copied)
    assert code == 0
    assert "note : historique non comparé : le dossier n'est pas dans un dépôt git" in out


def test_diff_says_which_overlays_inherit_a_base_change(tmp_path):
    """A base parameter's change reaches an overlay unless the overlay's own value is in force on that date."""
    copied = tmp_path / "policies"
    shutil.copytree(POLICIES, copied, ignore=shutil.ignore_patterns("tests"))
    edit(copied, FEE_LINE, FEE_LINE + NEW_FEE)
    edit(copied, DELAY_LINE, NEW_DELAY.replace("15}", "25}"))
    code, out, _ = clea("policy", "diff", POLICIES, copied)
    assert code == 0
    lines = out.splitlines()
    fee = lines.index("      à partir du 01/01/2027 : 300,00\u00a0€ HT → 350,00\u00a0€ HT (nouvelle valeur) — décision du "
                      "20/11/2026, CA du 20 novembre 2026, délibération 7")
    assert lines[fee + 1] == "        hérité par : cpne_exemple"
    delay = lines.index("      à partir du 01/01/2027 : 20 jours ouvrés → 25 jours ouvrés (nouvelle valeur)")
    assert lines[delay + 1] == "        hérité par : cpne_exemple"     # its own 15 dates from 2019: the base's 2027 wins
    code, out, _ = clea("policy", "diff", POLICIES, copied, "--format", "json")
    assert code == 0, out
    [certifpro] = [p for p in json.loads(out)["politiques"] if p["id"] == "certifpro"]
    assert [c["heritee_par"] for p in certifpro["parametres"] for c in p["valeurs_modifiees"]] == [["cpne_exemple"]] * 2
    overlay = copied / "cpne-exemple" / "parametres.yaml"
    overlay.write_text(overlay.read_text(encoding="utf-8").replace(
        "valeurs: [{depuis: 2019-07-01, valeur: 15}]", "valeurs: [{depuis: 2019-07-01, valeur: 15}, {depuis: 2027-01-01, valeur: 15}]"),
        encoding="utf-8")
    lines = clea("policy", "diff", POLICIES, copied)[1].splitlines()
    delay = lines.index("      à partir du 01/01/2027 : 20 jours ouvrés → 25 jours ouvrés (nouvelle valeur)")
    assert lines[delay + 1] == "        non hérité par cpne_exemple, qui garde sa propre valeur (15 jours ouvrés)"


def test_params_reads_as_a_person_writes_it(copied):
    code, out, _ = clea("policy", "params", "--date", "2026-11-27", "--policies", copied)
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "certifpro 2026.11 — paramètres en vigueur au 27/11/2026"
    assert any(line.split() == ["frais.instruction", "300,00", "€", "HT", "depuis", "le", "25/02/2020", "[A3]"]
               for line in lines), out
    assert any(line.split() == ["recours.delai_depot", "30", "jours", "ouvrés", "depuis", "le", "01/07/2019", "[III.7]"]
               for line in lines), out


def test_diff_reads_git_revisions(tmp_path):
    """Two commits of a repository: `clea policy diff REV` compares REV's policies with the folder on disk."""
    repo = tmp_path / "repo"
    shutil.copytree(POLICIES / "certifpro", repo / "policies" / "certifpro", ignore=shutil.ignore_patterns("tests"))
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run(git[:3] + ["init", "-q"], check=True)
    subprocess.run(git + ["add", "."], check=True)
    subprocess.run(git + ["commit", "-qm", "v1"], check=True)
    edit(repo / "policies", FEE_LINE, FEE_LINE + NEW_FEE)

    code, out, _ = clea("policy", "validate", repo / "policies", "--date", TODAY)
    assert code == 0 and "historique : comparé à HEAD" in out
    code, out, _ = clea("policy", "diff", "HEAD", "--policies", repo / "policies", "--format", "json")
    assert code == 0
    (policy,) = json.loads(out)["politiques"]
    (fee,) = policy["parametres"]
    assert (fee["id"], fee["valeurs_modifiees"][0]["depuis"], fee["valeurs_modifiees"][0]["avant"],
            fee["valeurs_modifiees"][0]["apres"]) == ("frais.instruction", "2027-01-01", "300.00", "350.00")

    subprocess.run(git + ["commit", "-qam", "v2"], check=True)
    code, out, _ = clea("policy", "diff", "HEAD~1", "HEAD:policies", "--policies", repo / "policies")
    assert code == 0 and "300,00\u00a0€ HT → 350,00\u00a0€ HT" in out
    edit(repo / "policies", FEE_LINE, FEE_LINE.replace("300.00", "999.00"))
    code, out, _ = clea("policy", "validate", repo / "policies", "--date", TODAY)
    assert code == 1 and "a été modifiée (300.00 → 999.00)" in out
    code, _, err = clea("policy", "diff", "nosuchrev", "--policies", repo / "policies")
    assert code == 2 and "'nosuchrev' n'est ni un dossier ni une révision git" in err


def test_history_of_an_unknown_parameter_is_a_clear_error():
    code, _, err = clea("policy", "history", "frais.instructon")
    assert code == 2 and "paramètre inconnu 'frais.instructon' — vouliez-vous dire 'frais.instruction' ?" in err


def test_a_revision_with_a_unit_that_is_no_name_is_compared_not_crashed(copied):
    """A revision is compared as written, before any check: a unit written as a mapping (issue 18's class of shapes
    the code did not expect, found by mutating the policy) is shown as written in the diff, and refused by validate
    with its line."""
    edit(copied, "    article: IV.1\n    unite: jours\n", "    article: IV.1\n    unite: {x: 1}\n")
    code, out, _ = clea("policy", "diff", POLICIES, copied)
    assert code == 0 and "plateforme.delai_coordonnees" in out
    code, out, _ = validate(copied)
    assert code == 1 and "certifpro/parametres.yaml:" in out and "parametres.plateforme.delai_coordonnees.unite" in out
