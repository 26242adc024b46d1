"""Latency of each web page of `clea serve` (the pages people open), one request at a time, as one person uses it.

    python -m bench.pages [--requests 200] [--url http://127.0.0.1:8000 --token JETON]

Starts `clea serve` on a free port of 127.0.0.1 with a git repository of the project's policies and a board change
committed on top (decision log in a temporary folder,
no access log), evaluates the examples once so the journal has decisions, warms each page up, then requests each
page `--requests` times in turn and prints p50, p99 and max per page. The target is p99 ≤ 200 ms per page on this
machine; it is printed, never asserted. Changements compares the policies folder's previous commit with the folder
on disk (git reads the first time; the commit's content is kept after); its POST evaluates 100 generated dossiers
under both versions (the impact of the change), as of 2032-12-31: a batch, measured 10 times, with no page target.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import ROOT, clea_command, percentile, print_table
from bench.generate import dossiers
from bench.http_load import free_port, wait_until_up

TARGET_MS = 200
DOSSIERS = "".join(json.dumps(facts, ensure_ascii=False) + "\n" for facts in dossiers(100, seed=7)).encode()
TOKEN = "jeton-du-banc-d-essai"
EXAMPLE = ROOT / "examples" / "mise-en-demeure.yaml"
PAGES = [
    ("Accueil", "GET", "/"),
    ("Politiques", "GET", "/politiques"),
    ("Paramètres (aujourd'hui)", "GET", "/politiques/certifpro/parametres"),
    ("Paramètres (une date)", "GET", "/politiques/certifpro/parametres?date=2020-01-15"),
    ("Historique d'un paramètre", "GET", "/politiques/certifpro/parametres/frais.instruction"),
    ("Règlement", "GET", "/politiques/certifpro/reglement"),
    ("Changements", "GET", "/changements"),
    ("Changements (effet, 100 dossiers)", "POST", "/changements"),
    ("Évaluer (formulaire)", "GET", "/evaluer?exemple=mise-en-demeure"),
    ("Évaluer (verdict)", "POST", "/evaluer"),
    ("Décisions (journal)", "GET", "/decisions"),
    ("Décisions (recherche SIREN)", "GET", "/decisions?siren=732829320&statut=suspendu"),
    ("Décision (verdict journalisé)", "GET", "/decisions/{decision}"),
    ("Feuille de style", "GET", "/statique/clea.css"),
]


def _form_token(client, page: str) -> dict:
    """The anti-forgery field of a page's form (engine/service/forgery.py): the client keeps its cookie."""
    found = re.search(r'name="jeton_formulaire" value="([^"]+)"', client.get(page).text)
    return {"jeton_formulaire": found.group(1)} if found else {}


def _request(client, method: str, path: str):
    if method == "POST" and path == "/changements":
        return client.post(path, files={"fichier": ("dossiers.jsonl", DOSSIERS, "application/json")},
                           data={"avant": "HEAD~1", "apres": "disque", "date": "2032-12-31",
                                 **_form_token(client, path)})
    if method == "POST":
        return client.post(path, files={"fichier": (EXAMPLE.name, EXAMPLE.read_bytes(), "application/yaml")},
                           data={"date": "2026-11-27", **_form_token(client, path)})
    return client.get(path)


def board_change_repository(root: Path) -> Path:
    """A git repository of the project's policies, then a board change committed on top (the instruction fee at
    350 € HT from 2027-01-01): what Changements compares and what its impact evaluates."""
    shutil.copytree(ROOT / "policies", root / "policies")
    shutil.copytree(ROOT / "schemas", root / "schemas")
    git = ["git", "-C", str(root), "-c", "user.name=bench", "-c", "user.email=bench@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "policies"], check=True)
    parameters = root / "policies" / "certifpro" / "parametres.yaml"
    anchor = '      - {depuis: 2020-02-25, valeur: "300.00"}\n'
    parameters.write_text(parameters.read_text(encoding="utf-8").replace(
        anchor, anchor + '      - {depuis: 2027-01-01, valeur: "350.00"}\n', 1), encoding="utf-8")
    subprocess.run([*git, "commit", "-qam", "instruction fee 350"], check=True)
    return root / "policies"


def measure(url: str, token: str, requests: int) -> list[tuple]:
    import httpx

    headers = {"authorization": f"Bearer {token}", "accept": "text/html"}
    with httpx.Client(base_url=url, headers=headers, timeout=60.0) as client:
        verdict = _request(client, "POST", "/evaluer")
        decision = verdict.text.split('href="/decisions/', 1)[1].split('"', 1)[0]
        rows = []
        for name, method, path in PAGES:
            path = path.format(decision=decision)
            for _ in range(5):                                    # warm-up: templates compiled, git read once
                _request(client, method, path)
            batch = path == "/changements" and method == "POST"    # a batch of dossiers, not a page to read
            latencies, statuses = [], set()
            for _ in range(min(requests, 10) if batch else requests):
                begin = time.perf_counter()
                response = _request(client, method, path)
                latencies.append(time.perf_counter() - begin)
                statuses.add(response.status_code)
            p99 = percentile(latencies, 0.99) * 1e3
            rows.append((name, f"{method} {path}"[:60], ",".join(map(str, sorted(statuses))),
                         f"{percentile(latencies, 0.5) * 1e3:.1f}", f"{p99:.1f}", f"{max(latencies) * 1e3:.1f}",
                         "(un lot)" if batch else "oui" if p99 <= TARGET_MS else "NON"))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200, help="requests per page (default 200)")
    parser.add_argument("--url", help="an already running service (default: start one)")
    parser.add_argument("--token", default=TOKEN, help="its CLEA_JOURNAL_TOKEN, to read the journal (with --url)")
    args = parser.parse_args(argv)
    try:
        import httpx  # noqa: F401
    except ImportError:
        print("bench.pages needs httpx: pip install -e '.[test]'", file=sys.stderr)
        return 2
    process = None
    folder = tempfile.TemporaryDirectory()
    url = args.url
    try:
        if url is None:
            port = free_port()
            url = f"http://127.0.0.1:{port}"
            policies = board_change_repository(Path(folder.name) / "depot")
            command = [*clea_command(), "serve", "--host", "127.0.0.1", "--port", str(port), "--no-access-log",
                       "--policies", str(policies), "--log", str(Path(folder.name) / "decisions.sqlite3")]
            process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                                       env={**os.environ, "CLEA_JOURNAL_TOKEN": args.token, "PYTHONUNBUFFERED": "1"})
            print(f"$ CLEA_JOURNAL_TOKEN=… {' '.join(command)}")
        wait_until_up(url, process)
        rows = measure(url, args.token, args.requests)
    except RuntimeError as exc:
        print(f"bench.pages: {exc}", file=sys.stderr)
        return 1
    finally:
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        folder.cleanup()
    print_table(f"Pages web, une requête à la fois, {args.requests} par page (cible : p99 ≤ {TARGET_MS} ms)", rows,
                ("page", "requête", "statuts", "p50 ms", "p99 ms", "max ms", "p99 ≤ cible"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
