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


@pytest.fixture
def copied(tmp_path) -> Path:
    """The project's policies (and the facts schema they name), copied outside any git checkout."""
    shutil.copytree(POLICIES.parent.parent.parent / "schemas", tmp_path / "schemas")
    target = tmp_path / "policies"
    shutil.copytree(POLICIES, target, ignore=shutil.ignore_patterns("cpne-*"))
    return target


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

    code, out, err = clea("policy", "validate", copied, "--since", POLICIES)
    assert code == 0, out + err
    assert "history: checked against" in out

    code, out, _ = clea("policy", "diff", POLICIES, copied)
    assert code == 0
    assert "frais.instruction [A3]" in out
    assert "à partir du 01/01/2027 : 300.00 EUR_HT → 350.00 EUR_HT (nouvelle valeur)" in out
    assert "décision du 20/11/2026, CA du 20 novembre 2026, délibération 7" in out

    code, out, _ = clea("policy", "history", "frais.instruction", "--policies", copied)
    assert code == 0
    assert out.splitlines()[-1].split()[:4] == ["depuis", "le", "2027-01-01", "350.00"]

    base_facts["evenements"] = [{"type": "demande_deposee", "date": "2026-12-31"},
                                {"type": "demande_deposee", "date": "2027-01-04"}]
    verdict = evaluate(copied, tmp_path, base_facts, "2027-02-01")
    assert [(fee["echeance"], fee["montant_ht"]) for fee in verdict["frais"]] == \
        [("2026-12-31", "300.00"), ("2027-01-04", "350.00")]
    assert verdict["politique"]["revision"] != evaluate(POLICIES, tmp_path, base_facts, "2027-02-01")["politique"]["revision"]


def test_a_new_notification_delay_applies_to_meetings_held_from_its_date(copied, tmp_path, base_facts):
    """III.4: the delay counts from the meeting; the value in force on the meeting's date applies."""
    edit(copied, DELAY_LINE, NEW_DELAY)
    assert clea("policy", "validate", copied, "--since", POLICIES)[0] == 0
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
    code, out, err = clea("policy", "validate", copied, "--since", POLICIES)
    assert code == 1
    line = next(text for text in out.splitlines() if "was changed" in text)
    expected = 1 + (copied / "certifpro/parametres.yaml").read_text().splitlines().index(FEE_LINE.rstrip("\n").replace("300.00", "320.00"))
    assert line.startswith(f"{copied / 'certifpro/parametres.yaml'}:{expected}: parametres.frais.instruction.valeurs[1].valeur:")
    assert "from 2020-02-25 was changed (300.00 → 320.00)" in line
    assert "1 problem(s)" in err


def test_a_correction_with_its_reason_is_accepted(copied):
    corrected = FEE_LINE.replace('valeur: "300.00"}', 'valeur: "320.00", correction: {motif: "erreur de saisie", date: 2026-11-27}}')
    edit(copied, FEE_LINE, corrected)
    code, out, _ = clea("policy", "validate", copied, "--since", POLICIES)
    assert code == 0, out
    code, out, _ = clea("policy", "diff", POLICIES, copied)
    assert "à partir du 25/02/2020 : 300.00 EUR_HT → 320.00 EUR_HT (valeur corrigée) — correction : erreur de saisie" in out


def test_removing_a_dated_value_is_refused_unless_a_correction_withdraws_it(copied):
    edit(copied, FEE_LINE, "")
    code, out, _ = clea("policy", "validate", copied, "--since", POLICIES)
    assert code == 1 and "the value in force from 2020-02-25 (300.00) was removed" in out

    edit(copied, "  gestion_par_site:\n", '      - {depuis: 2020-03-01, valeur: "300.00", correction: '
         '{motif: "date d\'effet erronée", remplace: [2020-02-25]}}\n  gestion_par_site:\n')
    code, out, _ = clea("policy", "validate", copied, "--since", POLICIES)
    assert code == 0, out


def test_a_value_slipped_in_before_an_existing_one_is_refused(copied):
    edit(copied, FEE_LINE, '      - {depuis: 2020-01-01, valeur: "150.00"}\n' + FEE_LINE)
    code, out, _ = clea("policy", "validate", copied, "--since", POLICIES)
    assert code == 1 and "a value dated 2020-01-01 is inserted before the one of 2020-02-25" in out


def test_outside_a_git_checkout_the_history_check_is_skipped_with_a_note(copied):
    code, out, _ = clea("policy", "validate", copied)
    assert code == 0
    assert "note: history check skipped: not in a git checkout" in out


def test_diff_reads_git_revisions(tmp_path):
    """Two commits of a repository: `clea policy diff REV` compares REV's policies with the folder on disk."""
    repo = tmp_path / "repo"
    shutil.copytree(POLICIES / "certifpro", repo / "policies" / "certifpro")
    shutil.copytree(POLICIES.parent.parent.parent / "schemas", repo / "schemas")
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run(git[:3] + ["init", "-q"], check=True)
    subprocess.run(git + ["add", "."], check=True)
    subprocess.run(git + ["commit", "-qm", "v1"], check=True)
    edit(repo / "policies", FEE_LINE, FEE_LINE + NEW_FEE)

    code, out, _ = clea("policy", "validate", repo / "policies")
    assert code == 0 and "history: checked against HEAD" in out
    code, out, _ = clea("policy", "diff", "HEAD", "--policies", repo / "policies", "--format", "json")
    assert code == 0
    (policy,) = json.loads(out)["politiques"]
    (fee,) = policy["parametres"]
    assert (fee["id"], fee["valeurs_modifiees"][0]["avant"], fee["valeurs_modifiees"][0]["apres"]) == \
        ("frais.instruction", "300.00", "350.00")

    subprocess.run(git + ["commit", "-qam", "v2"], check=True)
    code, out, _ = clea("policy", "diff", "HEAD~1", "HEAD:policies", "--policies", repo / "policies")
    assert code == 0 and "300.00 EUR_HT → 350.00 EUR_HT" in out
    edit(repo / "policies", FEE_LINE, FEE_LINE.replace("300.00", "999.00"))
    code, out, _ = clea("policy", "validate", repo / "policies")
    assert code == 1 and "was changed (300.00 → 999.00)" in out
    code, _, err = clea("policy", "diff", "nosuchrev", "--policies", repo / "policies")
    assert code == 2 and "'nosuchrev' is neither a folder nor a git revision" in err


def test_history_of_an_unknown_parameter_is_a_clear_error():
    code, _, err = clea("policy", "history", "frais.inconnu")
    assert code == 2 and "no parameter 'frais.inconnu' (known: " in err
