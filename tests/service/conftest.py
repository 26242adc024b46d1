"""A real `clea serve` process per test module (or per test, when it must be alone), on a free loopback port."""
from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import local_http
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
POLICIES = ROOT / "tests" / "fixtures" / "policies"   # frozen on purpose (tests/fixtures/README.md)
SCENARIOS = sorted((POLICIES / "certifpro" / "tests").glob("p*.yaml"))
RELOAD_TOKEN = "jeton-de-test"
JOURNAL_TOKEN = "jeton-du-journal-de-test"      # a secret of its own (issue 23): not the reload's
ACCOUNT_PASSWORD = "un mot de passe de test"     # every test account's (issue 25)
# identifier: (name, roles, policies) — the accounts of accounts_file()
TEST_ACCOUNTS = {
    "instructeur": ("Inès Instructrice", ("instruction",), ()),
    "lecteur": ("Léo Lecteur", ("lecture",), ()),
    "secretaire": ("Sacha Secrétaire", ("proposition",), ("certifpro",)),
    "approbateur": ("Paule Approbatrice", ("approbation",), ()),
    "officier_cpne": ("Oscar Officier", ("proposition",), ("cpne_exemple",)),     # its overlay only
    "presidente": ("Prune Présidente", ("proposition", "approbation"), ("certifpro",)),  # never approves her own
}
_RUNNING = re.compile(r"le service écoute sur (http://127\.0\.0\.1:\d+)")


def scenario(name_prefix: str) -> dict:
    """A scenario of the frozen policy's cases as plain JSON data (nom, date, faits, attendu)."""
    [path] = [p for p in SCENARIOS if p.name.startswith(name_prefix)]
    return json.loads(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8")), default=str))


def _clea_command() -> list[str]:
    """The `clea` of this virtual environment (CLEA_TEST_COMMAND may name another one, e.g. an installed build)."""
    if os.environ.get("CLEA_TEST_COMMAND"):
        return os.environ["CLEA_TEST_COMMAND"].split()
    script = Path(sys.executable).parent / "clea"
    return [str(script)] if script.exists() else [sys.executable, "-m", "engine.cli"]


class Server:
    """A `clea serve` we started: its URL, its files, and a way to stop it."""

    def __init__(self, workdir: Path, policies: Path, extra_args=(), env=None):
        self.workdir = workdir
        self.policies = policies
        self.log_path = workdir / "decisions.sqlite3"
        self.stderr_path = workdir / "serve.stderr"
        # nothing of the shell's own service settings leaks in: the tokens are the tests', no proxy is trusted
        environment = {**os.environ, "CLEA_RELOAD_TOKEN": RELOAD_TOKEN, "CLEA_JOURNAL_TOKEN": JOURNAL_TOKEN,
                       "CLEA_TRUSTED_PROXIES": "", "CLEA_ACCOUNTS": "", **(env or {})}
        command = [*_clea_command(), "serve", "--host", "127.0.0.1", "--port", "0", "--policies", str(policies),
                   "--log", str(self.log_path), "--no-access-log", *extra_args]
        with open(self.stderr_path, "wb") as stderr:
            self.process = subprocess.Popen(command, cwd=workdir, env=environment, stdout=subprocess.DEVNULL,
                                            stderr=stderr)
        self.url = self._wait_for_url()

    def _wait_for_url(self) -> str:
        # not a timing assertion: a generous bound so a server that never starts fails the test instead of hanging
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            match = _RUNNING.search(self.stderr())
            if match:
                return match.group(1)
            if self.process.poll() is not None:
                raise RuntimeError(f"clea serve exited with {self.process.returncode}:\n{self.stderr()}")
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"clea serve did not start:\n{self.stderr()}")

    def stderr(self) -> str:
        return self.stderr_path.read_text(encoding="utf-8", errors="replace")

    def client(self, **kwargs) -> httpx.Client:
        return local_http.client(base_url=self.url, timeout=120, **kwargs)

    def signal(self, signum) -> None:
        self.process.send_signal(signum)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def copy_policies(destination: Path) -> Path:
    """A copy of the (frozen) policies to change: a policy folder works wherever it is copied."""
    target = destination / "policies"
    shutil.copytree(POLICIES, target)
    return target


@pytest.fixture
def start_server(tmp_path):
    """start_server(policies=None, *args, env=None) -> Server; every server started is stopped after the test."""
    servers: list[Server] = []

    def start(policies: Path | None = None, *args, env=None) -> Server:
        workdir = tmp_path / f"server{len(servers)}"
        workdir.mkdir()
        server = Server(workdir, policies or POLICIES, args, env)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """One server shared by a module's tests that do not change its state."""
    workdir = tmp_path_factory.mktemp("server")
    started = Server(workdir, POLICIES, ("--max-body", "64K"))
    yield started
    started.stop()


@pytest.fixture(scope="session")
def local_policies():
    """The project's policies, loaded in the test process: verdicts to compare the service's answers with."""
    from engine import load_policies

    return load_policies(POLICIES)


def form_token(client: httpx.Client, page: str = "/evaluer") -> dict:
    """The anti-forgery field of a page's forms (issue 23); the client keeps the cookie that goes with it."""
    found = re.search(r'name="jeton_formulaire" value="([^"]+)"', client.get(page, headers={"accept": "text/html"}).text)
    assert found, f"no anti-forgery field on {page}"
    return {"jeton_formulaire": found.group(1)}


def accounts_file(folder: Path, accounts: dict | None = None, password: str = ACCOUNT_PASSWORD) -> Path:
    """An accounts file (comptes.yaml) in ``folder`` with TEST_ACCOUNTS (or ``accounts``), hashed cheaply: the real
    parameters are the file's own, read from each hash, so a test's hash checks fast and the same way."""
    from argon2 import PasswordHasher

    from engine.service.account_file import Entry, write_accounts
    from engine.service.accounts import Account

    cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    path = folder / "comptes.yaml"
    write_accounts(path, {identifier: Entry(Account(identifier, name, frozenset(roles), frozenset(policies)),
                                            cheap.hash(password))
                          for identifier, (name, roles, policies) in (accounts or TEST_ACCOUNTS).items()})
    return path


def sign_in(client: httpx.Client, identifier: str, password: str = ACCOUNT_PASSWORD, suite: str = "/"):
    """Sign in on /connexion (the client keeps the session's cookie); the answer (303 when it worked)."""
    return client.post("/connexion", data={"identifiant": identifier, "mot_de_passe": password, "suite": suite,
                                           **form_token(client, "/connexion")})


def without_id(decision: dict) -> dict:
    return {key: value for key, value in decision.items() if key != "decision_id"}


def valid_scenarios() -> list[dict]:
    """The scenarios whose facts are valid and that the policy handles (not `en_attente`)."""
    cases = (scenario(p.name[:3]) for p in SCENARIOS)
    return [s for s in cases if not s["attendu"].get("erreur") and not s.get("en_attente")]


@pytest.fixture(scope="session")
def postgresql_server():
    """A temporary PostgreSQL cluster on 127.0.0.1 for the session (skipped only where PostgreSQL is absent)."""
    from .postgresql import TemporaryPostgres, binaries

    pytest.importorskip("psycopg", reason="the 'postgresql' extra (psycopg 3) is not installed")
    bindir = binaries()
    if bindir is None:
        pytest.skip("PostgreSQL is not installed (no initdb): apt-get install postgresql (.ci/run does)")
    server = TemporaryPostgres(bindir)
    yield server
    server.stop()


@pytest.fixture
def postgresql_url(postgresql_server, request):
    """A fresh database of the temporary cluster, for one test."""
    name = "t_" + re.sub(r"[^a-z0-9]+", "_", request.node.name.lower())[:50] + f"_{os.getpid()}_{time.monotonic_ns()}"
    return postgresql_server.create_database(name[:63])
