"""`clea evaluate` and `clea policy` as a user runs them: output, exit codes, and errors without tracebacks."""
from __future__ import annotations

import io
import json

import pytest

from engine.cli import run


def clea(*argv, stdin=None):
    out, err = io.StringIO(), io.StringIO()
    if stdin is not None:
        import sys
        old, sys.stdin = sys.stdin, io.StringIO(stdin)
        try:
            code = run(list(argv), out, err)
        finally:
            sys.stdin = old
    else:
        code = run(list(argv), out, err)
    assert "Traceback" not in out.getvalue() + err.getvalue()
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def refused(tmp_path, base_facts):
    base_facts["evenements"] = [
        {"type": "demande_deposee", "date": "2026-01-12"},
        {"type": "decision_notifiee", "date": "2026-03-02", "decision": "refus"},
    ]
    path = tmp_path / "refus.json"
    path.write_text(json.dumps(base_facts), encoding="utf-8")
    return path


def test_evaluate_prints_the_contract_json(refused):
    code, out, _ = clea("evaluate", str(refused), "--date", "2026-03-10", "--format", "json")
    verdict = json.loads(out)
    assert code == 0
    assert verdict["statut"] == "refuse"
    recourse = next(a for a in verdict["actions"] if a["id"] == "deposer_recours")
    assert (recourse["echeance"], recourse["etat"]) == ("2026-04-14", "a_faire")


def test_evaluate_text_is_a_french_summary(refused):
    code, out, _ = clea("evaluate", str(refused), "--date", "2026-05-01", "--format", "text")
    assert code == 0
    assert "Statut : Demande refusée" in out
    assert "14/04/2026 échue depuis le 15/04/2026 — faculté du candidat" in out
    assert "Le candidat peut former un recours dans un délai de 30 jours ouvrés" in out
    assert ": 300,00\u00a0€ HT (A3)" in out
    assert "deposer_recours" not in out and "faculte" not in out and "EUR" not in out


def test_evaluate_reads_yaml_from_stdin(base_facts):
    import yaml
    base_facts["evenements"] = [{"type": "demande_deposee", "date": "2026-01-12"}]
    code, out, _ = clea("evaluate", "-", "--date", "2026-01-20", "--format", "json", stdin=yaml.safe_dump(base_facts))
    assert code == 0 and json.loads(out)["statut"] == "candidat"


@pytest.mark.parametrize("mutate, expected", [
    (lambda f: f["evenements"].append({"type": "evenement_inconnu", "date": "2026-01-12"}),
     "evenements[0].type: type d'événement inconnu : 'evenement_inconnu'"),
    (lambda f: f["evenements"].append({"type": "demande_deposee", "date": "2026-02-30"}),
     "evenements[0].date: '2026-02-30' : ce jour n'existe pas dans le calendrier"),
    (lambda f: f["organisme"]["intervenants"][0].update(domaines=[1, 5]),
     "organisme.intervenants[0].domaines[1]: doit être inférieur ou égal à 4 ; trouvé 5"),
    (lambda f: f["organisme"].update(siren="732829321"), "organisme.siren: '732829321' : SIREN invalide (clé de contrôle)"),
    (lambda f: f["organisme"].pop("siren"), "organisme: champ obligatoire manquant : 'siren'"),
    (lambda f: f["organisme"]["etablissements"][0].update(siret="7328293200001"),
     "organisme.etablissements[0].siret: '7328293200001' : un SIRET a 14 chiffres"),
    (lambda f: f["organisme"]["etablissements"][0].update(siret="73282932000018"),
     "organisme.etablissements[0].siret: '73282932000018' : SIRET invalide (clé de contrôle)"),
    (lambda f: f["organisme"].update(siren="000000000"), ("organisme.siren: '000000000' : 000000000 n'est le SIREN d'aucune entreprise (il passe la clé de contrôle, "
     "mais l'INSEE ne l'attribue pas)")),
    (lambda f: f["evenements"].append({"type": "decision_notifiee", "date": "2026-03-02", "decision": "peut-etre"}),
     "evenements[0].decision: valeur non admise : 'peut-etre' ; valeurs admises : 'acceptation', 'refus'"),
    (lambda f: f.update(instance="cpne:inconnue"), "instance: aucune politique ne sert l'instance 'cpne:inconnue'"),
])
def test_invalid_facts_exit_2_naming_each_problem(tmp_path, base_facts, mutate, expected):
    mutate(base_facts)
    path = tmp_path / "faits.json"
    path.write_text(json.dumps(base_facts), encoding="utf-8")
    code, out, err = clea("evaluate", str(path), "--date", "2026-03-10", "--format", "json")
    assert code == 2 and out == ""
    assert expected in err


def test_every_problem_is_listed_at_once(tmp_path, base_facts):
    base_facts["organisme"]["siren"] = "123"
    base_facts["evenements"] = [{"type": "x", "date": "2026-01-01"}, {"type": "demande_deposee", "date": "26-1-1"}]
    path = tmp_path / "faits.json"
    path.write_text(json.dumps(base_facts), encoding="utf-8")
    code, _, err = clea("evaluate", str(path), "--format", "json")
    assert code == 2
    assert "organisme.siren" in err and "evenements[0].type" in err and "evenements[1].date" in err


def test_yaml_syntax_error_names_the_line(tmp_path):
    path = tmp_path / "faits.yaml"
    path.write_text("organisme:\n  siren: '732829320'\ninstance: [certifpro\nevenements: []\n", encoding="utf-8")
    code, _, err = clea("evaluate", str(path))
    assert code == 2
    assert f"{path}:4: $: YAML invalide" in err


def test_json_syntax_error_names_the_line(tmp_path):
    path = tmp_path / "faits.json"
    path.write_text('{"instance": "certifpro",\n "evenements": [}\n', encoding="utf-8")
    code, _, err = clea("evaluate", str(path))
    assert code == 2 and f"{path}:2: $: JSON invalide" in err


def test_missing_file_and_unknown_policies_folder(tmp_path, refused):
    assert clea("evaluate", str(tmp_path / "absent.yaml"))[0] == 2
    code, _, err = clea("evaluate", str(refused), "--policies", str(tmp_path / "nowhere"))
    assert code == 2 and "dossier des politiques introuvable" in err


def test_bad_date_argument_exits_2(refused):
    code, _, err = clea("evaluate", str(refused), "--date", "2026-13-01")
    assert code == 2 and "n'est pas une date AAAA-MM-JJ" in err and err.startswith("usage : clea evaluate")


def test_nothing_is_written_on_error(tmp_path, base_facts):
    base_facts["organisme"]["siren"] = "bad"
    path = tmp_path / "faits.json"
    path.write_text(json.dumps(base_facts), encoding="utf-8")
    before = sorted(p.name for p in tmp_path.iterdir())
    clea("evaluate", str(path))
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_policy_validate_ok():
    code, out, _ = clea("policy", "validate")
    assert code == 0 and out.splitlines()[-2].startswith("ok : certifpro 2026.11 sha256:")


def test_policy_params_at_a_date():
    code, out, _ = clea("policy", "params", "--date", "2020-01-01", "--policy", "certifpro", "--format", "json")
    rows = {row["id"]: row for row in json.loads(out)["certifpro"]}
    assert code == 0
    assert rows["frais.instruction"]["valeur"] == "0.00"
    assert rows["recours.delai_depot"] == {"id": "recours.delai_depot", "titre": rows["recours.delai_depot"]["titre"],
                                           "valeur": 30, "unite": "jours_ouvres", "article": "III.7",
                                           "depuis": "2019-07-01"}
    code, out, _ = clea("policy", "params", "--date", "2026-01-01")
    assert code == 0 and "frais.instruction" in out and "300,00\u00a0€ HT" in out and "[A3]" in out


def _commands_importing(monkeypatch, failing: str, error: ImportError) -> None:
    """The command module `failing` raises `error` when imported (the others import as they are)."""
    import importlib

    import engine.cli.program

    real = importlib.import_module

    def import_module(name: str, package: str | None = None):
        if name == f"engine.cli.{failing}":
            raise error
        return real(name, package)

    monkeypatch.setattr(engine.cli.program.importlib, "import_module", import_module)


def test_a_command_needing_an_absent_extra_is_left_out(monkeypatch):
    """Without the service extra (pip install -e '.[service]'), `clea serve` is not offered; the rest works."""
    _commands_importing(monkeypatch, "serve", ModuleNotFoundError("No module named 'fastapi'", name="fastapi"))
    out, err = io.StringIO(), io.StringIO()
    assert run(["serve", "--help"], out, err) == 2
    assert "choix invalide : 'serve' (valeurs possibles : 'evaluate', 'test', 'policy', 'evaluate-batch', 'avis', " \
           "'account', 'log')" in err.getvalue()
    assert run(["policy", "validate", "--help"], io.StringIO(), io.StringIO()) == 0


@pytest.mark.parametrize("error", [
    ImportError("cannot import name 'avis_text' from 'engine.reports.avis'"),      # a maintainer's typo
    ModuleNotFoundError("No module named 'engine.reports.avs'", name="engine.reports.avs"),
])
def test_a_broken_command_module_shows_its_error(monkeypatch, error):
    """Only an absent optional extra hides a command: any other ImportError is the program's own bug, shown as it
    is, never turned into a missing command ("choix invalide")."""
    _commands_importing(monkeypatch, "avis", error)
    with pytest.raises(ImportError) as raised:
        run(["avis", "--help"], io.StringIO(), io.StringIO())
    assert raised.value is error
