"""Each command block of the README runs as written, and what it writes is in .gitignore.

The README's ```sh blocks run in order, in one bash session (set -euo pipefail), from a scratch folder that holds
copies of examples/, policies/ and bench/ and this tree's .venv: an `export` or a server started with `&` in one block
serves the next ones, as for a reader who types them one after the other. What the harness changes, and only that:
  - the set-up prefix `python3 -m venv .venv && .venv/bin/pip install … &&` is left out (the environment the tests
    run in is that set-up; .ci/run runs it as written, from scratch);
  - port 8000 becomes a free loopback port (other servers may hold 8000 here), and after a block that starts
    `clea serve … &` it waits until /v1/health answers.
A block the README marks `<!-- not run by tests/test_readme_commands.py: why -->` (the line before it) is skipped:
the README says why there.
"""
from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
NOT_RUN = re.compile(r"<!-- not run by tests/test_readme_commands\.py: (.+?) -->")
SETUP = re.compile(r"^python3 -m venv \.venv && \.venv/bin/pip install [^&\n]*(&& |$)", re.MULTILINE)
NEVER_HERE = re.compile(r"-m venv|pip install")     # the set-up left in a block would rebuild this tree's .venv
COPIED = ("examples", "policies", "bench")


def fences(text: str) -> list[tuple[int, str, list[str]]]:
    """(line of the opening fence, its language, the lines inside) of each fenced block; AssertionError when a
    fence never closes."""
    blocks, lines, opened = [], text.splitlines(), None
    for number, line in enumerate(lines, start=1):
        if line.startswith("```"):
            if opened is None:
                opened = (number, line[3:].strip())
            else:
                assert line.strip() == "```", f"README.md:{number}: a fence opens inside the block of line {opened[0]}"
                blocks.append((opened[0], opened[1], lines[opened[0]:number - 1]))
                opened = None
    assert opened is None, f"README.md:{opened[0]}: this code block never closes"
    return blocks


def shell_blocks() -> tuple[list[tuple[int, list[str]]], list[tuple[int, str]]]:
    """(the sh blocks to run, the ones the README says cannot run here and why)."""
    lines = README.read_text(encoding="utf-8").splitlines()
    run, skipped = [], []
    for number, language, body in fences("\n".join(lines)):
        if language not in ("sh", "bash"):
            continue
        marked = NOT_RUN.search(lines[number - 2]) if number >= 2 else None
        if marked:
            skipped.append((number, marked.group(1)))
        else:
            run.append((number, body))
    return run, skipped


def test_every_code_block_of_the_readme_closes():
    blocks = fences(README.read_text(encoding="utf-8"))
    headings = [line for _, _, body in blocks for line in body if line.startswith("## ")]
    assert blocks and not headings, headings


def test_a_block_that_cannot_run_says_why():
    run, skipped = shell_blocks()
    assert run
    assert all(len(why) > 20 for _, why in skipped), skipped


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _script(blocks: list[tuple[int, list[str]]], port: int) -> str:
    out = ["set -euo pipefail", "trap 'kill $(jobs -p) 2>/dev/null || true' EXIT"]
    for number, body in blocks:
        out.append(f"echo '>>> README.md:{number}' >&2")
        text = "\n".join(body)
        text = SETUP.sub("", text).replace(":8000", f":{port}").replace("--port 8000", f"--port {port}")
        assert not NEVER_HERE.search(text), f"README.md:{number}: a set-up this harness does not know: {text}"
        out.append(text)
        if re.search(r"clea serve .*&\s*$", text, re.MULTILINE):
            out.append(f"for _ in $(seq 300); do curl -sf http://127.0.0.1:{port}/v1/health >/dev/null && break; "
                       "sleep 0.2; done")
    return "\n".join(out) + "\n"


def test_each_shell_block_of_the_readme_runs_as_written(tmp_path):
    if shutil.which("curl") is None:
        pytest.skip("curl is not installed")
    work = tmp_path / "lecteur"
    work.mkdir()
    for name in COPIED:
        shutil.copytree(ROOT / name, work / name, ignore=shutil.ignore_patterns("__pycache__"))
    (work / ".venv").symlink_to(ROOT / ".venv")
    before = {path.relative_to(work) for path in work.rglob("*")}
    run, _ = shell_blocks()
    env = {key: value for key, value in os.environ.items() if not key.startswith("CLEA_")}
    done = subprocess.run(["bash", "-c", _script(run, _free_port())], cwd=work, env=env, capture_output=True,
                          text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-4000:]
    assert "Traceback" not in done.stderr
    # the curls answered (curl -s exits 0 on an HTTP error): a verdict, the parameters, a reload; no problem document
    assert '"decision_id"' in done.stdout and "frais.instruction" in done.stdout
    assert not re.search(r'"status":\s*[45]\d\d', done.stdout), done.stdout[-3000:]
    # what the blocks wrote is there, and the project's .gitignore keeps it out of a commit
    made = sorted(str(path) for path in ({path.relative_to(work) for path in work.rglob("*")} - before)
                  if (work / path).is_file())
    assert {"echeances.ics", "dossier.html", "decisions.sqlite3", "decisions.jsonl", "dossiers.jsonl",
            "verdicts.jsonl"} <= set(made), made
    assert "BEGIN:VCALENDAR" in (work / "echeances.ics").read_text(encoding="utf-8")
    assert (work / "decisions.jsonl").read_text(encoding="utf-8").count("\n") >= 1
    assert len((work / "verdicts.jsonl").read_text(encoding="utf-8").splitlines()) == 1000
    ignored = subprocess.run(["git", "check-ignore", "--no-index", *made], cwd=ROOT, capture_output=True, text=True, check=False)
    assert sorted(ignored.stdout.split()) == made, f"not in .gitignore: {set(made) - set(ignored.stdout.split())}"


def test_the_main_job_runs_as_written(tmp_path):
    first = fences(README.read_text(encoding="utf-8"))[0][2]
    line = next(line for line in first if "clea evaluate" in line)
    work = tmp_path / "lecteur"
    work.mkdir()
    shutil.copytree(ROOT / "examples", work / "examples")
    (work / ".venv").symlink_to(ROOT / ".venv")
    command = SETUP.sub("", line)
    assert not NEVER_HERE.search(command), command
    done = subprocess.run(["bash", "-euo", "pipefail", "-c", command], cwd=work, capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Situation du dossier au 27/11/2026\n")
