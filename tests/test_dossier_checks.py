"""Dossier checks of the Certif'Pro policy (dossier.yaml): completeness (III.1, III.3), the five criteria of II,
the findings of III.1, IV.1 and Annex 2, and SIREN/SIRET input checks. Each test changes one thing in a
well-formed dossier (conftest.base_facts) and asserts what the regulation says about it."""
from __future__ import annotations

import copy
import shutil
from datetime import date
from pathlib import Path

import pytest

from engine import FactsError, PolicyError, evaluate, load_policies
from engine.evaluation import evaluate_checked
from engine.evaluation.dossier import check_dossier
from engine.policy.conditions.language import MISSING, Resolver, parse_condition, parse_path, resolve, violations

ROOT = Path(__file__).resolve().parent.parent
CRITERIA = ["intervenants_qualifies", "couverture_referentiel", "accompagnement", "formation_preparatoire",
            "assurance_qualite"]
DAY = "2026-02-02"


def run(policies, facts, day=DAY):
    return evaluate(facts, day, policies=policies)


def criteria(verdict):
    return {c["id"]: c for c in verdict["criteres"]}


def finding_ids(verdict):
    return [f["id"] for f in verdict["constats"]]


def technical(facts):
    return facts["demande"]["partie_technique"]


def distance(facts, *modalities, **grounds):
    technical(facts)["modalites"] = ["presentiel", *modalities]
    technical(facts)["distanciel"] = {"accompagnement_renforce": True, "faisabilite_prealable": True,
                                      "phases_synchrones": True, "motif_exceptionnel": None,
                                      "controle_identite": True, "tracabilite": True, **grounds}
    for person in facts["organisme"]["intervenants"]:
        person["distanciel"] = True


# --- the well-formed dossier: every criterion met, complete, no finding ------------------------------------
def test_a_complete_dossier_meets_the_five_criteria(policies, base_facts):
    verdict = run(policies, base_facts)
    assert [c["id"] for c in verdict["criteres"]] == CRITERIA
    for criterion in verdict["criteres"]:
        assert (criterion["article"], criterion["satisfait"], criterion["motifs"]) == ("II", True, [])
        assert criterion["regle"] == f"criteres.{criterion['id']}"
    assert verdict["completude"] == {"complet": True, "manquants": [], "en_instruction": True}
    assert verdict["constats"] == []
    assert verdict["avis_propose"]["sens"] == "favorable"
    assert verdict["verdict"]["conforme"] is True


# --- each criterion met and not met ------------------------------------------------------------------------
def _evaluator_without_cv(facts):
    facts["organisme"]["intervenants"][0]["cv"] = False


def _domains_not_covered(facts):
    technical(facts)["domaines_couverts"] = [1, 2, 4]


def _no_support(facts):
    technical(facts)["accompagnement"] = False


def _no_training(facts):
    del technical(facts)["formation_preparatoire"]


def _no_quality(facts):
    technical(facts)["demarche_qualite"] = None


NOT_MET = {
    "intervenants_qualifies": (_evaluator_without_cv, "CV de l'évaluateur E1"),
    "couverture_referentiel": (_domains_not_covered, "domaine(s) 3"),
    "accompagnement": (_no_support, "accompagnement technique et pédagogique"),
    "formation_preparatoire": (_no_training, "formation préparant aux épreuves"),
    "assurance_qualite": (_no_quality, "assurance qualité"),
}


@pytest.mark.parametrize("criterion", CRITERIA)
def test_criterion_met(policies, base_facts, criterion):
    found = criteria(run(policies, base_facts))[criterion]
    assert found["satisfait"] is True and found["motifs"] == []


@pytest.mark.parametrize("criterion", CRITERIA)
def test_criterion_not_met(policies, base_facts, criterion):
    breaks, words = NOT_MET[criterion]
    breaks(base_facts)
    verdict = run(policies, base_facts)
    found = criteria(verdict)
    assert found[criterion]["satisfait"] is False
    (motif,) = found[criterion]["motifs"]
    assert words in motif and "(II" in motif
    # the criteria are independent: only this one fails
    assert [c for c in CRITERIA if found[c]["satisfait"] is not True] == [criterion]
    assert verdict["avis_propose"] == {"sens": "defavorable", "motifs": [motif]}


def test_evaluators_must_together_cover_the_four_domains(policies, base_facts):
    base_facts["organisme"]["intervenants"][0]["domaines"] = [1, 2]
    base_facts["organisme"]["intervenants"].append(
        {"id": "E2", "roles": ["evaluateur"], "cv": True, "statut": "independant", "domaines": [3]})
    found = criteria(run(policies, base_facts))["intervenants_qualifies"]
    assert found["satisfait"] is False
    assert found["motifs"] == [("Aucun évaluateur ne couvre le(s) domaine(s) 4 du Référentiel "
                               "(II : connaissance avérée du ou des domaines évalués).")]
    base_facts["organisme"]["intervenants"][2]["domaines"] = [3, 4]
    assert criteria(run(policies, base_facts))["intervenants_qualifies"]["satisfait"] is True


def test_a_trainer_is_not_an_evaluator(policies, base_facts):
    """F1 (trainer only) has no legal status: that does not matter for the evaluators' criterion."""
    del base_facts["organisme"]["intervenants"][1]["statut"]
    assert criteria(run(policies, base_facts))["intervenants_qualifies"]["satisfait"] is True
    base_facts["organisme"]["intervenants"] = base_facts["organisme"]["intervenants"][1:]
    found = criteria(run(policies, base_facts))["intervenants_qualifies"]
    assert found["satisfait"] is False and "Aucun intervenant n'est désigné comme évaluateur" in found["motifs"][0]


def test_evaluator_without_status_or_domains(policies, base_facts):
    evaluator = base_facts["organisme"]["intervenants"][0]
    del evaluator["statut"], evaluator["domaines"]
    motifs = criteria(run(policies, base_facts))["intervenants_qualifies"]["motifs"]
    assert any("statut juridique de l'évaluateur E1" in m for m in motifs)
    assert any("domaines du Référentiel que l'évaluateur E1" in m for m in motifs)
    assert any("domaine(s) 1, 2, 3, 4" in m for m in motifs)


def test_distance_modality_needs_evaluators_competent_for_it(policies, base_facts):
    distance(base_facts, "distanciel_partiel")
    assert criteria(run(policies, base_facts))["intervenants_qualifies"]["satisfait"] is True
    base_facts["organisme"]["intervenants"][0]["distanciel"] = False
    found = criteria(run(policies, base_facts))["intervenants_qualifies"]
    assert found["satisfait"] is False
    assert found["motifs"] == [("Une évaluation à distance est proposée mais l'évaluateur E1 n'est pas déclaré "
                               "compétent pour les modalités d'évaluation distancielles (II).")]


def test_in_person_only_needs_no_distance_competence(policies, base_facts):
    assert base_facts["organisme"]["intervenants"][0]["distanciel"] is False
    assert criteria(run(policies, base_facts))["intervenants_qualifies"]["satisfait"] is True


def test_presentation_must_be_detailed_and_illustrated(policies, base_facts):
    technical(base_facts)["presentation"] = {"definition": True, "schemas": False}
    found = criteria(run(policies, base_facts))["couverture_referentiel"]
    assert found["satisfait"] is False
    assert [("schémas" in m, "exemples" in m) for m in found["motifs"]] == [(True, False), (False, True)]


def test_without_technical_part_criteria_cannot_be_judged(policies, base_facts):
    del base_facts["demande"]["partie_technique"]
    verdict = run(policies, base_facts)
    found = criteria(verdict)
    for criterion in CRITERIA[1:]:
        assert found[criterion]["satisfait"] is None
        assert "ne peut être apprécié" in found[criterion]["motifs"][0]
    assert found["intervenants_qualifies"]["satisfait"] is True
    assert verdict["avis_propose"]["sens"] == "defavorable"
    assert [m["chemin"] for m in verdict["completude"]["manquants"]] == ["demande.partie_technique.modalites"]


# --- completeness (III.1, III.3) -----------------------------------------------------------------------------
def test_missing_parts_are_listed_with_path_and_article_and_read_by_their_title(policies, base_facts):
    """`manquants` keeps the facts' paths for other systems; the finding's message, read by a person, names each
    part by its title and article (issue 25: no internal code in a text a person reads)."""
    base_facts["demande"]["partie_administrative"] = {}
    base_facts["organisme"]["etablissements"] = [dict(e, activite_clea=False)
                                                 for e in base_facts["organisme"]["etablissements"]]
    base_facts["demande"]["perimetre"]["geographique"] = None
    verdict = run(policies, base_facts)
    assert verdict["completude"]["complet"] is False
    assert [(m["chemin"], m["article"]) for m in verdict["completude"]["manquants"]] == [
        ("demande.partie_administrative.situation_juridique", "III.1"),
        ("organisme.etablissements[activite_clea=true]", "III.1"),
        ("demande.perimetre.geographique", "III.1"),
    ]
    (finding,) = [f for f in verdict["constats"] if f["id"] == "dossier_incomplet"]
    assert finding["article"] == "III.3" and "demande." not in finding["message"]
    assert finding["message"].endswith(
        " : Partie administrative — situation juridique du candidat (III.1) ; Liste exhaustive des établissements et "
        "des sites ayant une activité CléA numérique (III.1) ; Périmètre géographique de l'habilitation sollicitée "
        "(III.1).")
    assert verdict["verdict"]["conforme"] is False


def test_no_intervenants_is_a_missing_part(policies, base_facts):
    del base_facts["organisme"]["intervenants"]
    verdict = run(policies, base_facts)
    assert [m["id"] for m in verdict["completude"]["manquants"]] == ["liste_intervenants"]
    assert criteria(verdict)["intervenants_qualifies"]["satisfait"] is None


def _actions(verdict):
    return {a["id"]: a for a in verdict["actions"] if a["id"] in ("demander_complements", "fournir_complements")}


def test_incomplete_application_the_instance_may_request_complements(policies, base_facts):
    base_facts["demande"]["perimetre"]["geographique"] = None
    base_facts["evenements"] = [{"type": "demande_deposee", "date": "2026-01-12"}]
    actions = _actions(run(policies, base_facts, "2026-02-02"))
    assert list(actions) == ["demander_complements"]
    request = actions["demander_complements"]
    # III.3 sets no deadline for it: due, never late, and no made-up due date (not the evaluation date)
    assert (request["acteur"], request["nature"], request["etat"], request["echeance"], request["article"]) == \
        ("instance", "faculte", "a_faire", None, "III.3")
    assert "dans_les_delais" not in request
    later = _actions(run(policies, base_facts, "2026-09-30"))["demander_complements"]
    assert (later["echeance"], later["etat"]) == (None, "a_faire")


def test_once_requested_the_candidate_provides_the_complements(policies, base_facts):
    base_facts["demande"]["perimetre"]["geographique"] = None
    base_facts["evenements"] = [{"type": "demande_deposee", "date": "2026-01-12"},
                                {"type": "complement_demande", "date": "2026-01-20"}]
    actions = _actions(run(policies, base_facts, "2026-02-02"))
    assert (actions["demander_complements"]["etat"], actions["demander_complements"]["accomplie_le"]) == \
        ("accomplie", "2026-01-20")
    provide = actions["fournir_complements"]
    assert (provide["acteur"], provide["etat"], provide["regle"]) == ("candidat", "a_faire", "completude.apport_complements")
    base_facts["evenements"].append({"type": "complement_recu", "date": "2026-01-28"})
    provide = _actions(run(policies, base_facts, "2026-02-02"))["fournir_complements"]
    assert (provide["etat"], provide["accomplie_le"]) == ("accomplie", "2026-01-28")


def test_no_request_for_complements_once_decided_or_when_complete(policies, base_facts):
    base_facts["evenements"] = [{"type": "demande_deposee", "date": "2026-01-12"}]
    assert _actions(run(policies, base_facts)) == {}
    base_facts["demande"]["perimetre"]["geographique"] = None
    base_facts["evenements"].append({"type": "decision_notifiee", "date": "2026-01-30", "decision": "refus"})
    assert _actions(run(policies, base_facts)) == {}
    # a request made for an earlier application does not count for the new one
    base_facts["evenements"] = [{"type": "complement_demande", "date": "2025-06-02"},
                                {"type": "demande_deposee", "date": "2026-01-12"}]
    actions = _actions(run(policies, base_facts))
    assert list(actions) == ["demander_complements"] and actions["demander_complements"]["etat"] == "a_faire"


# --- findings ----------------------------------------------------------------------------------------------
def test_establishment_outside_the_siren(policies, base_facts):
    base_facts["organisme"]["etablissements"].append({"siret": "55210055400013", "activite_clea": True})
    verdict = run(policies, base_facts)
    (finding,) = verdict["constats"]
    assert (finding["id"], finding["article"], finding["regle"]) == \
        ("etablissement_hors_siren", "III.1", "controles.etablissements_meme_siren")
    assert "55210055400013" in finding["message"] and "organisme.etablissements[2].siret" in finding["message"]


def test_mandate_document_missing(policies, base_facts):
    base_facts["mandataire"] = {"nom": "Réseau Exemple", "justificatif_mandat": False, "candidats": ["732829320"]}
    verdict = run(policies, base_facts)
    assert sorted(finding_ids(verdict)) == ["dossier_incomplet", "mandat_manquant"]
    assert [m["chemin"] for m in verdict["completude"]["manquants"]] == ["mandataire.justificatif_mandat"]
    [missing] = [f["message"] for f in verdict["constats"] if f["id"] == "mandat_manquant"]
    assert missing == "Demande présentée par un mandataire sans le document justificatif du mandat (III.1)."
    base_facts["mandataire"]["justificatif_mandat"] = True
    assert finding_ids(run(policies, base_facts)) == []


def test_mandataire_grouping_candidates_of_different_siren_is_accepted(policies, base_facts):
    """III.1: several candidates with different SIREN may charge one mandataire: not a finding."""
    base_facts["mandataire"] = {"nom": "Réseau Exemple", "justificatif_mandat": True,
                                "candidats": ["732829320", "552100554", "356000000"]}
    verdict = run(policies, base_facts)
    assert verdict["constats"] == []
    assert verdict["completude"]["complet"] is True


def test_evaluator_who_trains_the_same_person(policies, base_facts):
    base_facts["beneficiaires"] = [{"id": "P1", "evaluateurs": ["E1"], "formateurs": ["F1"]},
                                   {"id": "P2", "evaluateurs": ["F1"], "formateurs": ["E1"]},
                                   {"id": "P3", "evaluateurs": ["E1", "F1"], "formateurs": ["F1"]}]
    verdict = run(policies, base_facts)
    (finding,) = verdict["constats"]
    assert (finding["id"], finding["article"]) == ("evaluateur_formateur", "IV.1")
    assert "F1" in finding["message"] and "P3" in finding["message"]


def test_full_distance_needs_exceptional_grounds(policies, base_facts):
    distance(base_facts, "distanciel_total")
    assert finding_ids(run(policies, base_facts)) == ["distanciel_total"]
    technical(base_facts)["distanciel"]["motif_exceptionnel"] = "Public éloigné (îles du Ponant)"
    assert finding_ids(run(policies, base_facts)) == []


def test_partial_distance_needs_no_exceptional_grounds(policies, base_facts):
    distance(base_facts, "distanciel_partiel")
    assert finding_ids(run(policies, base_facts)) == []


@pytest.mark.parametrize("field, finding", [("controle_identite", "distanciel_sans_controle_identite"),
                                            ("tracabilite", "distanciel_sans_tracabilite")])
def test_distance_evaluation_needs_identity_control_and_traceability(policies, base_facts, field, finding):
    distance(base_facts, "distanciel_partiel", **{field: False})
    verdict = run(policies, base_facts)
    assert [(f["id"], f["article"]) for f in verdict["constats"]] == [(finding, "A2")]
    del technical(base_facts)["distanciel"]
    assert sorted(finding_ids(run(policies, base_facts))) == [
        "distanciel_non_conforme", "distanciel_non_conforme", "distanciel_non_conforme",
        "distanciel_sans_controle_identite", "distanciel_sans_tracabilite", "dossier_incomplet"]


# --- SIREN and SIRET: input errors naming the field (python-stdnum) ------------------------------------------
@pytest.mark.parametrize("where, value, path", [
    ("siren", "732829321", "organisme.siren"),
    ("siren", "000000000", "organisme.siren"),
    ("siret", "73282932000018", "organisme.etablissements[0].siret"),
    ("siret", "00000000000000", "organisme.etablissements[0].siret"),
    ("candidat", "552100555", "mandataire.candidats[1]"),
    ("candidat", "000000000", "mandataire.candidats[1]"),
])
def test_invalid_company_numbers_are_input_errors(policies, base_facts, where, value, path):
    if where == "siren":
        base_facts["organisme"]["siren"] = value
    elif where == "siret":
        base_facts["organisme"]["etablissements"][0]["siret"] = value
    else:
        base_facts["mandataire"] = {"nom": "M", "justificatif_mandat": True, "candidats": ["732829320", value]}
    with pytest.raises(FactsError) as error:
        run(policies, base_facts)
    assert [issue.path for issue in error.value.issues] == [path]


def test_la_poste_establishments_follow_their_own_check_digit(policies, base_facts):
    """La Poste (SIREN 356000000): its SIRETs use a digit-sum rule, not Luhn; both are accepted and in the SIREN."""
    base_facts["organisme"]["siren"] = "356000000"
    base_facts["organisme"]["etablissements"] = [{"siret": "35600000000048", "activite_clea": True},
                                                 {"siret": "35600000049837", "activite_clea": True}]
    assert run(policies, base_facts)["constats"] == []


# --- the interpreter: paths, selectors, conditions -----------------------------------------------------------
def test_paths_with_wildcards_and_selectors():
    facts = {"a": [{"id": 1, "r": ["x", "y"], "v": 3}, {"id": 2, "r": ["y"]}, {"id": 3, "r": ["x"], "v": 5}]}
    assert [f.value for f in resolve(parse_path("a[r=x].v"), facts)] == [3, 5]
    assert [f.where for f in resolve(parse_path("a[r=y][id=2]"), facts)] == ["a[1]"]
    assert [f.where for f in resolve(parse_path("a[*].v"), facts)] == ["a[0].v", "a[1].v", "a[2].v"]
    assert resolve(parse_path("b[*].v"), facts) == []
    assert [v.where for v in violations(parse_condition({"chemin": "a[*].v", "present": True}), facts)] == ["a[1].v"]
    assert violations(parse_condition({"chemin": "a[r=z]", "present": True}), facts)[0].where == "a[r=z]"
    assert violations(parse_condition({"chemin": "a[r=z].v", "egal": 1}), facts) == []   # nothing selected
    assert violations(parse_condition({"chemin": "a[*].v", "couvre": [3, 5]}), facts) == []
    assert violations(parse_condition({"chemin": "a[*].id", "egal": True}), {"a": [{"id": 1}]})  # True is not 1
    for bad in ("a..b", "a[x", "a[=1]", ""):
        with pytest.raises(ValueError):
            parse_path(bad)


@pytest.mark.parametrize("raw, message", [
    ({"chemin": "a", "present": 1}, "present prend true ou false"),
    ({"chemin": "a", "parmi": "x"}, "'parmi' prend une liste (ou, pour certains, {chemin: …})"),
    ({"chemin": "a", "couvre": 3}, "'couvre' prend une liste (ou, pour certains, {chemin: …})"),
    ({"chemin": "a", "commence_par": 3}, "commence_par prend un texte ou {chemin: …}"),
    ({"chemin": "a", "au_moins": True}, "au_moins prend un nombre"),
    ({"chemin": "a", "nombre": {"au_moins": -1}},
     "nombre prend {au_moins: n} et/ou {au_plus: n}, des entiers positifs ou nuls"),
    ({"chemin": "a", "egal": {"chemin": "b"}}, "'egal' ne prend pas de chemin pour opérande"),
    ({"chemin": "a", "couvre": {"chemin": "b", "x": 1}}, "un opérande chemin s'écrit {chemin: …}"),
    ({"chemin": "a", "vaut": 1}, ("une condition prend exactement un opérateur parmi present, egal, parmi, contient, "
                                 "contient_un_de, couvre, commence_par, disjoint_de, au_moins, au_plus, nombre ; "
                                 "opérateur inconnu 'vaut'")),
    ({"present": True}, "une condition s'écrit {chemin: …, <opérateur>: …}"),
])
def test_each_operator_says_how_its_operand_is_written(raw, message):
    with pytest.raises(ValueError) as error:
        parse_condition(raw)
    assert str(error.value).startswith(message)


def test_an_operand_path_is_read_beside_the_value_or_from_the_root():
    facts = {"siren": "123", "b": [{"s": "123-1", "f": ["x"], "e": ["x", "y"]}, {"s": "9", "f": [], "e": ["y"]}]}
    assert [v.where for v in violations(parse_condition({"chemin": "b[*].s", "commence_par": {"chemin": "$.siren"}}),
                                        facts)] == ["b[1].s"]
    [common] = violations(parse_condition({"chemin": "b[*].e", "disjoint_de": {"chemin": "f"}}), facts)
    assert (common.where, common.details["communs"]) == ("b[0].e", ["x"])
    [count] = violations(parse_condition({"chemin": "b", "nombre": {"au_moins": 3}}), facts)
    assert (count.value, count.details) == (2, {"nombre": 2, "attendu": 3})


@pytest.mark.parametrize("text", [
    "o.i[r=e].cv", "o.i[r=e][d=true].x", "o.i[r=e][d=true].x.y", "o.i[*]", "o.i[r=e]", "o.n.k", "$.o.n.k", "o.n.k.z",
    "o.absent[*].cv", "o.i[r=absent].cv", "o.i[*].cv.z", "s.k",
])
def test_a_path_read_through_the_shared_items_of_its_neighbours_finds_what_it_finds_alone(text):
    """The Resolver reads `o.i[r=e].cv` from the items `o.i[r=e]` selected (once for its neighbours): the same values,
    places and items as a path resolved on its own, also through missing keys and scalars."""
    facts = {"s": "x", "o": {"n": {"k": 1}, "i": [{"r": ["e"], "cv": True, "d": True, "x": {"y": 2}},
                                                  {"r": ["f"], "cv": False}, "scalaire",
                                                  {"r": ["e", "f"], "d": False, "x": 3}]}}
    read = Resolver()
    for neighbour in ("o.i[r=e].d", "o.i[r=e][d=true].cv"):      # the shared items already read
        read(parse_path(neighbour), facts)
    path = parse_path(text)
    assert read(path, facts) == resolve(path, facts)
    assert read(path, facts) is read(path, facts)
    if text == "o.i[r=e].cv":
        assert [(f.where, f.value) for f in read(path, facts)] == [("o.i[0].cv", True), ("o.i[3].cv", MISSING)]


def test_an_evaluation_resolves_each_path_once_and_fills_only_the_messages_it_reports(policies, base_facts,
                                                                                     monkeypatch):
    """Work fixed per policy is done at load; within one evaluation a facts path is resolved once for the item it is
    read beside, and a message is filled only when it goes into the verdict."""
    from engine.evaluation import dossier
    from engine.policy.conditions import language

    resolved, filled = [], []
    real_resolve, real_fill = language.resolve, dossier.fill
    monkeypatch.setattr(language, "resolve", lambda path, root, base=None: resolved.append(
        (path.text, id(base))) or real_resolve(path, root, base))
    monkeypatch.setattr(dossier, "fill", lambda template, violation: filled.append(template) or real_fill(
        template, violation))
    base_facts["organisme"]["intervenants"][0]["cv"] = False                      # II: a motif
    base_facts["organisme"]["etablissements"][1]["siret"] = "35600000049837"      # III.1: a finding
    verdict = run(policies, base_facts)
    motifs = [motif for criterion in verdict["criteres"] for motif in criterion["motifs"]]
    checks = [f for f in verdict["constats"] if f["regle"].startswith("controles.")]
    assert motifs == [("Le CV de l'évaluateur E1 n'est pas fourni (II : le critère s'apprécie sur la base des CV des "
                      "intervenants).")]
    assert [f["id"] for f in checks] == ["etablissement_hors_siren"]
    assert resolved and len(resolved) == len(set(resolved))
    assert len(filled) == len(motifs) + len(checks)


# --- the policy file: optional, and checked -----------------------------------------------------------------
@pytest.fixture
def policy_copy(tmp_path):
    target = tmp_path / "certifpro"
    shutil.copytree(ROOT / "tests" / "fixtures" / "policies" / "certifpro", target)
    text = (target / "politique.yaml").read_text(encoding="utf-8")
    (target / "politique.yaml").write_text(text.replace("../../schemas/", str(ROOT / "schemas") + "/"),
                                           encoding="utf-8")
    return target


def test_a_policy_without_dossier_file_still_loads(policy_copy, base_facts):
    (policy_copy / "dossier.yaml").unlink()
    (policy_copy / "regles" / "completude.yaml").unlink()
    verdict = evaluate(base_facts, DAY, policies=load_policies(policy_copy))
    assert "criteres" not in verdict and "completude" not in verdict and "avis_propose" not in verdict


@pytest.mark.parametrize("old, new, message", [
    ("constat: etablissement_hors_siren", "constat: hors_siren_inconnu", "constat inconnu 'hors_siren_inconnu'"),
    ("organisme.etablissements[*].siret", "organisme.etablissements[*.siret", "étape de chemin invalide"),
    ("article: A2", "article: A9", "article 'A9' absent du plan du texte (articles.yaml) (connus : A1, A2, A3,"),
    ("évaluateur {element[id]} n'est pas fourni", "évaluateur {personne} n'est pas fourni",
     "variable de message inconnue '{personne}'"),
    ("regle: recours.depot", "regle: recours.inexistant", "règle inconnue 'recours.inexistant'"),
    ("evenement: dossier_a_completer\n", "evenement: dossier_non_declare\n",
     "événement émis non déclaré dans evenements.derives : 'dossier_non_declare' (connus : dossier_a_completer, "),
    ("{chemin: demande.partie_technique.accompagnement, egal: true}",
     "{chemin: demande.partie_technique.accompagnement, vaut: true}",
     "ne correspond à aucune des formes admises ; la plus proche : champ inconnu : 'vaut'"),
    # messages and the avis's texts quote plain names only (engine/policy/model/templates.py)
    ("évaluateur {element[id]} n'est pas fourni", "évaluateur {valeur[id]} n'est pas fourni",
     "variable de message inconnue '{valeur[id]}' : seul {element[champ]} prend une clé entre crochets"),
    ("évaluateur {element[id]} n'est pas fourni", "évaluateur {element[id]!r} n'est pas fourni",
     "modèle de message invalide : « {element[id]!r} » n'est pas une variable"),
    ("ne peut être apprécié.\n    exigences:\n      - exige: {chemin: \"organisme.intervenants[roles=evaluateur]\"",
     "ne peut être apprécié {chemin}.\n    exigences:\n      - exige: {chemin: \"organisme.intervenants[roles=evaluateur]\"",
     "variable de message inconnue '{chemin}'"),
    ("Candidat : {denomination} — SIREN {siren}", "Candidat : {denomination:>40} — SIREN {siren}",
     "modèle de texte invalide : « {denomination:>40} » n'est pas une variable"),
    ("délai de {delai}).", "délai de {delai.__class__}).", "modèle de texte invalide : « {delai.__class__} »"),
    ("délai de {delai}).", "délai de {delais}).", "variable de texte inconnue '{delais}' — vouliez-vous dire '{delai}'"),
])
def test_a_broken_dossier_file_is_refused_with_file_and_line(policy_copy, old, new, message):
    path = policy_copy / "dossier.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(PolicyError) as error:
        load_policies(policy_copy)
    issues = [issue for issue in error.value.issues if message in issue.message]
    assert issues and issues[0].file.endswith("dossier.yaml") and issues[0].line


def test_unknown_key_in_dossier_file_is_refused(policy_copy):
    path = policy_copy / "dossier.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "inconnu: 1\n", encoding="utf-8")
    with pytest.raises(PolicyError) as error:
        load_policies(policy_copy)
    assert "inconnu" in str(error.value)


def test_one_result_of_the_checks_serves_several_evaluations(policies, base_facts):
    """`clea policy impact` runs the dossier checks once for both versions when they are the same
    (engine/batch/impact.py): settling them on the history (under instruction or not, the event a missing part
    emits) changes nothing in their result, and each evaluation, explained or not, gets the verdict it gets alone."""
    facts = copy.deepcopy(base_facts)
    facts["demande"]["partie_administrative"]["situation_juridique"] = False       # a part missing (III.1)
    facts["evenements"] = [{"type": "demande_deposee", "date": "2026-01-12"}]      # under instruction on DAY
    policy, day = policies.for_instance("certifpro"), date.fromisoformat(DAY)
    shared = check_dossier(policy, facts, day)
    before = copy.deepcopy((shared.parts, shared.findings, shared.trace))
    for explain in (True, False, True):
        verdict = evaluate_checked(facts, day, policy, policies, explain=explain, dossier=shared)
        assert verdict == evaluate(facts, day, policies=policies, explain=explain)
        assert "dossier_incomplet" in finding_ids(verdict) and verdict["completude"]["en_instruction"] is True
    assert (shared.parts, shared.findings, shared.trace) == before


@pytest.mark.parametrize("text, places", [
    ("a[r=x]", ["a[0]", "a[1]"]),            # a text equals a text, alone or in a list; not an item that is a text
    ("a[r=1]", ["a[2]"]),                    # 1 is neither true nor "1"
    ("a[r=true]", ["a[1]", "a[3]"]),
    ("a[*][r=x]", ["a[0]", "a[1]"]),
    ("a[*][*]", ["a[0]", "a[1]", "a[2]", "a[3]", "a[4]", "a[5]", "a[7]", "a[8]"]),    # null is no item to narrow
    ("a[r=x][r=true]", ["a[1]"]),
    ("s[*]", ["s"]), ("s[r=x]", []),         # a value that is not a list: selected as a whole, or not at all
])
def test_a_selector_keeps_booleans_numbers_and_texts_apart(text, places):
    facts = {"a": [{"r": "x"}, {"r": ["x", True]}, {"r": 1}, {"r": True}, {"r": ["1"]}, "x", None, {"r": None},
                   ["x"]], "s": "x"}
    assert [found.where for found in resolve(parse_path(text), facts)] == places
