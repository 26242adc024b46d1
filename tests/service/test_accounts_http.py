"""Signing in to the pages, and what each role opens (issue 25), over HTTP in the test process (TestClient)."""
from __future__ import annotations

import re

import pytest
from argon2 import PasswordHasher
from fastapi import Request
from fastapi.testclient import TestClient

from engine.service import app as service_app
from engine.service import passwords
from engine.service.account_file import Entry, read_accounts, write_accounts
from engine.service.accounts import SESSION_COOKIE, Account, require, signed_in
from engine.service.pages import signin
from engine.service.settings import Settings

from .conftest import JOURNAL_TOKEN, POLICIES, ROOT

HTML = {"accept": "text/html,application/xhtml+xml"}
PASSWORD = "un mot de passe solide"
CHEAP = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)    # tests only


def entry(identifier: str, name: str, roles, policies=()) -> Entry:
    return Entry(Account(identifier, name, frozenset(roles), frozenset(policies)),
                 passwords.hash_password(PASSWORD, CHEAP))


@pytest.fixture
def accounts_file(tmp_path):
    path = tmp_path / "comptes.yaml"
    write_accounts(path, {e.account.identifiant: e for e in (
        entry("marie", "Marie Durand", ["proposition"], ["certifpro"]),
        entry("ines", "Inès Martin", ["instruction"]),
        entry("paul", "Paul Bernard", ["approbation"]))})
    return path


def make_app(tmp_path, accounts=None):
    return service_app.create_app(Settings(policies_dir=POLICIES, log_path=tmp_path / "log.sqlite3",
                                           journal_token=JOURNAL_TOKEN, accounts_path=accounts))


@pytest.fixture
def client(tmp_path, accounts_file):
    with TestClient(make_app(tmp_path, accounts_file), headers=HTML, follow_redirects=False) as test_client:
        yield test_client


def form_token(client, page: str = "/connexion") -> dict:
    found = re.search(r'name="jeton_formulaire" value="([^"]+)"', client.get(page).text)
    assert found, page
    return {"jeton_formulaire": found.group(1)}


def sign_in(client, identifier: str, password: str = PASSWORD, suite: str = "/"):
    return client.post("/connexion", data={"identifiant": identifier, "mot_de_passe": password, "suite": suite,
                                           **form_token(client)})


def test_every_page_needs_a_signed_in_account_and_comes_back_after_sign_in(client):
    answer = client.get("/politiques/certifpro/parametres?date=2026-01-15")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/connexion?suite=%2Fpolitiques%2Fcertifpro%2Fparametres%3Fdate%3D2026-01-15"
    form = client.get(answer.headers["location"])
    assert form.status_code == 200 and 'name="suite" value="/politiques/certifpro/parametres?date=2026-01-15"' in form.text
    given = sign_in(client, "marie", suite="/politiques/certifpro/parametres?date=2026-01-15")
    assert given.status_code == 303 and given.headers["location"] == "/politiques/certifpro/parametres?date=2026-01-15"
    cookie = given.headers["set-cookie"]
    assert cookie.startswith(f"{SESSION_COOKIE}=") and "HttpOnly" in cookie and "SameSite=strict" in cookie
    assert "Path=/" in cookie and PASSWORD not in cookie and "Secure" not in cookie     # plain http here
    page = client.get("/politiques/certifpro/parametres")
    assert page.status_code == 200 and "Connecté·e : <strong>Marie Durand</strong>" in page.text
    assert 'action="/deconnexion"' in page.text
    assert client.get("/docs").status_code == 200 and client.get("/v1/policies").status_code == 200   # the API


def test_sign_in_goes_back_to_a_page_of_this_service_only(client):
    for target in ("https://ailleurs.example/", "//ailleurs.example", "/\\ailleurs.example", "javascript:x",
                   "/connexion", "/deconnexion"):
        given = sign_in(client, "marie", suite=target)
        assert given.status_code == 303 and given.headers["location"] == "/", target


def test_a_wrong_password_and_an_unknown_account_get_the_same_french_message(client):
    wrong = sign_in(client, "marie", "pas le bon mot de passe")
    unknown = sign_in(client, "personne", PASSWORD)
    for answer in (wrong, unknown):
        assert answer.status_code == 401 and SESSION_COOKIE not in answer.headers.get("set-cookie", "")
        assert "Identifiant ou mot de passe incorrect." in answer.text
    assert re.sub(r'value="[^"]*"', "", wrong.text) == re.sub(r'value="[^"]*"', "", unknown.text)
    assert sign_in(client, "MARIE ").status_code == 303        # the identifier is typed as it comes


def test_repeated_failures_are_slowed_then_refused_with_429(client, monkeypatch):
    async def no_wait(seconds):
        return None

    monkeypatch.setattr(signin.asyncio, "sleep", no_wait)
    for _ in range(10):
        assert sign_in(client, "marie", "pas le bon mot de passe").status_code == 401
    refused = sign_in(client, "marie")              # even the right password, for a while
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) > 0
    assert "Trop d&#39;essais infructueux" in refused.text


def test_failures_on_one_account_are_counted_whatever_the_address_and_not_cleared_by_another_account(client,
                                                                                                   monkeypatch):
    async def no_wait(seconds):
        return None

    monkeypatch.setattr(signin.asyncio, "sleep", no_wait)
    for attempt in range(10):
        if attempt % 3 == 0:
            assert sign_in(client, "paul").status_code == 303          # the guesser's own account, between tries
        assert sign_in(client, "marie", "pas le bon mot de passe").status_code == 401
    assert sign_in(client, "marie").status_code == 429
    assert sign_in(client, "paul").status_code == 303


def test_sign_out_revokes_every_copy_of_the_cookie(client):
    given = sign_in(client, "ines")
    copy = given.cookies[SESSION_COOKIE]
    assert client.get("/decisions").status_code == 200
    closed = client.post("/deconnexion", data=form_token(client, "/"))
    assert closed.status_code == 303 and closed.headers["location"] == "/connexion"
    assert f'{SESSION_COOKIE}=""' in closed.headers["set-cookie"] or "Max-Age=0" in closed.headers["set-cookie"]
    client.cookies.clear()
    client.cookies.set(SESSION_COOKIE, copy)
    assert client.get("/decisions").status_code == 303 and client.get("/").status_code == 303


def test_a_removed_account_or_a_removed_role_or_a_new_password_takes_effect_at_the_next_request(client,
                                                                                                 accounts_file):
    sign_in(client, "ines")
    assert client.get("/decisions").status_code == 200
    accounts = read_accounts(accounts_file)
    reader = Account("ines", "Inès Martin", frozenset({"lecture"}), frozenset())
    write_accounts(accounts_file, {**accounts, "ines": Entry(reader, accounts["ines"].password_hash)})
    denied = client.get("/decisions")
    assert denied.status_code == 403 and "Accès réservé" in denied.text
    assert client.get("/").status_code == 200                           # still signed in, for reading
    write_accounts(accounts_file, {**accounts, "ines": entry("ines", "Inès Martin", ["instruction"])})  # new hash
    assert client.get("/").status_code == 303                           # the old session opens nothing
    sign_in(client, "ines")
    assert client.get("/decisions").status_code == 200
    write_accounts(accounts_file, {k: v for k, v in accounts.items() if k != "ines"})
    assert client.get("/").status_code == 303
    assert sign_in(client, "ines").status_code == 401


def test_the_403_page_says_which_role_for_which_policy_and_who_is_signed_in(client):
    sign_in(client, "marie")
    denied = client.get("/decisions", headers={**HTML, "referer": "http://testserver/politiques"})
    assert denied.status_code == 403 and denied.headers["content-type"].startswith("text/html")
    assert '<html lang="fr">' in denied.text and "<h1>Accès réservé</h1>" in denied.text
    assert "le rôle instruction (évaluer des dossiers, consulter le journal des décisions)" in denied.text
    assert "Marie Durand (identifiant marie)" in denied.text and "proposition (" in denied.text
    assert '<a href="/politiques">Revenir à la page précédente</a>' in denied.text
    assert client.get("/decisions", headers={"accept": "application/json"}).headers["content-type"].startswith(
        "text/html")                                                   # a page, never a JSON body


def test_the_journal_opens_by_role_and_for_other_systems_by_its_token(client):
    example = (ROOT / "examples" / "mise-en-demeure.yaml").read_bytes()
    sign_in(client, "marie")
    assert client.get("/evaluer").status_code == 403                    # evaluating is an instructor's
    refused = client.post("/evaluer", files={"fichier": ("m.yaml", example)},
                          data={"date": "2026-11-27", **form_token(client, "/")})
    assert refused.status_code == 403
    sign_in(client, "ines")
    answer = client.post("/evaluer", files={"fichier": ("m.yaml", example)},
                         data={"date": "2026-11-27", **form_token(client, "/evaluer")})
    assert answer.status_code == 200
    decision_id = answer.text.split('href="/decisions/', 1)[1].split('"', 1)[0]
    assert decision_id in client.get("/decisions").text
    assert client.get(f"/decisions/{decision_id}").status_code == 200
    client.cookies.clear()
    system = {"authorization": f"Bearer {JOURNAL_TOKEN}"}
    assert client.get(f"/decisions/{decision_id}", headers=system).status_code == 200
    assert client.get("/decisions", headers={"authorization": "Bearer faux"}).status_code == 303
    assert client.get("/decisions/connexion").headers["location"] == "/connexion?suite=%2Fdecisions"


def test_forged_forms_are_refused(client):
    assert client.post("/connexion", data={"identifiant": "marie", "mot_de_passe": PASSWORD}).status_code == 403
    sign_in(client, "marie")
    assert client.post("/deconnexion").status_code == 403
    assert client.post("/deconnexion", data={"jeton_formulaire": "x" * 43}).status_code == 403
    assert client.get("/").status_code == 200                           # still signed in
    other = client.post("/connexion", headers={**HTML, "origin": "https://ailleurs.example"},
                        data={"identifiant": "marie", "mot_de_passe": PASSWORD, **form_token(client)})
    assert other.status_code == 403


def test_a_forged_session_cookie_opens_nothing(client):
    for forged in ("x", "1" * 43, "compte:marie:0123456789abcdef", "z" * 300):
        client.cookies.set(SESSION_COOKIE, forged)
        assert client.get("/").status_code == 303


def test_without_accounts_the_pages_are_public_and_the_journal_says_what_to_configure(tmp_path):
    with TestClient(make_app(tmp_path), headers=HTML, follow_redirects=False) as client:
        home = client.get("/")
        assert home.status_code == 200 and "Se connecter" not in home.text
        journal = client.get("/decisions")
        assert journal.status_code == 403 and "Aucun compte n&#39;est configuré" in journal.text
        assert "clea account add" in journal.text and "--accounts" in journal.text
        assert client.get("/connexion").status_code == 403
        assert client.get("/decisions", headers={"authorization": f"Bearer {JOURNAL_TOKEN}"}).status_code == 200


def test_an_accounts_file_broken_by_hand_opens_nothing_until_it_is_mended(client, accounts_file):
    sign_in(client, "ines")
    good = accounts_file.read_text(encoding="utf-8")
    accounts_file.write_text(good.replace("roles: [instruction]", "roles: [instruction, chef]"), encoding="utf-8")
    assert client.get("/").status_code == 303
    refused = sign_in(client, "ines")
    assert refused.status_code == 401 and "Les comptes de ce service sont illisibles" in refused.text
    health = client.get("/v1/health").json()
    assert health["statut"] == "degrade" and health["raisons"][0].startswith(
        f"le fichier des comptes est inutilisable, personne ne peut se connecter aux pages : {accounts_file}:")
    accounts_file.write_text(good, encoding="utf-8")
    assert sign_in(client, "ines").status_code == 303 and client.get("/decisions").status_code == 200
    assert client.get("/v1/health").json()["statut"] == "ok"


async def _approve(request: Request) -> dict:
    """An API route of the kind a later page may add: it needs the role approbation."""
    account = require(await signed_in(request), "approbation")
    return {"par": account.identifiant}


def test_a_route_of_the_api_that_needs_a_role_answers_a_problem_not_a_page(tmp_path, accounts_file):
    app = make_app(tmp_path, accounts_file)
    app.add_api_route("/v1/essai-approbation", _approve, methods=["GET"])
    with TestClient(app, headers=HTML, follow_redirects=False) as client:
        nobody = client.get("/v1/essai-approbation")
        assert nobody.status_code == 401 and nobody.headers["content-type"] == "application/problem+json"
        sign_in(client, "marie")
        refused = client.get("/v1/essai-approbation")
        assert refused.status_code == 403 and "approbation" in refused.json()["detail"]
        sign_in(client, "paul")
        assert client.get("/v1/essai-approbation").json() == {"par": "paul"}


def _navigation(html: str) -> list[str]:
    nav = html.split('aria-label="Navigation principale"', 1)[1].split("</nav>", 1)[0]
    return re.findall(r'<a href="[^"]+"[^>]*>([^<]+)</a>', nav)


def test_the_navigation_shows_only_what_the_signed_in_account_may_open(client):
    sign_in(client, "marie")                    # proposition on certifpro: reads every page, evaluates nothing
    shown = _navigation(client.get("/").text)
    assert "Paramètres" in shown and "Propositions" in shown
    assert "Évaluer un dossier" not in shown and "Décisions" not in shown
    sign_in(client, "ines")                     # instruction: evaluates and reads the journal
    shown = _navigation(client.get("/").text)
    assert "Évaluer un dossier" in shown and "Décisions" in shown
