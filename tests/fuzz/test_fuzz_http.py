"""Fuzzing the HTTP service: Schemathesis generates requests from /openapi.json (valid and invalid ones) for every
operation, and hypothesis posts mutated real dossiers; every answer is documented, never a 5xx, never a hang."""
from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable

from .conftest import examples
from .strategies import FIXTURES, json_text, mutated_facts

schemathesis = pytest.importorskip("schemathesis")
pytest.importorskip("uvicorn")

from schemathesis import GenerationMode  # noqa: E402
from schemathesis.specs.openapi.checks import positive_data_acceptance  # noqa: E402

# A request that follows the schema may still be refused: a SIREN's check digit, a day that does not exist in
# the calendar, a deadline outside the policy's years cannot be said in JSON Schema. The rest of Schemathesis'
# checks apply, with 413 among the refusals (a batch past its item limit is "too large", as documented).
REFUSALS = [400, 401, 403, 404, 405, 406, 408, 409, 413, 415, 422]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("fuzz-server")
    stderr_path = workdir / "serve.stderr"
    command = [str(Path(sys.executable).parent / "clea"), "serve", "--host", "127.0.0.1", "--port", "0",
               "--policies", str(FIXTURES), "--log", str(workdir / "log.sqlite3"), "--no-access-log"]
    with open(stderr_path, "wb") as stderr:
        process = subprocess.Popen(command, cwd=workdir, stdout=subprocess.DEVNULL, stderr=stderr,
                                   env={**os.environ, "CLEA_RELOAD_TOKEN": "jeton-fuzz"})
    deadline = time.monotonic() + 120
    while not (match := re.search(r"le service écoute sur (http://127\.0\.0\.1:\d+)", stderr_path.read_text())):
        assert process.poll() is None and time.monotonic() < deadline, stderr_path.read_text()
        time.sleep(0.05)
    yield match.group(1)
    process.send_signal(signal.SIGTERM)
    process.wait(60)
    assert "Traceback" not in stderr_path.read_text(), stderr_path.read_text()


def _operations(url: str):
    config = schemathesis.Config.from_dict({"checks": {"negative_data_rejection": {"expected-statuses": REFUSALS}}})
    schema = schemathesis.openapi.from_url(f"{url}/openapi.json", config=config)
    return [result.ok() for result in schema.get_all_operations()]


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=["valid", "invalid"])
def test_every_operation_answers_as_documented_never_5xx(server, mode):
    operations = _operations(server)
    assert {op.path for op in operations} >= {"/v1/evaluations", "/v1/evaluations/batch", "/v1/health"}
    exercised = set()
    for operation in operations:
        @settings(max_examples=examples(25))
        @given(case=operation.as_strategy(generation_mode=mode))
        def check(case):
            response = case.call(base_url=server, timeout=60)
            assert response.status_code < 500, response.text
            case.validate_response(response, excluded_checks=[positive_data_acceptance])

        try:
            check()
        except Unsatisfiable:
            assert mode is GenerationMode.NEGATIVE, operation.path   # nothing to get wrong in GET /v1/health
            continue
        exercised.add(operation.path)
    assert {"/v1/evaluations", "/v1/evaluations/batch", "/v1/policies/{policy_id}/parameters"} <= exercised


@settings(max_examples=examples(60))
@given(facts=mutated_facts(), batch=st.booleans(), date=st.sampled_from(["2026-11-27", "2020-01-01", "20260101"]))
def test_mutated_dossiers_over_http_get_a_decision_or_a_problem(server, facts, batch, date):
    envelope = '{"faits": ' + json_text(facts) + f', "date": "{date}"' + "}"
    body = f"[{envelope}, {envelope}]" if batch else envelope
    response = httpx.post(f"{server}/v1/evaluations" + ("/batch" if batch else ""), timeout=60,
                          content=body.encode("utf-8", "surrogatepass"),
                          headers={"content-type": "application/json"})
    assert response.status_code in (200, 400, 413, 422), response.text
    answer = response.json()
    if response.status_code == 200:
        for decision in (answer if batch else [answer]):
            assert "decision_id" in decision or decision["status"] == 422
    else:
        assert response.headers["content-type"] == "application/problem+json" and answer["status"] == \
            response.status_code
    json.dumps(answer)
