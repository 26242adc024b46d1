"""Hostile clients, round 2 (issue 23): guessing tokens, framing and sniffing, cross-site writes, proxies' headers,
tokens refused at start. Each test reproduces an attack of the issue and checks the answer."""
from __future__ import annotations

import base64
import hashlib
import json
import re
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from engine.service.decision_log import read_decisions
from engine.service.guessing import Guessing
from engine.service.settings import Settings

from .conftest import ACCOUNT_PASSWORD, POLICIES, RELOAD_TOKEN, ROOT, _clea_command, accounts_file, form_token, scenario

HTML = {"accept": "text/html"}
REQUEST = {"faits": scenario("p01")["faits"], "date": "2026-11-27"}


def logged(server) -> int:
    """How many decisions the server's log holds: a test on the module's shared server counts what it adds."""
    return sum(1 for _ in read_decisions(server.log_path))


# --- 3. limits on guessing ----------------------------------------------------------------------------------------
def test_repeated_wrong_reload_tokens_are_slowed_then_refused_with_retry_after(start_server):
    server = start_server()
    wrong = {"authorization": "Bearer pas-le-bon-jeton"}
    with server.client() as client:
        def attempt(_):
            return client.post("/v1/policies/reload", headers=wrong).status_code

        started = time.monotonic()
        with ThreadPoolExecutor(10) as pool:
            statuses = list(pool.map(attempt, range(10)))
        assert statuses == [401] * 10
        assert time.monotonic() - started >= 1           # past the third failure, each wrong answer waits
        refused = client.post("/v1/policies/reload", headers=wrong)
        assert refused.status_code == 429 and int(refused.headers["retry-after"]) > 0
        assert "Trop de jetons invalides" in refused.json()["detail"]
        right = client.post("/v1/policies/reload", headers={"authorization": f"Bearer {RELOAD_TOKEN}"})
        assert right.status_code == 429                  # refused even with the right token: guessing stops here
    assert "wrong token from 127.0.0.1 on /v1/policies/reload" in server.stderr()
    assert "token attempts refused from 127.0.0.1" in server.stderr()


def test_the_journal_sign_in_refuses_a_guesser_with_429():
    guessing = Guessing()
    for second in range(10):
        guessing.failed("192.0.2.7", "/decisions/connexion", now=float(second))
    assert guessing.retry_after("192.0.2.7", "/decisions/connexion", now=10.0) == 15 * 60 - 10
    assert guessing.retry_after("192.0.2.8", "/decisions/connexion", now=10.0) is None   # per client
    assert guessing.retry_after("192.0.2.7", "/decisions/connexion", now=15 * 60 + 0.5) is None  # the window slid


def test_wrong_answers_wait_longer_past_the_third_failure():
    guessing = Guessing()
    delays = [guessing.failed("192.0.2.7", "/v1/policies/reload", now=float(i)) for i in range(8)]
    assert delays == [0.0, 0.0, 0.0, 1.0, 2.0, 4.0, 8.0, 8.0]
    guessing.succeeded("192.0.2.7")
    assert guessing.failed("192.0.2.7", "/v1/policies/reload", now=9.0) == 0.0


@pytest.mark.parametrize("env, message", [
    ({"CLEA_RELOAD_TOKEN": "change-me"}, "CLEA_RELOAD_TOKEN vaut 'change-me'"),
    ({"CLEA_JOURNAL_TOKEN": "change-me"}, "CLEA_JOURNAL_TOKEN vaut 'change-me'"),
    ({"CLEA_RELOAD_TOKEN": "court"}, "trop court"),
    ({"CLEA_RELOAD_TOKEN": "un-secret-partage-1234", "CLEA_JOURNAL_TOKEN": "un-secret-partage-1234"}, "le même secret"),
    ({"CLEA_TRUSTED_PROXIES": "nginx.local"}, "ni une adresse IP ni un réseau")])
def test_example_short_or_shared_tokens_are_refused_at_start(env, message, tmp_path):
    with pytest.raises(ValueError, match=message):
        Settings.from_env(env)
    command = [*_clea_command(), "serve", "--port", "0", "--policies", str(POLICIES), "--log",
               str(tmp_path / "d.sqlite3")]
    done = subprocess.run(command, env={"PATH": "/usr/bin:/bin", **env}, capture_output=True, text=True, timeout=120,
                          check=False)
    assert done.returncode == 2 and message in done.stderr


# --- 4. security headers ------------------------------------------------------------------------------------------
def test_every_answer_carries_the_security_headers(server):
    with server.client() as client:
        for path in ("/", "/evaluer", "/v1/health", "/openapi.json", "/statique/clea.css", "/introuvable"):
            headers = client.get(path, headers=HTML).headers
            policy = headers["content-security-policy"]
            assert policy.startswith("default-src 'none'") and "frame-ancestors 'none'" in policy, path
            assert "script-src" not in policy and "unsafe-inline" not in policy, path
            assert headers["x-content-type-options"] == "nosniff" and headers["x-frame-options"] == "DENY", path
            assert headers["referrer-policy"] == "same-origin", path          # never to another site


def test_the_docs_policy_allows_exactly_swagger_uis_inline_script(server):
    with server.client() as client:
        page = client.get("/docs")
    [script] = re.findall(r"<script>(.*?)</script>", page.text, flags=re.DOTALL)
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    policy = page.headers["content-security-policy"]
    assert f"script-src 'self' 'sha256-{digest}'" in policy and "frame-ancestors 'none'" in policy


def test_the_cookie_is_secure_behind_a_named_proxy_only(start_server, tmp_path):
    https = {"x-forwarded-proto": "https", "x-forwarded-for": "203.0.113.9"}
    accounts = str(accounts_file(tmp_path))
    for proxies, secure in (("", False), ("127.0.0.1", True)):
        server = start_server(env={"CLEA_TRUSTED_PROXIES": proxies, "CLEA_ACCOUNTS": accounts})
        with server.client(headers={**HTML, **https}) as client:
            field = form_token(client, "/connexion")
        # a browser over https sends the Secure form cookie back; this client speaks http: it is given by hand
        cookie = {"cookie": f"clea_formulaire={field['jeton_formulaire']}"}
        with server.client(headers={**HTML, **https, **cookie}) as client:
            given = client.post("/connexion", data={"identifiant": "lecteur", "mot_de_passe": ACCOUNT_PASSWORD,
                                                    **field})
        assert given.status_code == 303
        assert ("Secure" in given.headers["set-cookie"]) is secure, proxies
        assert ("strict-transport-security" in given.headers) is secure


# --- 5. cross-site writes ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data",
                                          None])
def test_the_api_evaluates_json_bodies_only(server, content_type):
    before = logged(server)
    headers = {"content-type": content_type} if content_type else {}
    with server.client() as client:
        for path, body in (("/v1/evaluations", REQUEST), ("/v1/evaluations/batch", [REQUEST])):
            answer = client.post(path, content=json.dumps(body), headers=headers)
            assert answer.status_code == 415 and "application/json" in answer.json()["detail"]
        assert client.post("/v1/evaluations", json=REQUEST).status_code == 200
    assert logged(server) == before + 1                    # nothing refused was evaluated or logged


def test_a_form_posted_from_another_site_is_refused_and_not_logged(server):
    before = logged(server)
    document = (ROOT / "examples" / "mise-en-demeure.yaml").read_text()
    with server.client(headers=HTML) as client:
        token = form_token(client)
        foreign = client.post("/evaluer", data={"document": document, **token},
                              headers={"origin": "https://attaquant.example"})
        assert foreign.status_code == 403 and "autre site" in foreign.text and foreign.text.startswith("<!DOCTYPE")
        cross = client.post("/evaluer", data={"document": document, **token}, headers={"sec-fetch-site": "cross-site"})
        assert cross.status_code == 403
    with server.client(headers=HTML) as stranger:                    # no cookie, no field: a forged form
        forged = stranger.post("/evaluer", data={"document": document})
        assert forged.status_code == 403 and "Formulaire refusé" in forged.text
    with server.client(headers=HTML) as client:
        form_token(client)
        wrong = client.post("/evaluer", data={"document": document, "jeton_formulaire": "A" * 43})
        assert wrong.status_code == 403
    assert logged(server) == before
    with server.client(headers=HTML) as client:                      # the genuine form still works
        own = client.post("/evaluer", data={"document": document, "date": "2026-11-27", **form_token(client)},
                          headers={"origin": server.url})
        assert own.status_code == 200 and "Habilitation suspendue" in own.text


def test_sign_out_and_sign_in_need_the_forms_value(server):
    with server.client(headers=HTML) as client:
        assert client.post("/connexion", data={"identifiant": "lecteur", "mot_de_passe": "x"}).status_code == 403
        assert client.post("/deconnexion").status_code == 403


def test_caller_and_address_are_believed_from_a_named_proxy_only(server, start_server):
    claimed = {"x-client-id": "pages web", "x-forwarded-for": "203.0.113.9"}
    for proxies, caller, address in (("", "declare:pages web", "127.0.0.1"),
                                     ("127.0.0.0/8", "pages web", "203.0.113.9")):
        serving = start_server(env={"CLEA_TRUSTED_PROXIES": proxies}) if proxies else server
        before = logged(serving)
        with serving.client() as client:
            assert client.post("/v1/evaluations", json=REQUEST, headers=claimed).status_code == 200
        [record] = list(read_decisions(serving.log_path))[before:]
        assert (record["appelant"], record["adresse"]) == (caller, address)


# --- 6. smaller ones (HTTP) ----------------------------------------------------------------------------------------
def test_accept_is_read_by_its_q_values(server):
    with server.client() as client:
        calendar = client.post("/v1/evaluations", json=REQUEST,
                               headers={"accept": "application/json;q=0.1, text/calendar"})
        assert calendar.headers["content-type"].startswith("text/calendar")
        json_first = client.post("/v1/evaluations", json=REQUEST,
                                 headers={"accept": "text/calendar;q=0.5, application/json"})
        assert json_first.headers["content-type"].startswith("application/json")
        refused_calendar = client.post("/v1/evaluations", json=REQUEST, headers={"accept": "text/calendar;q=0"})
        assert refused_calendar.headers["content-type"].startswith("application/json")


def test_a_request_with_too_many_headers_is_431(server):
    with server.client() as client:
        answer = client.get("/v1/health", headers={f"x-h{i}": "1" for i in range(150)})
        assert answer.status_code == 431 and "au plus 100 en-têtes" in answer.json()["detail"]
        assert client.get("/v1/health").status_code == 200



def test_the_published_batch_limit_is_the_one_answered(start_server):
    # issue 23: a 101-item batch got 413 while the schema said maxItems 100 without saying what comes beyond
    server = start_server(None, "--max-batch", "3")
    with server.client() as client:
        batch = client.get("/openapi.json").json()["components"]["schemas"]["DemandeLot"]
        assert batch["maxItems"] == 3 and "413" in batch["description"]
        assert client.post("/v1/evaluations/batch", json=[REQUEST] * 3).status_code == 200
        refused = client.post("/v1/evaluations/batch", json=[REQUEST] * 4)
        assert refused.status_code == 413 and "au plus 3" in refused.json()["detail"]
