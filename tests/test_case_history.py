"""A case of the published revision deleted or put `en_attente` (issue 19): refused through validate, `clea test`,
the service's start and its reload unless the case file says why (`retire: {motif}`, `suspendu: {motif}`); `policy
diff` shows it. Each edit is written in a scratch git repository, published first."""
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
CASES = ("p01-recours-apres-refus.yaml", "p07-frais-dates-d-effet.yaml")


def clea(*argv) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run([str(arg) for arg in argv], out, err)
    assert "Traceback" not in out.getvalue() + err.getvalue()
    return code, out.getvalue(), err.getvalue()


def git(root: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
                          check=True, capture_output=True)
    return done.stdout.decode()


@pytest.fixture
def repo(tmp_path) -> Path:
    """A scratch repository: the base policy with two cases, committed and published."""
    root = tmp_path / "repo"
    shutil.copytree(POLICIES / "certifpro", root / "policies" / "certifpro", ignore=shutil.ignore_patterns("tests"))
    (root / "policies" / "certifpro" / "tests").mkdir()
    for name in CASES:
        shutil.copy(POLICIES / "certifpro" / "tests" / name, root / "policies" / "certifpro" / "tests")
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-qm", "v1")
    code, _, err = clea("policy", "publish", root / "policies", "--decision", "CA du 20 novembre 2026", "--date", TODAY)
    assert code == 0, err
    git(root, "add", ".")
    git(root, "commit", "-qm", "publication")
    return root


def case(repo: Path, name: str = CASES[0]) -> Path:
    return repo / "policies" / "certifpro" / "tests" / name


def refused_everywhere(repo: Path, text: str) -> None:
    """Refused by validate, by `clea test`, at the service's start and at its reload (the set in service kept)."""
    code, out, _ = clea("policy", "validate", repo / "policies", "--date", TODAY)
    assert code == 1 and text in out, out
    code, out, err = clea("test", repo / "policies")
    assert code == 3 and text in err, err
    with pytest.raises(PolicyError) as at_start:
        load_checked(repo / "policies")
    assert any(text in issue.message for issue in at_start.value.issues)


def test_a_published_case_deleted_is_refused_even_committed(repo):
    in_service = load_checked(repo / "policies")
    case(repo).unlink()
    git(repo, "commit", "-qam", "cas supprimé")
    refused_everywhere(repo, "le cas tests/p01-recours-apres-refus.yaml (« ")
    with pytest.raises(PolicyError) as at_reload:
        load_checked(repo / "policies", in_service)
    [issue] = [i for i in at_reload.value.issues if "a été supprimé" in i.message]
    assert issue.file.endswith("certifpro/tests/p01-recours-apres-refus.yaml")
    assert "retire: {motif: \"…\"}" in issue.message
    code, out, _ = clea("policy", "diff", "HEAD~1", "--policies", repo / "policies")
    assert code == 0
    assert "  Cas\n    - supprimé tests/p01-recours-apres-refus.yaml — " in out and "— sans motif" in out


def test_a_case_withdrawn_with_its_motif_is_accepted_not_run_then_may_go(repo):
    path = case(repo)
    path.write_text(path.read_text(encoding="utf-8") + "retire: {motif: \"le recours est désormais testé en p09\"}\n",
                    encoding="utf-8")
    code, out, _ = clea("policy", "validate", repo / "policies", "--date", TODAY)
    assert code == 0, out
    code, out, _ = clea("test", repo / "policies")
    assert code == 0, out
    assert "SKIPPED   " in out and "(retiré : le recours est désormais testé en p09)" in out
    code, out, _ = clea("policy", "diff", "HEAD", "--policies", repo / "policies")
    assert code == 0, out
    assert "    - retiré tests/p01-recours-apres-refus.yaml — " in out
    assert "— motif : le recours est désormais testé en p09" in out
    git(repo, "commit", "-qam", "cas retiré")
    code, _, err = clea("policy", "publish", repo / "policies", "--decision", "CA du 27 novembre 2026", "--date", TODAY)
    assert code == 0, err
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "publication")
    path.unlink()                               # withdrawn in the published revision: its file may go now
    code, out, _ = clea("policy", "validate", repo / "policies", "--date", TODAY)
    assert code == 0, out


def test_a_published_case_put_en_attente_is_refused_unless_suspended_with_a_motif(repo):
    path = case(repo)
    path.write_text("en_attente: à revoir\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    git(repo, "commit", "-qam", "cas mis en attente")
    refused_everywhere(repo, "est mis en attente : il passait à la publication")
    code, out, _ = clea("policy", "validate", repo / "policies", "--date", TODAY)
    assert code == 1, out
    [line] = [line for line in out.splitlines() if "mis en attente" in line]
    assert line.startswith(f"{path}:1: en_attente: le cas tests/p01-recours-apres-refus.yaml")
    assert line.endswith("suspendu: {motif: \"…\"}")
    path.write_text("suspendu: {motif: \"la décision du 20/11 change l'avis ; le cas sera réécrit\"}\n"
                    + path.read_text(encoding="utf-8"), encoding="utf-8")
    code, out, _ = clea("policy", "validate", repo / "policies", "--date", TODAY)
    assert code == 0, out
    code, out, _ = clea("policy", "diff", "HEAD~1", "--policies", repo / "policies")
    assert code == 0, out
    assert ("    ~ mis en attente tests/p01-recours-apres-refus.yaml — " in out and "(en attente : à revoir) — motif : "
            "la décision du 20/11 change l'avis ; le cas sera réécrit" in out)


def test_a_new_case_en_attente_and_a_case_added_need_nothing(repo):
    shutil.copy(POLICIES / "certifpro" / "tests" / "p03-renouvellement-automatique.yaml", case(repo).parent)
    pending = case(repo, "p03-renouvellement-automatique.yaml")
    pending.write_text("en_attente: pas encore encodé\n" + pending.read_text(encoding="utf-8"), encoding="utf-8")
    code, out, _ = clea("policy", "validate", repo / "policies", "--date", TODAY)
    assert code == 0, out
    code, out, _ = clea("policy", "diff", "HEAD", "--policies", repo / "policies")
    assert code == 0, out
    assert "    + ajouté tests/p03-renouvellement-automatique.yaml — " in out
