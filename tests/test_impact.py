"""`clea policy impact`: the verdicts a board change alters, on many dossiers, before the vote.

The change (as in the README's board section): the instruction fee becomes 350 € for applications filed from
1 January 2027, and the notification delay 15 working days instead of 20 for meetings from that day.
A meeting on Monday 11 January 2027 must be followed by a notification within 20 working days: by Monday
8 February; within 15: by Monday 1 February (no holiday between; checked below on the calendar).
"""
from __future__ import annotations

import io
import json
import shutil
import subprocess
from datetime import date, timedelta
from pathlib import Path

import holidays
import pytest

from engine.batch import impact as impact_module
from engine.batch.impact import View, compare
from engine.cli import run
from engine.evaluation import run as run_module

FROZEN = Path(__file__).resolve().parent / "fixtures" / "policies"
SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"
FEE_LINE = '      - {depuis: 2020-02-25, valeur: "300.00"}\n'
NEW_FEE = '      - {depuis: 2027-01-01, valeur: "350.00"}\n'
DELAY_LINE = "    valeurs: [{depuis: 2019-07-01, valeur: 20}]\n"
NEW_DELAY = "    valeurs: [{depuis: 2019-07-01, valeur: 20}, {depuis: 2027-01-01, valeur: 15}]\n"
DAY = "2027-02-03"


def clea(*argv):
    out, err = io.StringIO(), io.StringIO()
    code = run([str(a) for a in argv], out, err)
    assert "Traceback" not in out.getvalue() + err.getvalue()
    return code, out.getvalue(), err.getvalue()


def working_days_after(start: date, count: int) -> date:
    france = holidays.France(years=[start.year, start.year + 1], language="fr")
    day = start
    while count:
        day += timedelta(days=1)
        count -= day.weekday() < 5 and day not in france
    return day


def test_the_dates_of_this_module_on_the_calendar():
    assert working_days_after(date(2027, 1, 11), 20) == date(2027, 2, 8)
    assert working_days_after(date(2027, 1, 11), 15) == date(2027, 2, 1)


def change_board(policies: Path) -> None:
    path = policies / "certifpro" / "parametres.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(FEE_LINE) == 1 and text.count(DELAY_LINE) == 1
    path.write_text(text.replace(FEE_LINE, FEE_LINE + NEW_FEE).replace(DELAY_LINE, NEW_DELAY), encoding="utf-8")


@pytest.fixture
def versions(tmp_path):
    """(old, new): two copies of the frozen policies, the new one with the board's change."""
    shutil.copytree(SCHEMAS, tmp_path / "schemas")
    old, new = tmp_path / "avant", tmp_path / "policies"
    shutil.copytree(FROZEN, old)
    shutil.copytree(FROZEN, new)
    change_board(new)
    return old, new


@pytest.fixture
def dossiers(tmp_path, base_facts):
    def facts(*events):
        return json.dumps({**base_facts, "evenements": list(events)}, ensure_ascii=False)

    lines = [
        facts({"type": "demande_deposee", "date": "2026-12-01"}),                                   # unchanged
        facts({"type": "demande_deposee", "date": "2026-12-14"},                                   # the delay
              {"type": "reunion_instance", "date": "2027-01-11"}),
        facts({"type": "demande_deposee", "date": "2027-01-11"}),                                   # the fee
        json.dumps({**base_facts, "organisme": {**base_facts["organisme"], "siren": "123456789"}}),  # invalid
    ]
    path = tmp_path / "dossiers.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_the_changed_fees_and_deadlines_per_dossier_then_a_summary(versions, dossiers):
    old, new = versions
    code, out, err = clea("policy", "impact", old, new, "--dossiers", dossiers, "--date", DAY, "--format", "json",
                          "--jobs", "1")
    assert code == 0, err
    report = json.loads(out)
    assert (report["avant"], report["apres"], report["date"]) == (str(old), str(new), DAY)
    by_line = {d["ligne"]: d for d in report["dossiers"]}
    assert sorted(by_line) == [2, 3, 4]
    deadline = {c["type"]: c for c in by_line[2]["changements"]}
    assert deadline["action.echeance"]["id"] == "notifier_decision"
    assert deadline["action.echeance"]["depuis"] == {"evenement": "reunion_instance", "date": "2027-01-11"}
    assert (deadline["action.echeance"]["avant"], deadline["action.echeance"]["apres"]) == ("2027-02-08", "2027-02-01")
    assert (deadline["action.etat"]["avant"], deadline["action.etat"]["apres"]) == ("a_faire", "en_retard")
    assert by_line[3]["changements"] == [{"type": "frais.montant", "id": "frais_instruction", "echeance": "2027-01-11",
                                          "unite": "€ HT", "avant": "300.00", "apres": "350.00"}]
    assert by_line[4]["nature"] == "invalide" and by_line[4]["erreurs"][0]["chemin"] == "organisme.siren"
    summary = report["resume"]
    assert (summary["dossiers"], summary["changes"], summary["inchanges"], summary["invalides"]) == (4, 2, 1, 1)
    assert summary["par_type"]["frais.montant"] == {"dossiers": 1, "changements": 1}
    assert summary["par_type"]["action.echeance"] == {"dossiers": 1, "changements": 1}


def test_the_text_a_board_reads(versions, dossiers):
    old, new = versions
    code, out, _ = clea("policy", "impact", old, new, "--dossiers", dossiers, "--date", DAY, "--jobs", "1")
    assert code == 0
    assert "ligne 3 — 732829320 Atelier Numérique Exemple SAS\n  frais frais_instruction dû le 11/01/2027 : " \
           "300,00\u00a0€ HT → 350,00\u00a0€ HT\n" in out
    assert "  action notifier_decision (depuis reunion_instance du 11/01/2027), echeance : 08/02/2027 → 01/02/2027" in out
    assert f"Impact de {old} → {new}, au 03/02/2027 : 4 dossiers évalués" in out
    assert "2 dossiers changent, 1 inchangés, 1 invalides sous les deux versions" in out
    assert out.rstrip().splitlines()[-1].split() == ["frais.montant", "1", "1"]


def test_on_all_cores_in_input_order(versions, dossiers, tmp_path):
    old, new = versions
    fee_line = dossiers.read_text(encoding="utf-8").splitlines()[2]
    many = tmp_path / "many.jsonl"
    many.write_text("".join(f"{fee_line}\n" for _ in range(120)), encoding="utf-8")
    code, out, err = clea("policy", "impact", old, new, "--dossiers", many, "--date", DAY, "--format", "json",
                          "--jobs", "2")
    assert code == 0, err
    report = json.loads(out)
    assert [d["ligne"] for d in report["dossiers"]] == list(range(1, 121))
    assert report["resume"]["changes"] == 120


def test_against_the_last_commit(tmp_path, dossiers):
    """`clea policy impact HEAD`: the committed policies (with the schema they name, as of that commit) against
    the folder on disk with the board's uncommitted change."""
    repo = tmp_path / "repo"
    shutil.copytree(FROZEN / "certifpro", repo / "policies" / "certifpro", ignore=shutil.ignore_patterns("tests"))
    shutil.copytree(SCHEMAS, repo / "schemas")
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run(git[:3] + ["init", "-q"], check=True)
    subprocess.run(git + ["add", "."], check=True)
    subprocess.run(git + ["commit", "-qm", "v1"], check=True)
    change_board(repo / "policies")
    code, out, err = clea("policy", "impact", "HEAD", "--policies", repo / "policies", "--dossiers", dossiers,
                          "--date", DAY, "--jobs", "1")
    assert code == 0, err
    assert "frais frais_instruction dû le 11/01/2027 : 300,00\u00a0€ HT → 350,00\u00a0€ HT" in out
    assert "Impact de HEAD → la version sur disque" in out


def test_errors(versions, dossiers, tmp_path):
    old, new = versions
    code, _, err = clea("policy", "impact", tmp_path / "nowhere", new, "--dossiers", dossiers)
    assert code == 2 and "AVANT" in err
    code, _, err = clea("policy", "impact", old, new, "--dossiers", tmp_path / "none.jsonl")
    assert code == 2 and "--dossiers: aucun fichier de ce nom" in err
    (new / "certifpro" / "statuts.yaml").write_text("valeurs: [\n", encoding="utf-8")
    code, _, err = clea("policy", "impact", old, new, "--dossiers", dossiers)
    assert code == 3 and "statuts.yaml" in err and "APRES: cette version des politiques est invalide" in err


def test_what_compare_reports():
    def verdict(**parts):
        return {"statut": "habilite", "habilitation": {"debut": "2024-01-15", "fin": "2027-01-14", "renouvelee": False},
                "actions": [], "frais": [], "constats": [], "criteres": [{"id": "accompagnement", "satisfait": True}],
                "verdict": {"conforme": True}, "avis_propose": {"sens": "favorable"}, **parts}

    action = {"id": "declarer_changement", "echeance": "2026-05-01", "etat": "a_faire",
              "depuis": {"evenement": "changement_situation", "date": "2026-04-01"}}
    before = verdict(actions=[action])
    after = verdict(statut="retire", habilitation={"debut": "2024-01-15", "fin": "2026-05-29", "renouvelee": False},
                    constats=[{"id": "changement_declare_en_retard"}],
                    criteres=[{"id": "accompagnement", "satisfait": False}], verdict={"conforme": False},
                    avis_propose={"sens": "defavorable"}, frais=[{"id": "frais_gestion_annuels", "echeance": "2025-01-15",
                                                                  "montant_ht": "60.00"}])
    view = View("habilitation", {"montant_ht": "€ HT"})
    kinds = [(c["type"], c["avant"], c["apres"]) for c in compare(before, after, view)]
    assert kinds == [
        ("statut", "habilite", "retire"), ("habilitation.fin", "2027-01-14", "2026-05-29"),
        ("action.retiree", "2026-05-01", None), ("frais.ajoute", None, "60.00"),
        ("constat.ajoute", 0, 1), ("critere.satisfait", True, False), ("conforme", True, False),
        ("avis_propose.sens", "favorable", "defavorable")]
    assert compare(before, before, view) == []


def test_facts_the_new_version_refuses(versions, dossiers):
    """The new version reads the facts differently (here, it covers years up to 2026 only): each dossier valid
    before and refused after is reported, with the problem."""
    old, new = versions
    calendar = new / "certifpro" / "calendrier.yaml"
    calendar.write_text(calendar.read_text(encoding="utf-8").replace("fin: 2045}", "fin: 2026}"), encoding="utf-8")
    code, out, err = clea("policy", "impact", old, new, "--dossiers", dossiers, "--date", DAY, "--jobs", "1")
    assert code == 0, err
    assert "ligne 1 — 732829320 Atelier Numérique Exemple SAS\n  faits : valide → invalide (date: 2027-02-03 : hors " \
           "des années" in out
    assert out.rstrip().splitlines()[-1].split() == ["validite", "3", "3"]


REMOTE_ONLY = ("      si: {chemin: demande.partie_technique.modalites, contient_un_de: [distanciel_partiel, "
               "distanciel_total]}\n")


def require_remote_part_always(policies: Path) -> None:
    """A change of the dossier checks (made up for the test): the part on remote evaluation (Annexe 2) required of
    every application, not only of those that propose it. The dossiers here propose none and lack it."""
    path = policies / "certifpro" / "dossier.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(REMOTE_ONLY) == 1
    path.write_text(text.replace(REMOTE_ONLY, ""), encoding="utf-8")


def _counting_dossier_checks(monkeypatch) -> dict:
    """How many times the dossier checks ran, by whom: the impact itself (once for both versions) or each evaluation."""
    counts = {"impact": 0, "evaluation": 0}
    for module, who in ((impact_module, "impact"), (run_module, "evaluation")):
        original = module.check_dossier

        def counted(*args, _original=original, _who=who, **kwargs):
            counts[_who] += 1
            return _original(*args, **kwargs)
        monkeypatch.setattr(module, "check_dossier", counted)
    return counts


def test_the_dossier_checks_run_once_when_both_versions_share_them(versions, dossiers, monkeypatch):
    """The board's change touches parameters only: the dossier checks of the 3 valid dossiers run once each, for
    both evaluations, and the report is the one of the first test."""
    old, new = versions
    counts = _counting_dossier_checks(monkeypatch)
    code, out, err = clea("policy", "impact", old, new, "--dossiers", dossiers, "--date", DAY, "--format", "json",
                          "--jobs", "1")
    assert code == 0, err
    assert counts == {"impact": 3, "evaluation": 0}
    assert json.loads(out)["resume"]["changes"] == 2


def test_a_change_of_the_dossier_checks_is_evaluated_under_each_version(tmp_path, dossiers, monkeypatch):
    """The three valid applications are under instruction on 3 February 2027 (filed on 1 December 2026, 14 December
    2026 with a meeting on 11 January 2027, 11 January 2027; no decision): each lacks the part the new version
    requires, so each becomes incomplete. The checks differ: each evaluation runs its own."""
    shutil.copytree(SCHEMAS, tmp_path / "schemas")
    old, new = tmp_path / "avant", tmp_path / "policies"
    shutil.copytree(FROZEN, old)
    shutil.copytree(FROZEN, new)
    require_remote_part_always(new)
    counts = _counting_dossier_checks(monkeypatch)
    code, out, err = clea("policy", "impact", old, new, "--dossiers", dossiers, "--date", DAY, "--format", "json",
                          "--jobs", "1")
    assert code == 0, err
    assert counts == {"impact": 0, "evaluation": 6}
    report = json.loads(out)
    added = {d["ligne"]: [c for c in d["changements"] if c["type"] == "constat.ajoute"] for d in report["dossiers"]
             if "changements" in d}
    assert added == {line: [{"type": "constat.ajoute", "id": "dossier_incomplet", "avant": 0, "apres": 1}]
                     for line in (1, 2, 3)}


def _counting_rounds(monkeypatch) -> list:
    """Each evaluation whose rules run (its policy's id)."""
    ran: list = []
    original = run_module.Evaluation.verdict

    def counted(self):
        ran.append(self.policy.id)
        return original(self)
    monkeypatch.setattr(run_module.Evaluation, "verdict", counted)
    return ran


def _fee_change_only(tmp_path) -> tuple[Path, Path]:
    shutil.copytree(SCHEMAS, tmp_path / "schemas")
    old, new = tmp_path / "avant", tmp_path / "policies"
    shutil.copytree(FROZEN, old)
    shutil.copytree(FROZEN, new)
    path = new / "certifpro" / "parametres.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(FEE_LINE, FEE_LINE + NEW_FEE), encoding="utf-8")
    return old, new


def test_a_change_of_fees_alone_runs_the_rules_once_and_prices_what_they_charged_again(tmp_path, dossiers,
                                                                                        monkeypatch):
    """Only the instruction fee changes (350 € from 1 January 2027): the rules of the 3 valid dossiers run once each,
    and the report is the one both versions evaluated would give. The application filed on 11 January 2027 (after
    the new amount applies) pays 350 €; the one filed on 14 December 2026 (before) is unchanged, and so is its
    notification deadline (the delay did not change)."""
    old, new = _fee_change_only(tmp_path)
    ran = _counting_rounds(monkeypatch)
    command = ("policy", "impact", old, new, "--dossiers", dossiers, "--date", DAY, "--format", "json", "--jobs", "1")
    code, out, err = clea(*command)
    assert code == 0, err
    assert ran == ["certifpro"] * 3
    report = json.loads(out)
    assert [d["ligne"] for d in report["dossiers"]] == [3, 4]
    assert report["dossiers"][0]["changements"] == [{"type": "frais.montant", "id": "frais_instruction",
                                                     "echeance": "2027-01-11", "unite": "€ HT", "avant": "300.00",
                                                     "apres": "350.00"}]
    monkeypatch.setattr(impact_module.VersionsAlike, "fees_only", lambda self, first, second: False)
    ran.clear()
    code, evaluated_twice, err = clea(*command)
    assert code == 0, err
    assert ran == ["certifpro"] * 6
    assert evaluated_twice == out


def test_a_change_of_a_delay_runs_the_rules_under_each_version(versions, dossiers, monkeypatch):
    """The board's change also shortens a delay (a parameter in working days): the rules run under each version."""
    old, new = versions
    ran = _counting_rounds(monkeypatch)
    code, out, err = clea("policy", "impact", old, new, "--dossiers", dossiers, "--date", DAY, "--format", "json",
                          "--jobs", "1")
    assert code == 0, err
    assert ran == ["certifpro"] * 6
    assert json.loads(out)["resume"]["changes"] == 2
