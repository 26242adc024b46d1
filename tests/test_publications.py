"""The published baseline (issue 19): `clea policy publish` records the committed revision of each policy; validate,
`clea test` and the service's start compare with it, so committing first or restarting no longer escapes."""
from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest

from engine.cli import run
from engine.errors import PolicyError
from engine.service.app import load_checked

POLICIES = Path(__file__).resolve().parent / "fixtures" / "policies"
TODAY = "2026-11-27"
FEE_LINE = '      - {depuis: 2020-02-25, valeur: "300.00"}\n'
REWRITTEN = FEE_LINE.replace("300.00", "320.00")


def clea(*argv):
    out, err = io.StringIO(), io.StringIO()
    code = run([str(arg) for arg in argv], out, err)
    assert "Traceback" not in out.getvalue() + err.getvalue()
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def repo(tmp_path):
    """A scratch git repository holding the base policy, committed and published."""
    root = tmp_path / "repo"
    shutil.copytree(POLICIES / "certifpro", root / "policies" / "certifpro", ignore=shutil.ignore_patterns("tests"))
    cases = root / "policies" / "certifpro" / "tests"
    cases.mkdir()
    shutil.copy(POLICIES / "certifpro" / "tests" / "p07-frais-dates-d-effet.yaml", cases)
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-qm", "v1")
    code, out, err = clea("policy", "publish", root / "policies", "--decision", "CA du 20 novembre 2026",
                          "--date", TODAY)
    assert code == 0, err
    assert "publiée : certifpro" in out
    git(root, "add", ".")
    git(root, "commit", "-qm", "publication")
    return root


def git(root: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
                          check=True, capture_output=True)
    return done.stdout.decode()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_the_journal_names_the_commit_revision_and_decision(repo):
    journal = (repo / "policies" / "certifpro" / "publications.yaml").read_text(encoding="utf-8")
    assert "decision: \"CA du 20 novembre 2026\"" in journal and "revision: \"sha256:" in journal
    code, out, _ = clea("policy", "validate", repo / "policies", "--date", TODAY)
    assert code == 0, out
    assert "historique : certifpro comparé à sa publication du 27/11/2026 (CA du 20 novembre 2026" in out


def test_commit_then_validate_still_sees_the_rewritten_value(repo):
    edit(repo / "policies" / "certifpro" / "parametres.yaml", FEE_LINE, REWRITTEN)
    git(repo, "commit", "-qam", "prix corrigé")
    code, out, _ = clea("policy", "validate", repo / "policies", "--date", TODAY)
    assert code == 1
    assert "parametres.yaml:" in out and "a été modifiée (300.00 → 320.00)" in out
    code, out, err = clea("test", repo / "policies")
    assert code != 0 and "a été modifiée (300.00 → 320.00)" in out + err


def test_restarting_the_service_does_not_serve_a_rewritten_past(repo):
    edit(repo / "policies" / "certifpro" / "parametres.yaml", FEE_LINE, REWRITTEN)
    git(repo, "commit", "-qam", "prix corrigé")
    with pytest.raises(PolicyError) as refused:
        load_checked(repo / "policies")                  # what the service loads at start (no set in service)
    assert any("300.00 → 320.00" in issue.message for issue in refused.value.issues)


def test_rewriting_the_journal_is_refused_unless_it_adds_a_publication(repo):
    journal = repo / "policies" / "certifpro" / "publications.yaml"
    edit(journal, "CA du 20 novembre 2026", "CA du 21 novembre 2026")
    code, out, _ = clea("policy", "validate", repo / "policies", "--date", TODAY)
    assert code == 1 and "publications.yaml:1: publications: le journal des publications a été réécrit" in out
    edit(journal, "CA du 21 novembre 2026", "CA du 20 novembre 2026")
    journal.write_text(journal.read_text(encoding="utf-8") + "- commit: \"" + "0" * 40 + "\"\n  revision: \"sha256:x\"\n"
                       "  date: \"2026-11-28\"\n  decision: \"CA du 28 novembre 2026\"\n", encoding="utf-8")
    code, out, _ = clea("policy", "validate", repo / "policies", "--date", TODAY)
    assert code == 1 and "que le dépôt ne connaît pas" in out


def test_publishing_uncommitted_changes_is_refused(repo):
    edit(repo / "policies" / "certifpro" / "parametres.yaml", FEE_LINE,
         FEE_LINE + '      - {depuis: 2027-01-01, valeur: "350.00", decision: {date: 2026-11-20}}\n')
    code, _, err = clea("policy", "publish", repo / "policies", "--decision", "CA du 20 novembre 2026",
                        "--date", TODAY)
    assert code == 1 and "certifpro a des changements non committés" in err
    git(repo, "commit", "-qam", "nouveau tarif")
    code, _out, err = clea("policy", "publish", repo / "policies", "--decision", "CA du 20 novembre 2026",
                          "--date", TODAY)
    assert code == 0, err
    assert len((repo / "policies" / "certifpro" / "publications.yaml").read_text().split("- commit:")) == 3


def test_a_reload_refuses_a_rewritten_journal(repo):
    """On reload the set in service keeps serving (the service answers 409): the journal is checked too."""
    in_service = load_checked(repo / "policies")
    journal = repo / "policies" / "certifpro" / "publications.yaml"
    edit(journal, "CA du 20 novembre 2026", "CA du 21 novembre 2026")
    git(repo, "commit", "-qam", "journal réécrit")
    journal.write_text("[]\n", encoding="utf-8")          # an emptied journal, not committed
    with pytest.raises(PolicyError) as refused:
        load_checked(repo / "policies", in_service)
    assert any("le journal des publications a été réécrit" in issue.message for issue in refused.value.issues)


def test_a_rewritten_journal_committed_is_still_refused(repo):
    journal = repo / "policies" / "certifpro" / "publications.yaml"
    edit(journal, "CA du 20 novembre 2026", "CA du 21 novembre 2026")
    git(repo, "commit", "-qam", "journal réécrit puis committé")
    code, out, _ = clea("policy", "validate", repo / "policies", "--date", TODAY)
    assert code == 1 and "le journal des publications a été réécrit" in out
