"""The deployment files of deploy/ run as written, as far as this machine can run them: the systemd unit's command
line (and `systemd-analyze verify` when present), and the Dockerfile's RUN, CMD and HEALTHCHECK lines replayed in
scratch virtual environments by deploy/replay_image.py. Docker itself, nginx and the compose file are not run here."""
from __future__ import annotations

import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import local_http

from .conftest import _RUNNING, POLICIES, ROOT, _clea_command

UNIT = ROOT / "deploy" / "clea-rules.service"
BOUND = 120


def unit_settings() -> tuple[list[str], dict[str, str], list[str]]:
    """The unit's ExecStart words, its Environment= values and its ExecReload words."""
    text = UNIT.read_text(encoding="utf-8")
    [start] = re.findall(r"^ExecStart=(.+)$", text, re.MULTILINE)
    [reload] = re.findall(r"^ExecReload=(.+)$", text, re.MULTILINE)
    env = dict(line.split("=", 1) for line in re.findall(r"^Environment=(.+)$", text, re.MULTILINE))
    return shlex.split(start), env, shlex.split(reload)


def test_the_systemd_unit_verifies_and_its_command_line_serves(tmp_path):
    start, env, reload = unit_settings()
    assert start[0] == "/opt/clea-rules/venv/bin/clea" and start[1] == "serve"
    if shutil.which("systemd-analyze"):
        local = tmp_path / UNIT.name
        local.write_text(UNIT.read_text(encoding="utf-8").replace(start[0], str(Path(sys.executable).parent / "clea")),
                         encoding="utf-8")
        verified = subprocess.run(["systemd-analyze", "verify", str(local)], capture_output=True, text=True,
                                  timeout=BOUND, check=False)
        assert verified.returncode == 0, verified.stderr
    # the same command line, with this environment's `clea`, a free port, the test policies and a log here
    command = [*_clea_command(), *["0" if word == "8000" else word for word in start[1:]]]
    environment = {**os.environ, **env, "CLEA_POLICIES": str(POLICIES), "CLEA_LOG": str(tmp_path / "d.sqlite3")}
    stderr = tmp_path / "stderr"
    with open(stderr, "wb") as sink:
        process = subprocess.Popen(command, env=environment, stderr=sink, stdout=subprocess.DEVNULL, cwd=tmp_path)
    try:
        deadline = time.monotonic() + BOUND
        while not (found := _RUNNING.search(stderr.read_text())):
            assert process.poll() is None and time.monotonic() < deadline, stderr.read_text()
            time.sleep(0.1)
        url = found.group(1)
        deadline = time.monotonic() + BOUND
        while True:     # --workers auto: as many workers as cores, all up
            state = local_http.get(f"{url}/v1/health", timeout=60).json()
            if state["statut"] == "ok" and len(state["travailleurs"]) == len(os.sched_getaffinity(0)):
                break
            assert time.monotonic() < deadline, state
            time.sleep(0.2)
        assert reload == ["/bin/kill", "-HUP", "$MAINPID"]
        process.send_signal(signal.SIGHUP)      # systemctl reload
        deadline = time.monotonic() + BOUND
        while not all(worker["dernier_rechargement"]["le"] for worker in
                      local_http.get(f"{url}/v1/health", timeout=60).json()["travailleurs"]):
            assert time.monotonic() < deadline
            time.sleep(0.2)
    finally:
        process.send_signal(signal.SIGTERM)     # systemctl stop (KillMode=mixed: the parent first)
        code = process.wait(timeout=BOUND)
    assert code == 0, stderr.read_text()
