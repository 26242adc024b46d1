"""Reloading policies: a valid change appears in new verdicts; a broken one is refused and the old set serves."""
import asyncio
import re
import signal
import time

import httpx

from .conftest import RELOAD_TOKEN, copy_policies, scenario

AUTH = {"authorization": f"Bearer {RELOAD_TOKEN}"}


def lengthen_recourse_delay(policies):
    """The board lengthens the recourse delay from 30 to 40 working days, for refusals notified from 2026, as it
    decided on 1 December 2025: a new dated value, no code."""
    path = policies / "certifpro" / "parametres.yaml"
    text = path.read_text(encoding="utf-8")
    changed = re.sub(r"(delai_depot:.*?valeurs: \[\{depuis: 2019-07-01, valeur: 30\})",
                     r"\g<1>, {depuis: 2026-01-01, valeur: 40, decision: {date: 2025-12-01}}", text, count=1, flags=re.DOTALL)
    assert changed != text
    path.write_text(changed, encoding="utf-8")


def verdict(client, case) -> dict:
    response = client.post("/v1/evaluations", json={"faits": case["faits"], "date": case["date"]})
    assert response.status_code == 200, response.text
    return response.json()


def recourse_due(decision) -> str:
    [action] = [a for a in decision["actions"] if a["id"] == "deposer_recours"]
    return action["echeance"]


def test_a_valid_change_is_served_after_reload_and_a_broken_one_is_refused(start_server, tmp_path):
    policies = copy_policies(tmp_path)
    server = start_server(policies)
    case = scenario("p01")
    with server.client() as client:
        old = verdict(client, case)
        lengthen_recourse_delay(policies)
        assert verdict(client, case)["politique"] == old["politique"], "nothing changes before a reload"

        response = client.post("/v1/policies/reload", headers=AUTH)
        assert response.status_code == 200, response.text
        new = verdict(client, case)
        assert new["politique"]["revision"] != old["politique"]["revision"]
        assert [p["revision"] for p in response.json()["politiques"] if p["id"] == "certifpro"] == \
            [new["politique"]["revision"]]
        assert recourse_due(new) > recourse_due(old) == case["attendu"]["actions"][0]["echeance"]

        (policies / "certifpro" / "politique.yaml").write_text("id: [certifpro\n", encoding="utf-8")
        refused = client.post("/v1/policies/reload", headers=AUTH)
        assert refused.status_code == 409
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert any("politique.yaml" in (error.get("fichier") or "") for error in refused.json()["erreurs"])
        assert verdict(client, case) | {"decision_id": None} == new | {"decision_id": None}
        health = client.get("/v1/health").json()
    assert health["statut"] == "degrade"
    assert health["dernier_rechargement"]["reussi"] is False and health["dernier_rechargement"]["erreurs"]
    assert "previous policies keep serving" in server.stderr()


def test_sighup_reloads(start_server, tmp_path):
    policies = copy_policies(tmp_path)
    server = start_server(policies)
    case = scenario("p01")
    with server.client() as client:
        old = verdict(client, case)
        lengthen_recourse_delay(policies)
        server.signal(signal.SIGHUP)
        deadline = time.monotonic() + 120  # a bound against hanging, not a timing assertion
        while client.get("/v1/health").json()["dernier_rechargement"]["le"] is None:
            assert time.monotonic() < deadline, "SIGHUP was not handled"
            time.sleep(0.05)
        new = verdict(client, case)
    assert new["politique"]["revision"] != old["politique"]["revision"]
    assert recourse_due(new) > recourse_due(old)


def test_a_request_in_flight_finishes_on_the_version_it_started_with(start_server, tmp_path):
    policies = copy_policies(tmp_path)
    server = start_server(policies, "--max-body", "8M", "--max-batch", "150")
    case = scenario("p01")
    batch = [{"faits": case["faits"], "date": case["date"]}] * 150

    async def race():
        async with httpx.AsyncClient(base_url=server.url, timeout=120) as client:
            lengthen_recourse_delay(policies)
            return await asyncio.gather(*(client.post("/v1/evaluations/batch", json=batch) for _ in range(3)),
                                        client.post("/v1/policies/reload", headers=AUTH))

    *batches, reload = asyncio.run(race())
    assert reload.status_code == 200
    for response in batches:
        assert response.status_code == 200
        revisions = {decision["politique"]["revision"] for decision in response.json()}
        dues = {recourse_due(decision) for decision in response.json()}
        assert len(revisions) == 1 and len(dues) == 1, "one request, one policy version"
