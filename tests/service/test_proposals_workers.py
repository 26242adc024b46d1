"""An approved proposal reaches every worker of `clea serve --workers 2`: the proposals live in a folder the workers
share (beside the log by default), and a publication reloads them all."""
from __future__ import annotations

import re

import httpx
import local_http

from .conftest import Server
from .proposal_setup import DECISION, PASSWORD, board_accounts, scratch_repository


def _client(server: Server, identifier: str) -> httpx.Client:
    client = local_http.client(base_url=server.url, headers={"accept": "text/html"}, timeout=120)
    answer = client.post("/connexion", data={"identifiant": identifier, "mot_de_passe": PASSWORD, "suite": "/",
                                             **_token(client, "/connexion")})
    assert answer.status_code == 303, answer.text
    return client


def _token(client: httpx.Client, page: str) -> dict:
    return {"jeton_formulaire": re.search(r'name="jeton_formulaire" value="([^"]+)"', client.get(page).text).group(1)}


def test_a_publication_reloads_every_worker(tmp_path):
    policies = scratch_repository(tmp_path)
    server = Server(tmp_path, policies, extra_args=("--workers", "2", "--accounts", str(board_accounts(tmp_path))))
    try:
        marie, paul = _client(server, "marie"), _client(server, "paul")
        form = "/politiques/certifpro/parametres/recours.delai_depot/proposer"
        made = marie.post(form, data={"nature": "nouvelle_valeur", "valeur": "25", "depuis": "2027-01-01",
                                      "decision_reference": DECISION, "decision_date": "2026-11-20",
                                      **_token(marie, form)})
        assert made.status_code == 303, made.text
        assert (tmp_path / "clea-propositions" / "1" / "proposition.json").is_file()     # beside the log
        before = {p["id"]: p["revision"] for p in local_http.get(f"{server.url}/v1/policies").json()["politiques"]}
        address = made.headers["location"]
        assert paul.post(f"{address}/approuver", data=_token(paul, address)).status_code == 303
        workers = local_http.get(f"{server.url}/v1/health", timeout=60).json()["travailleurs"]
        assert len(workers) == 2
        for worker in workers:
            served = {p["id"]: p["revision"] for p in worker["politiques"]}
            assert served["certifpro"] != before["certifpro"], worker
    finally:
        server.stop()
