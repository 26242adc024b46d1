"""`clea avis`: the drafted avis as a French text; when unfavourable, the right of recourse (III.4) and its deadline
as a date: 30 working days from the notification of the refusal (III.7), on the candidate's calendar."""
from __future__ import annotations

import io
import json

import pytest

from engine.cli import run

# II's criteria, as the policy titles them (the regulation's words)
INTERVENANTS = ("Disposer d'intervenants qualifiés pour évaluer, ayant une connaissance avérée des domaines qu'ils "
                "évaluent et compétents, le cas échéant, pour les modalités d'évaluation à distance")
COUVERTURE = ("Mettre en œuvre une démarche, des outils et modalités d'évaluation adaptés aux publics cibles couvrant "
              "totalement les 4 domaines du Référentiel, présentés de façon détaillée et illustrée")
ACCOMPAGNEMENT = "Proposer un accompagnement technique et pédagogique à chaque candidat en fonction de son niveau d'autonomie"
FORMATION = ("Être en mesure de proposer, en tant que de besoin, des actions de formation préparant aux épreuves selon "
             "une méthodologie rigoureuse")
ASSURANCE_QUALITE = "Justifier de la mise en œuvre d'une démarche d'assurance qualité"


def avis(tmp_path, facts, *options):
    path = tmp_path / "faits.json"
    path.write_text(json.dumps(facts, ensure_ascii=False), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    code = run(["avis", str(path), *options], out, err)
    return code, out.getvalue(), err.getvalue()


def refused(facts):
    """Three criteria not met: no CV, domain 3 not covered, no quality approach."""
    facts["organisme"]["intervenants"][0]["cv"] = False
    facts["demande"]["partie_technique"]["domaines_couverts"] = [1, 2, 4]
    facts["demande"]["partie_technique"]["demarche_qualite"] = None
    return facts


def test_refusal_names_each_failed_criterion_and_the_recourse_deadline(tmp_path, base_facts):
    code, text, err = avis(tmp_path, refused(base_facts), "--date", "2026-02-20", "--notification", "2026-03-02")
    assert code == 0, err
    assert "Sens proposé : DÉFAVORABLE" in text
    failed, _, met = text.partition("Critères satisfaits (2) :")
    for criterion in (INTERVENANTS, COUVERTURE, ASSURANCE_QUALITE):
        assert f"  - {criterion} (II)\n" in failed
    for criterion in (ACCOMPAGNEMENT, FORMATION):
        assert f"  - {criterion} (II)\n" in met and criterion not in failed
    for identifier in ("intervenants_qualifies", "couverture_referentiel", "assurance_qualite", "accompagnement",
                       "formation_preparatoire"):
        assert f", {identifier}]" not in text
    assert "Le CV de l'évaluateur E1 n'est pas fourni" in failed
    assert "ne couvre pas le(s) domaine(s) 3" in failed
    # Monday 2 March 2026 + 30 working days, Easter Monday (6 April) skipped = Tuesday 14 April 2026
    assert "au plus tard le mardi 14 avril 2026" in text
    assert "Date limite de réception du recours : 14/04/2026 (notification le 02/03/2026" in text
    assert "(III.4, III.7)" in text


def test_recourse_counted_from_the_evaluation_date_by_default(tmp_path, base_facts):
    code, text, _ = avis(tmp_path, refused(base_facts), "--date", "2026-03-02")
    assert code == 0 and "Date limite de réception du recours : 14/04/2026" in text


def test_recourse_counted_from_a_refusal_already_notified(tmp_path, base_facts):
    base_facts = refused(base_facts)
    base_facts["evenements"] = [{"type": "demande_deposee", "date": "2026-01-12"},
                                {"type": "decision_notifiee", "date": "2026-03-02", "decision": "refus"}]
    code, text, _ = avis(tmp_path, base_facts, "--date", "2026-03-10")
    assert code == 0 and "Date limite de réception du recours : 14/04/2026 (notification le 02/03/2026" in text


def test_recourse_deadline_on_the_candidates_calendar(tmp_path, base_facts):
    """In Alsace-Moselle Good Friday (3 April 2026) is a holiday too: one working day later, 15 April."""
    base_facts = refused(base_facts)
    base_facts["organisme"]["territoire"] = "alsace-moselle"
    code, out, _ = avis(tmp_path, base_facts, "--date", "2026-02-20", "--notification", "2026-03-02", "--format", "json")
    assert code == 0
    recourse = json.loads(out)["recours"]
    assert (recourse["notification"], recourse["echeance"], recourse["delai"], recourse["article"]) == \
        ("2026-03-02", "2026-04-15", "30 jours ouvrés", "III.7")


def test_favourable_avis_has_no_recourse(tmp_path, base_facts):
    code, text, _ = avis(tmp_path, base_facts, "--date", "2026-02-20")
    assert code == 0
    assert "Sens proposé : FAVORABLE" in text and "Critères satisfaits (5) :" in text
    assert "recours" not in text.lower()
    code, out, _ = avis(tmp_path, base_facts, "--date", "2026-02-20", "--format", "json")
    assert code == 0, out
    assert json.loads(out)["recours"] is None and json.loads(out)["avis_propose"]["sens"] == "favorable"


def test_findings_and_missing_parts_are_shown_for_the_instructor(tmp_path, base_facts):
    base_facts["organisme"]["etablissements"].append({"siret": "55210055400013", "activite_clea": True})
    base_facts["demande"]["perimetre"]["geographique"] = None
    code, text, _ = avis(tmp_path, base_facts, "--date", "2026-02-20")
    assert code == 0
    assert "Complétude du dossier : INCOMPLET (1 pièce(s) manquante(s))" in text
    assert "  - Périmètre géographique de l'habilitation sollicitée (III.1)\n" in text
    assert "demande.perimetre" not in text
    assert "  - Manquement (III.1) : L'établissement de SIRET 55210055400013" in text


def test_the_avis_names_the_policy_and_the_instance_by_their_title(tmp_path, base_facts):
    code, text, _ = avis(tmp_path, base_facts, "--date", "2026-02-20")
    assert code == 0
    assert text.startswith("PROJET D'AVIS\nCandidat : ")
    assert "Avis préparé le vendredi 20 février 2026\n" in text     # 20/02/2026 is a Friday
    assert "Règlement appliqué : Règlement d'habilitation CléA numérique — Certif'Pro, version " in text
    assert "certifpro" not in text


@pytest.mark.parametrize("facts_change, options, path", [
    (lambda f: f["organisme"].update(siren="732829321"), [], "organisme.siren"),
    (lambda f: f["organisme"]["etablissements"][0].update(siret="73282932000018"), [],
     "organisme.etablissements[0].siret"),
    (lambda f: None, ["--notification", "2026-02-30"], "--notification"),
])
def test_bad_input_exits_2_naming_the_field(tmp_path, base_facts, facts_change, options, path):
    facts_change(base_facts)
    code, out, err = avis(tmp_path, base_facts, "--date", "2026-02-20", *options)
    assert code == 2 and out == ""
    assert path in err and "Traceback" not in err


def test_broken_policy_exits_3(tmp_path, base_facts):
    broken = tmp_path / "politiques" / "certifpro"
    broken.mkdir(parents=True)
    (broken / "politique.yaml").write_text("id: [\n", encoding="utf-8")
    code, _, err = avis(tmp_path, base_facts, "--policies", str(tmp_path / "politiques"))
    assert code == 3 and "Traceback" not in err


@pytest.mark.parametrize("notification", ["2099-01-01", "2010-12-20"])
def test_a_notification_outside_the_policys_years_is_an_argument_error(tmp_path, base_facts, notification):
    code, text, err = avis(tmp_path, refused(base_facts), "--date", "2026-02-20", "--notification", notification)
    assert (code, text) == (2, "")
    assert err == f"--notification: {notification} est hors des années que couvre la politique certifpro (2015–2045)\n"


def test_a_deadline_past_the_calendar_is_an_argument_error_not_a_traceback(tmp_path, base_facts):
    # 20/12/2045 + 30 working days falls in 2046, past the calendar the policy builds
    code, text, err = avis(tmp_path, refused(base_facts), "--date", "2026-02-20", "--notification", "2045-12-20")
    assert (code, text) == (2, "") and err.startswith("--notification: le délai à indiquer ne peut être compté")
    assert "Traceback" not in err


def test_the_recourse_section_never_vanishes_before_the_delay_was_in_force(tmp_path, base_facts):
    """A notification before the regulation's delay took effect (1 July 2019): the section says so."""
    code, text, _ = avis(tmp_path, refused(base_facts), "--date", "2026-02-20", "--notification", "2018-12-20")
    assert code == 0
    section = text[text.index("Voies et délais de recours (III.7) :"):]
    assert "Aucun délai n'est en vigueur pour une notification le jeudi 20 décembre 2018" in section
    assert "lundi 1er juillet 2019" in section
