"""The web pages over plain HTTP (no browser): what they answer to clients that are not people, the journal's
protection, the bounds of their forms, and that API clients keep their problem documents."""
from __future__ import annotations

from engine.service.accounts import SESSION_COOKIE

from .conftest import JOURNAL_TOKEN, RELOAD_TOKEN, ROOT, Server, accounts_file, form_token, sign_in

HTML = {"accept": "text/html,application/xhtml+xml"}


def test_every_page_is_french_html_with_a_stable_address(server):
    with server.client(headers=HTML) as client:
        for path in ("/", "/politiques", "/politiques/certifpro/parametres", ("/politiques/certifpro/parametres?"
                     "date=2020-01-15"), "/politiques/certifpro/parametres/frais.instruction",
                     "/politiques/certifpro/reglement", "/evaluer", "/evaluer?exemple=mise-en-demeure"):
            answer = client.get(path)
            assert answer.status_code == 200, path
            assert answer.headers["content-type"].startswith("text/html")
            assert '<html lang="fr">' in answer.text and "<h1>" in answer.text
        assert client.get("/parametres").headers["location"] == "/politiques/certifpro/parametres"


def test_a_browser_gets_a_french_page_an_api_client_a_problem(server):
    with server.client() as client:
        page = client.get("/nulle-part", headers=HTML)
        assert page.status_code == 404 and "Page introuvable" in page.text
        problem = client.get("/nulle-part")
        assert problem.status_code == 404 and problem.headers["content-type"] == "application/problem+json"
        assert client.get("/v1/nulle-part", headers=HTML).headers["content-type"] == "application/problem+json"
        wrong = client.get("/politiques/inconnue/parametres", headers=HTML)
        assert wrong.status_code == 404 and "Aucune politique « inconnue »" in wrong.text
        bad_date = client.get("/politiques/certifpro/parametres?date=2026-02-30", headers=HTML)
        assert bad_date.status_code == 422 and "AAAA-MM-JJ" in bad_date.text


def test_the_text_of_the_regulation_is_beside_what_encodes_it(server):
    with server.client(headers=HTML) as client:
        page = client.get("/politiques/certifpro/reglement").text
    section = page.split('id="art-V.2"', 1)[1].split("</section>", 1)[0]
    assert "30 jours ouvrés" in section and "conformite.justification" in section


def test_evaluating_on_the_page_is_a_logged_decision(server):
    example = (ROOT / "examples" / "mise-en-demeure.yaml").read_bytes()
    with server.client(headers=HTML) as client:
        answer = client.post("/evaluer", files={"fichier": ("mise-en-demeure.yaml", example)},
                             data={"date": "2026-11-27", **form_token(client)})
        assert answer.status_code == 200 and "Habilitation suspendue" in answer.text
        decision_id = answer.text.split('href="/decisions/', 1)[1].split('"', 1)[0]
        logged = client.get(f"/decisions/{decision_id}", headers={"authorization": f"Bearer {JOURNAL_TOKEN}"})
        assert logged.status_code == 200 and decision_id in logged.text and "pages web" in logged.text


def test_an_invalid_document_is_answered_422_with_each_path(server):
    with server.client(headers=HTML) as client:
        token = form_token(client)
        answer = client.post("/evaluer", data={"document": "instance: certifpro\norganisme: {siren: '123'}\n"
                                                           "evenements: []\n", **token})
        assert answer.status_code == 422
        assert '<a href="#ligne-2">ligne 2</a>, <code>organisme.siren</code>' in answer.text
        syntax = client.post("/evaluer", data={"document": "organisme: [\n", **token})
        assert syntax.status_code == 422 and "ligne" in syntax.text
        empty = client.post("/evaluer", data={"document": "  ", **token})
        assert empty.status_code == 422 and "Le document est vide" in empty.text


def test_a_document_over_the_size_limit_is_refused_before_it_is_read(server):
    with server.client(headers=HTML) as client:
        answer = client.post("/evaluer", files={"fichier": ("gros.yaml", b"a: b\n" * 20_000)})
        assert answer.status_code == 413 and "Document trop volumineux" in answer.text


def test_other_systems_read_the_journal_with_its_own_token(server):
    with server.client(headers=HTML) as client:
        assert client.get("/decisions").status_code == 403
        assert client.get("/decisions", headers={"authorization": "Bearer faux"}).status_code == 403
        assert client.get("/decisions", headers={"authorization": f"Bearer {RELOAD_TOKEN}"}).status_code == 403
        assert client.get("/decisions", headers={"authorization": f"Bearer {JOURNAL_TOKEN}"}).status_code == 200
        former = client.get("/decisions/connexion")                  # the token's former form: the sign-in now
        assert former.status_code == 303 and former.headers["location"] == "/connexion?suite=%2Fdecisions"


def test_signing_out_revokes_every_copy_of_the_cookie_even_after_a_restart(start_server, tmp_path):
    # issue 23: after "Fermer l'accès au journal", a copy of the cookie still opened /decisions for 8 hours
    env = {"CLEA_ACCOUNTS": str(accounts_file(tmp_path))}
    server = start_server(None, env=env)
    with server.client(headers=HTML) as client:
        given = sign_in(client, "instructeur", suite="/decisions")
        assert given.status_code == 303 and given.headers["location"] == "/decisions"
        copy = given.cookies[SESSION_COOKIE]
        assert client.get("/decisions").status_code == 200
        closed = client.post("/deconnexion", data=form_token(client, "/decisions"))
        assert closed.status_code == 303
    with server.client(headers=HTML, cookies={SESSION_COOKIE: copy}) as thief:
        assert thief.get("/decisions").status_code == 303                     # to the sign-in form
    with server.client(headers=HTML) as client:                               # a session survives a restart...
        kept = sign_in(client, "instructeur").cookies[SESSION_COOKIE]
    server.stop()
    restarted = Server(server.workdir, server.policies, env=env)              # the same log, a new process
    try:
        with restarted.client(headers=HTML, cookies={SESSION_COOKIE: kept}) as client:
            assert client.get("/decisions").status_code == 200
            accounts_file(tmp_path, password="un tout nouveau mot de passe")    # ...but not a new password
            assert client.get("/decisions").status_code == 303
    finally:
        restarted.stop()


def test_a_forged_session_cookie_opens_nothing(server):
    for forged in ("x", "1" * 43, "9999999999.abcdef", "z" * 300):
        with server.client(headers=HTML, cookies={SESSION_COOKIE: forged}) as client:
            assert client.get("/decisions").status_code == 403


def test_without_accounts_the_journal_is_closed_to_browsers(start_server):
    server = start_server(env={"CLEA_JOURNAL_TOKEN": ""})
    with server.client(headers=HTML) as client:
        answer = client.get("/decisions")
        assert answer.status_code == 403 and "Aucun compte n&#39;est configuré" in answer.text
        assert "CLEA_ACCOUNTS" in answer.text


def test_changements_reads_only_git_revisions(server):
    with server.client(headers=HTML) as client:
        for spec in ("--output=/tmp/x", "/etc", "..", "HEAD:README.md", "tests"):
            answer = client.get("/changements", params={"avant": spec})
            assert answer.status_code == 422 and "Version inconnue" in answer.text, spec


def test_the_journal_searches_a_postgresql_log_as_a_sqlite_one(start_server, postgresql_url):
    """The same searches whatever the log: by SIREN and status, by day, and one decision by its id."""
    server = start_server(None, "--log", postgresql_url)
    example = (ROOT / "examples" / "mise-en-demeure.yaml").read_bytes()
    token = {"authorization": f"Bearer {JOURNAL_TOKEN}"}
    with server.client(headers=HTML) as client:
        page = client.post("/evaluer", files={"fichier": ("mise-en-demeure.yaml", example)},
                           data={"date": "2026-11-27", **form_token(client)})
        decision_id = page.text.split('href="/decisions/', 1)[1].split('"', 1)[0]
        found = client.get("/decisions", params={"siren": "732829320", "statut": "suspendu"}, headers=token)
        assert found.status_code == 200 and f'href="/decisions/{decision_id}"' in found.text
        assert "non conforme" in found.text
        none = client.get("/decisions", params={"statut": "habilite"}, headers=token)
        assert "Aucune décision ne correspond" in none.text
        past = client.get("/decisions", params={"du": "2000-01-01", "au": "2000-01-31"}, headers=token)
        assert "Aucune décision ne correspond" in past.text
        logged = client.get(f"/decisions/{decision_id}", headers=token)
        assert logged.status_code == 200 and "Habilitation suspendue" in logged.text


def test_an_alias_bomb_is_refused_at_once(server):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(12))
    with server.client(headers=HTML) as client:
        answer = client.post("/evaluer", data={"document": bomb, **form_token(client)})
        assert answer.status_code == 422 and "alias" in answer.text
