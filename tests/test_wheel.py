"""The wheel is the product: built from this tree, installed into a fresh virtual environment (no system packages,
no source tree on its path), it evaluates, validates, runs its cases, serves and answers the Python API from an empty
folder, with the policies, schemas and examples it carries.

One build and one environment for the whole module: deploy/Dockerfile replayed (deploy/replay_image.py), whose build
stage makes the wheels and whose runtime stage is a fresh environment with only them installed. Skipped only when building is
impossible here (no venv/ensurepip, or pip cannot get setuptools or the dependencies), unless
CLEA_WHEEL_TEST=required (CI, .ci/run) where that is a failure.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from engine import evaluate, load_policies

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = "habilite-renouvele-frais"
DAY = "2026-11-27"
pytestmark = pytest.mark.wheel


def _impossible(why: str) -> None:
    if os.environ.get("CLEA_WHEEL_TEST") == "required":
        pytest.fail(f"wheel test required but {why}")
    pytest.skip(why)


def _run(command: list, cwd: Path, env: dict | None = None, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([str(part) for part in command], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout, check=False)


class Installed:
    """The fresh environment and an empty folder to work from."""

    def __init__(self, venv: Path, work: Path):
        self.bin = venv / "bin"
        self.work = work
        self.env = {key: value for key, value in os.environ.items()
                    if key not in ("CLEA_POLICIES", "CLEA_LOG", "PYTHONPATH", "VIRTUAL_ENV")}

    def run(self, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
        return _run([self.bin / args[0], *args[1:]], self.work, {**self.env, **(env or {})})

    def python(self, code: str) -> subprocess.CompletedProcess:
        return self.run("python", "-c", code)

    def shipped(self, name: str) -> Path:
        found = self.python(f"from engine.shipped import shipped; print(shipped({name!r}))")
        assert found.returncode == 0, found.stderr
        return Path(found.stdout.strip())


class Replayed:
    """deploy/replay_image.py's run of the Dockerfile, kept: what it printed, and its runtime stage (stage1/, a fresh
    virtual environment into which only the wheels the build stage made were installed)."""

    def __init__(self, scratch: Path, done: subprocess.CompletedProcess):
        self.scratch = scratch
        self.done = done


@pytest.fixture(scope="module")
def replayed(tmp_path_factory) -> Replayed:
    base = tmp_path_factory.mktemp("wheel")
    started = time.monotonic()
    done = _run([sys.executable, ROOT / "deploy" / "replay_image.py", "--scratch", base / "image"], base,
                timeout=1800)
    if done.returncode and re.search(r"No module named (venv|ensurepip)|Could not find a version", done.stdout +
                                     done.stderr):
        _impossible(f"the wheel cannot be built or installed here: {done.stderr[-2000:]}")
    print(f"\nimage replayed (wheel built and installed) in {time.monotonic() - started:.1f} s")
    return Replayed(base / "image", done)


@pytest.fixture(scope="module")
def installed(replayed) -> Installed:
    """The image's runtime environment (the wheel built from a copy of this tree, without its build/ folder, and
    its dependencies), used from an empty folder."""
    assert replayed.done.returncode == 0, replayed.done.stdout[-3000:] + replayed.done.stderr[-3000:]
    work = replayed.scratch.parent / "empty"
    work.mkdir()
    return Installed(replayed.scratch / "stage1", work)


def test_the_image_definition_replays(replayed):
    """deploy/Dockerfile's RUN lines, its CMD and its HEALTHCHECK, one evaluation and SIGTERM (deploy/replay_image.py:
    Docker itself is not run here)."""
    done = replayed.done
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "HEALTHCHECK passed" in done.stdout and "SIGTERM: exit 0" in done.stdout
    assert "not replayed: useradd" in done.stdout
    assert not (replayed.scratch / "wheels").exists()      # the RUN line's `rm -rf /wheels` ran


def test_the_environment_is_fresh_and_the_data_is_inside_the_package(installed):
    config = (installed.bin.parent / "pyvenv.cfg").read_text(encoding="utf-8")
    assert "include-system-site-packages = false" in config
    found = installed.python("import engine, sys; print(engine.__file__); print(sys.path)")
    assert found.returncode == 0, found.stderr
    assert str(ROOT) not in found.stdout
    for name in ("policies", "schemas", "examples"):
        folder = installed.shipped(name)
        assert folder.is_dir() and folder.parts[-3:] == ("engine", "_shipped", name)
        assert str(installed.bin.parent) in str(folder)
    assert (installed.shipped("policies") / "certifpro" / "politique.yaml").is_file()


def test_clea_evaluate_on_an_example_gives_the_source_trees_verdict(installed):
    example = installed.shipped("examples") / f"{EXAMPLE}.yaml"
    shutil.copy(example, installed.work / "exemple.yaml")
    done = installed.run("clea", "evaluate", "exemple.yaml", "--date", DAY, "--format", "json")
    assert done.returncode == 0, done.stderr
    from engine.evaluation import parse_facts_text
    facts = parse_facts_text((ROOT / "examples" / f"{EXAMPLE}.yaml").read_text(encoding="utf-8"), "exemple.yaml")
    assert json.loads(done.stdout) == json.loads(json.dumps(evaluate(facts, DAY, policies=load_policies(
        ROOT / "policies"))))
    (installed.work / "exemple.yaml").unlink()


def test_clea_policy_validate_checks_the_shipped_policies(installed):
    done = installed.run("clea", "policy", "validate")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "ok : certifpro" in done.stdout and "ok : cpne_exemple" in done.stdout


def test_clea_test_runs_the_shipped_cases(installed):
    done = installed.run("clea", "test")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr
    cases = len(list((ROOT / "policies").glob("*/tests/*.yaml")))
    assert done.stdout.strip().splitlines()[-1] == f"{cases} passed, 0 failed"


def test_clea_version_names_each_shipped_policy(installed):
    done = installed.run("clea", "--version")
    assert done.returncode == 0, done.stderr
    revisions = {policy.id: policy.revision for policy in load_policies(ROOT / "policies")}
    assert done.stdout.splitlines()[0] == "clea 0.1.0"
    for policy_id, revision in revisions.items():
        assert any(line.startswith(f"politique {policy_id} ") and line.endswith(f"({revision})")
                   for line in done.stdout.splitlines()), done.stdout


def test_clea_policies_still_overrides(installed):
    done = installed.run("clea", "--version", env={"CLEA_POLICIES": str(installed.work / "nulle-part")})
    assert done.returncode == 0 and "Traceback" not in done.stderr
    assert "nulle-part" in done.stdout and "introuvable" in done.stdout


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_clea_serve_answers_an_evaluation_over_http(installed):
    port = _free_port()
    server = subprocess.Popen([str(installed.bin / "clea"), "serve", "--port", str(port), "--no-access-log",
                               "--log", "decisions.sqlite3"], cwd=installed.work, env=installed.env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/health", timeout=2) as answer:
                    break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, server.stdout and server.stdout.read()
                time.sleep(0.2)
        facts = json.loads(json.dumps(__import__("yaml").safe_load(
            (ROOT / "examples" / f"{EXAMPLE}.yaml").read_text(encoding="utf-8"))))
        request = urllib.request.Request(f"http://127.0.0.1:{port}/v1/evaluations", method="POST",
                                         data=json.dumps({"faits": facts, "date": DAY}).encode(),
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as answer:
            assert answer.status == 200
            verdict = json.loads(answer.read())
        expected = evaluate(facts, DAY, policies=load_policies(ROOT / "policies"))
        assert verdict["statut"] == expected["statut"]
        assert verdict["decision_id"]
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert (installed.work / "decisions.sqlite3").is_file()


def test_the_python_api_loads_the_shipped_policies(installed):
    code = ("import yaml; from engine import load_policies, evaluate; from engine.shipped import shipped; "
            f"facts = yaml.safe_load(open(shipped('examples') / '{EXAMPLE}.yaml', encoding='utf-8')); "
            "policies = load_policies(); "
            f"print(evaluate(facts, '{DAY}', policies=policies)['statut']); "
            "print(policies.for_instance('certifpro').parameters_at('2026-03-10') is not None)")
    done = installed.python(code)
    assert done.returncode == 0, done.stderr
    facts = __import__("yaml").safe_load((ROOT / "examples" / f"{EXAMPLE}.yaml").read_text(encoding="utf-8"))
    assert done.stdout.split() == [str(evaluate(facts, DAY, policies=load_policies(ROOT / "policies"))["statut"]),
                                   "True"]
