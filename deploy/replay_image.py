"""Replay deploy/Dockerfile without Docker: its RUN lines in scratch virtual environments, then its CMD and its
HEALTHCHECK, then one evaluation over HTTP and SIGTERM.

    python deploy/replay_image.py [--keep | --scratch DIR]

The image's paths (/src, /wheels, /srv/clea) become folders of a scratch directory, `python` the Python of a
fresh virtual environment per stage (Debian's image has one Python; here each stage gets its own), `clea` the
runtime environment's script, port 8000 a free port and 0.0.0.0 the loopback. Not replayed, and said so: `useradd`
and `chown` (they need root and change the host), `--no-cache-dir` (dropped, so pip may reuse its local cache).
Exit 0 when every step worked; the first failure ends the replay with its output.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCKERFILE = ROOT / "deploy" / "Dockerfile"
IGNORED = ROOT / "deploy" / "Dockerfile.dockerignore"
IMAGE_PATHS = ("/src", "/wheels", "/srv/clea")
NOT_REPLAYED = re.compile(r"^(useradd|chown)\b")
BOUND = 180     # seconds for the service to start and answer


def instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) in order, continuation lines joined, comments left out."""
    joined = re.sub(r"\\\n", " ", "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#")))
    found = []
    for line in joined.splitlines():
        if line.strip():
            keyword, _, rest = line.strip().partition(" ")
            found.append((keyword.upper(), rest.strip()))
    return found


def ignored():
    """The names the build context leaves out (each line's last part: '**/__pycache__' leaves out every one)."""
    lines = [line.strip() for line in IGNORED.read_text(encoding="utf-8").splitlines()]
    names = [line.rsplit("/", 1)[-1] for line in lines if line and not line.startswith("#")]
    return shutil.ignore_patterns(*names)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Replay:
    def __init__(self, scratch: Path) -> None:
        self.scratch = scratch
        self.stage = -1
        self.python = ""
        self.workdir = scratch
        self.env: dict[str, str] = {}
        self.port = free_port()
        self.skipped: list[str] = []

    def path(self, text: str) -> str:
        for image_path in IMAGE_PATHS:
            text = re.sub(rf"(?<![\w/]){re.escape(image_path)}(?=/|\b|$)", str(self.scratch) + image_path, text)
        return text

    def words(self, command: list[str]) -> list[str]:
        mapped = [self.path(word) for word in command]
        runtime = self.scratch / "stage1" / "bin"
        if mapped and mapped[0] == "python":
            mapped[0] = self.python
        elif mapped and mapped[0] == "clea":
            mapped[0] = str(runtime / "clea")
        mapped = ["127.0.0.1" if word == "0.0.0.0" else word for word in mapped]
        return [str(self.port) if word == "8000" else word.replace(":8000/", f":{self.port}/") for word in mapped]

    def from_(self, _arguments: str) -> None:
        self.stage += 1
        venv = self.scratch / f"stage{self.stage}"
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        self.python = str(venv / "bin" / "python")
        self.workdir = self.scratch

    def workdir_(self, arguments: str) -> None:
        self.workdir = Path(self.path(arguments))
        self.workdir.mkdir(parents=True, exist_ok=True)

    def copy(self, arguments: str) -> None:
        parts = [part for part in shlex.split(arguments) if not part.startswith("--chown")]
        if parts[0].startswith("--from="):
            return          # the build stage's folders are the runtime's here: the same scratch directory
        *sources, target = parts
        destination = Path(self.path(target)) if target.startswith("/") else self.workdir / target
        for source in sources:
            origin = ROOT / source
            if source in (".", "./"):
                shutil.copytree(ROOT, destination, dirs_exist_ok=True, ignore=ignored())
            elif origin.is_dir():
                shutil.copytree(origin, destination if target.endswith("/") and len(sources) == 1 else
                                destination / origin.name, dirs_exist_ok=True)
            else:
                destination.mkdir(parents=True, exist_ok=True)
                shutil.copy2(origin, destination / origin.name)

    def run(self, arguments: str) -> None:
        kept = []
        for command in re.split(r"\s*&&\s*", arguments):
            if NOT_REPLAYED.match(command):
                self.skipped.append(command)
            else:
                kept.append(" ".join(shlex.quote(word) for word in self.words(shlex.split(command.replace(
                    "--no-cache-dir ", "")))))
        if kept:
            print(f"RUN {' && '.join(kept)}", flush=True)
            subprocess.run(" && ".join(kept), shell=True, check=True, cwd=self.workdir, env=self.environment())

    def env_(self, arguments: str) -> None:
        for pair in shlex.split(arguments):
            key, _, value = pair.partition("=")
            self.env[key] = self.path(value)

    def environment(self) -> dict[str, str]:
        return {**os.environ, **self.env, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}

    def serve(self, cmd: list[str], healthcheck: list[str]) -> None:
        """The CMD, with the repository's policies where the image expects them mounted; then the health check,
        one evaluation, SIGTERM."""
        env = {**self.environment(), "CLEA_POLICIES": str(ROOT / "policies")}
        command = self.words(cmd)
        print(f"CMD {shlex.join(command)}", flush=True)
        process = subprocess.Popen(command, cwd=self.workdir, env=env)
        try:
            deadline = time.monotonic() + BOUND
            while subprocess.run(self.words(healthcheck), check=False, env=env).returncode != 0:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"the HEALTHCHECK never passed (service exit status {process.poll()})")
                time.sleep(1)
            print("HEALTHCHECK passed", flush=True)
            import yaml

            facts = yaml.safe_load((ROOT / "examples" / "habilite-renouvele-frais.yaml").read_text(encoding="utf-8"))
            body = json.dumps({"faits": facts, "date": "2026-11-27"}, default=str).encode()
            request = urllib.request.Request(f"http://127.0.0.1:{self.port}/v1/evaluations", data=body,
                                             headers={"content-type": "application/json"})
            with urllib.request.urlopen(request, timeout=60) as answer:
                decision = json.load(answer)
            print(f"POST /v1/evaluations: {decision['politique']['id']} {decision['decision_id']}", flush=True)
        finally:
            process.send_signal(signal.SIGTERM)
            code = process.wait(timeout=BOUND)
        if code != 0:
            raise SystemExit(f"the service exited with {code} on SIGTERM")
        print("SIGTERM: exit 0", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory")
    parser.add_argument("--scratch", type=Path, help="replay in this new folder and keep it (the runtime stage's "
                        "environment is its stage1/: tests/test_wheel.py works from it)")
    args = parser.parse_args(argv)
    if args.scratch:
        args.scratch.mkdir(parents=True)
    scratch = args.scratch.resolve() if args.scratch else Path(tempfile.mkdtemp(prefix="clea-image-"))
    replay = Replay(scratch)
    cmd: list[str] = []
    healthcheck: list[str] = []
    try:
        for keyword, arguments in instructions(DOCKERFILE.read_text(encoding="utf-8")):
            if keyword == "FROM":
                replay.from_(arguments)
            elif keyword == "WORKDIR":
                replay.workdir_(arguments)
            elif keyword == "COPY":
                replay.copy(arguments)
            elif keyword == "RUN":
                replay.run(arguments)
            elif keyword == "ENV":
                replay.env_(arguments)
            elif keyword == "CMD":
                cmd = json.loads(arguments)
            elif keyword == "HEALTHCHECK":
                healthcheck = json.loads(arguments.partition("CMD")[2])
            else:
                replay.skipped.append(f"{keyword} {arguments}")
        replay.serve(cmd, healthcheck)
    except subprocess.CalledProcessError as exc:
        print(f"replay_image: a RUN line failed ({exc.returncode})", file=sys.stderr)
        return 1
    finally:
        if not (args.keep or args.scratch):
            shutil.rmtree(scratch, ignore_errors=True)
    print("not replayed: " + "; ".join(replay.skipped))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
