"""What a new user of `clea serve` reads (issue 21): start-up lines in French, a missing log folder named in French,
a failed start that leaves no log file behind, and a Politiques page that never shows the server's own paths."""
from __future__ import annotations

import io
import logging
import socket

from engine.cli import run
from engine.cli.server_lines import French, in_french

from .conftest import RELOAD_TOKEN, copy_policies


def test_the_start_up_and_shutdown_lines_speak_french(start_server):
    server = start_server()
    server.stop()
    said = server.stderr()
    for line in ("processus du serveur démarré", "démarrage de l'application…", "application démarrée",
                 f"le service écoute sur {server.url} (Ctrl+C pour l'arrêter)", "arrêt du serveur",
                 "application arrêtée", "processus du serveur terminé"):
        assert line in said, said
    assert "Uvicorn running" not in said and "Started server process" not in said and "startup" not in said


def test_the_french_filter_keeps_uvicorns_arguments_and_passes_other_lines():
    record = logging.LogRecord("uvicorn.error", logging.INFO, __file__, 1, "Uvicorn running on %s://%s:%d "
                               "(Press CTRL+C to quit)", ("http", "0.0.0.0", 8000), None)
    record.color_message = "colour"
    assert French().filter(record) and record.getMessage() == ("le service écoute sur http://0.0.0.0:8000 "
                                                               "(Ctrl+C pour l'arrêter)")
    assert not hasattr(record, "color_message")
    assert in_french("Child process [42] died") == "le processus enfant [42] s'est arrêté"
    assert in_french("une ligne du service") == "une ligne du service"


def test_a_log_folder_that_does_not_exist_is_named_in_french_and_nothing_is_created(tmp_path):
    out, err = io.StringIO(), io.StringIO()
    code = run(["serve", "--port", "0", "--log", str(tmp_path / "var" / "lib" / "clea" / "decisions.sqlite3")],
               out, err)
    assert code == 2
    assert err.getvalue() == (f"clea serve : {tmp_path}/var/lib/clea/decisions.sqlite3: le dossier du journal des "
                              f"décisions n'existe pas : {tmp_path}/var/lib/clea (créez-le, ou choisissez un autre "
                              "--log)\n")
    assert not (tmp_path / "var").exists()


def test_a_start_that_fails_on_a_busy_port_leaves_no_log_file(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        out, err = io.StringIO(), io.StringIO()
        code = run(["serve", "--port", str(taken.getsockname()[1]), "--log", str(tmp_path / "log.sqlite3")], out, err)
    assert code == 2 and "déjà utilisé" in err.getvalue()
    assert list(tmp_path.iterdir()) == []


def test_a_start_refused_for_its_policies_leaves_no_log_file(tmp_path):
    policies = copy_policies(tmp_path)
    (policies / "certifpro" / "statuts.yaml").write_text("statuts: [\n", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    code = run(["serve", "--port", "0", "--policies", str(policies), "--log", str(tmp_path / "log.sqlite3")], out, err)
    assert code == 3 and "statuts.yaml" in err.getvalue()
    assert not list(tmp_path.glob("log.sqlite3*"))


def test_the_politiques_page_never_shows_the_servers_paths(start_server, tmp_path):
    policies = copy_policies(tmp_path)
    server = start_server(policies)
    with server.client(headers={"accept": "text/html"}) as client:
        page = client.get("/politiques").text
        assert "Politiques chargées au démarrage ; aucun rechargement depuis." in page
        assert str(tmp_path) not in page and str(policies) not in page
        (policies / "certifpro" / "statuts.yaml").write_text("statuts: [\n", encoding="utf-8")
        refused = client.post("/v1/policies/reload", headers={"authorization": f"Bearer {RELOAD_TOKEN}"})
        assert refused.status_code == 409
        page = client.get("/politiques").text
    assert "Le dernier rechargement a échoué" in page and "<code>certifpro/statuts.yaml:" in page
    assert str(tmp_path) not in page and "/policies/" not in page
