"""200 requests at once: every one answered, with its own dossier's verdict, and logged once."""
import asyncio

import httpx

from engine import evaluate
from engine.service.decision_log import read_decisions

from .conftest import valid_scenarios, without_id


def test_200_concurrent_requests_are_all_answered_correctly(start_server, local_policies):
    server = start_server()
    cases = valid_scenarios()
    dates = ["2026-01-20", "2026-03-10", "2026-06-30", "2027-02-01", "2030-01-15"]
    requests = [{"faits": cases[i % len(cases)]["faits"], "date": dates[i % len(dates)]} for i in range(200)]
    expected = {}
    for request in requests:
        key = (id(request["faits"]), request["date"])
        if key not in expected:
            expected[key] = evaluate(request["faits"], request["date"], policies=local_policies)

    async def send_all():
        limits = httpx.Limits(max_connections=200, max_keepalive_connections=200)
        async with httpx.AsyncClient(base_url=server.url, timeout=300, limits=limits) as client:
            return await asyncio.gather(*(client.post("/v1/evaluations", json=r) for r in requests))

    responses = asyncio.run(send_all())
    assert [r.status_code for r in responses] == [200] * 200
    for request, response in zip(requests, responses):
        assert without_id(response.json()) == expected[(id(request["faits"]), request["date"])]
    ids = [r.json()["decision_id"] for r in responses]
    assert len(set(ids)) == 200
    assert sorted(r["decision_id"] for r in read_decisions(server.log_path)) == sorted(ids)
