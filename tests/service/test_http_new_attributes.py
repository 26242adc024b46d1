"""Bad input to the attributes of contract v2 is refused with each problem and its path: the same facts give exit 2
on the CLI and 422 over HTTP, never a verdict and never a trace (the frozen certifpro policy's event catalogue)."""
import io
import json

import pytest

from engine.cli import run

from .conftest import scenario
from .test_http_errors import assert_problem

SITE_WITHOUT_SIRET = {"adresse": "5 quai de l'Exemple, 33000 Bordeaux", "activite_clea": True}
BAD_INPUT = {
    # what is added to p09's facts (habilitated, then a formal notice...): the problems and where they are
    "objet de réunion inconnu": ([{"type": "reunion_instance", "date": "2026-05-21", "objet": "assemblee"}],
                                 {"evenements[6].objet": "valeur non admise : 'assemblee'"}),
    "période complémentaire sans date de retrait": (
        [{"type": "decision_conformite_notifiee", "date": "2026-06-10", "issue": "periode_complementaire"}],
        {"evenements[6]": "'date_retrait' (requis quand issue vaut 'periode_complementaire')"}),
    "date d'inscription qui n'est pas une date": (
        [{"type": "certificats_delivres", "date": "2026-05-10", "nombre": 2, "date_inscription": "hier"},
         {"type": "certificats_delivres", "date": "2026-05-11", "nombre": 1, "date_inscription": "2026-02-30"}],
        {"evenements[6].date_inscription": "'hier'", "evenements[7].date_inscription": "'2026-02-30'"}),
    "décision après audit sans issue": ([{"type": "decision_audit_notifiee", "date": "2026-05-20"}],
                                        {"evenements[6]": "'issue'"}),
    "suspension qui n'est pas un booléen": (
        [{"type": "decision_conformite_notifiee", "date": "2026-06-10", "issue": "periode_complementaire",
          "date_retrait": "2026-09-01", "suspension": "oui"}],
        {"evenements[6].suspension": "booléen"}),
}


def bad_facts(events: list) -> dict:
    facts = scenario("p09")["faits"]
    facts["evenements"] += events
    return facts


@pytest.mark.parametrize("name", BAD_INPUT)
def test_bad_input_to_a_new_attribute_is_exit_2_on_the_cli(name, tmp_path):
    events, expected = BAD_INPUT[name]
    path = tmp_path / "faits.json"
    path.write_text(json.dumps(bad_facts(events)), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    assert run(["evaluate", str(path), "--date", "2026-07-16", "--format", "json"], out, err) == 2
    assert out.getvalue() == "" and "Traceback" not in err.getvalue()
    lines = err.getvalue().splitlines()
    for where, text in expected.items():
        assert any(f": {where}: " in line and text in line for line in lines), (where, text, lines)


def test_bad_input_to_a_new_attribute_is_422_over_http(server):
    with server.client() as client:
        for name, (events, expected) in BAD_INPUT.items():
            response = client.post("/v1/evaluations", json={"faits": bad_facts(events), "date": "2026-07-16"})
            body = assert_problem(response, 422)
            found = {error["chemin"]: error["message"] for error in body["erreurs"]}
            for where, text in expected.items():
                assert text in found.get(f"faits.{where}", ""), (name, found)


def test_a_site_without_siret_says_so_and_gives_its_address(server, tmp_path):
    facts = scenario("p09")["faits"]
    facts["organisme"]["etablissements"] += [SITE_WITHOUT_SIRET, {"site_sans_siret": True}]
    with server.client() as client:
        body = assert_problem(client.post("/v1/evaluations", json={"faits": facts, "date": "2026-07-16"}), 422)
    found = {error["chemin"]: error["message"] for error in body["erreurs"]}
    assert "'site_sans_siret'" in found["faits.organisme.etablissements[2]"]
    assert "'adresse'" in found["faits.organisme.etablissements[3]"]
    facts["organisme"]["etablissements"][2:] = [{**SITE_WITHOUT_SIRET, "site_sans_siret": True}]
    with server.client() as client:
        response = client.post("/v1/evaluations", json={"faits": facts, "date": "2026-07-16"})
    assert response.status_code == 200, response.text
