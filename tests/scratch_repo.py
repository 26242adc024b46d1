"""What the tests of dated versions and publications share: the `clea` command run in-process, git in a scratch
repository, and a repository holding a copy of policies, committed then published (the baseline the history check
compares with: engine/policy/versions/publications.py)."""
from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

from engine.cli import run

DECISION = "CA du 20 novembre 2026"


def clea(*argv) -> tuple[int, str, str]:
    """Exit code, standard output and error of `clea ARGV…`; no traceback ever reaches them."""
    out, err = io.StringIO(), io.StringIO()
    code = run([str(arg) for arg in argv], out, err)
    assert "Traceback" not in out.getvalue() + err.getvalue()
    return code, out.getvalue(), err.getvalue()


def git(root: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
                          check=True, capture_output=True)
    return done.stdout.decode()


def published_repository(tmp_path: Path, source: Path, day: str, *, into: str = "policies") -> Path:
    """A scratch repository whose folder `into` is a copy of `source` (without its cases), committed, published on
    `day` and the publication committed: its root."""
    root = tmp_path / "repo"
    shutil.copytree(source, root / into, ignore=shutil.ignore_patterns("tests"))
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-qm", "v1")
    code, _, err = clea("policy", "publish", root / "policies", "--decision", DECISION, "--date", day)
    assert code == 0, err
    git(root, "add", ".")
    git(root, "commit", "-qm", "publication")
    return root
