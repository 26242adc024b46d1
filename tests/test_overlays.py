"""A CPNE/CPNAA contextualises CléA numérique with an overlay policy (I, II, III.3, III.4, III.7).

The shipped overlay policies/cpne-exemple/ is fictitious: it adds three criteria (one counting evidence, one comparing
a number), reads evidence fields it declares (faits.yaml), notifies within 15 working days of its meeting, and names
its professional field. What it may add is what its base allows (politique.extension of certifpro).
"""
from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from engine import FactsError, evaluate, load_policies
from engine.cli import run

ROOT = Path(__file__).resolve().parent.parent
POLICIES = ROOT / "tests" / "fixtures" / "policies"
FIELD = "commerce_detail_exemple"


def clea(*argv):
    out, err = io.StringIO(), io.StringIO()
    code = run([str(arg) for arg in argv], out, err)
    assert "Traceback" not in out.getvalue() + err.getvalue()
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def contextualised(base_facts):
    """A complete dossier filed with the CPNE Exemple, its contextualisation evidence complete."""
    base_facts["instance"] = "cpne:exemple"
    base_facts["demande"]["perimetre"]["champ_professionnel"] = FIELD
    base_facts["demande"]["contextualisation"] = {
        "referent_metier": {"designe": True, "annees_experience": 4},
        "situations_professionnelles": {"domaines": [1, 2, 3, 4], "situations": [
            {"intitule": "Encaissement et caisse connectée", "domaines": [1, 2]},
            {"intitule": "Commande en ligne et retrait en magasin", "domaines": [3]},
            {"intitule": "Inventaire sur tablette", "domaines": [4]}]},
    }
    base_facts["organisme"]["intervenants"][0]["qualification_commerce"] = True
    return base_facts


@pytest.fixture
def copied(tmp_path) -> Path:
    """The policies copied far from the project (they work wherever they are copied)."""
    shutil.copytree(POLICIES, tmp_path / "ailleurs" / "policies", ignore=shutil.ignore_patterns("tests"))
    return tmp_path / "ailleurs" / "policies"


def validate(folder: Path) -> tuple[int, list[str]]:
    code, out, _ = clea("policy", "validate", folder, "--no-history")
    if code != 0:
        assert "ok :" not in out
    return code, out.splitlines()


def filed_with_certifpro(facts: dict) -> dict:
    """The same dossier filed with Certif'Pro: without the evidence field only the overlay declares."""
    facts["instance"] = "certifpro"
    for person in facts["organisme"]["intervenants"]:
        person.pop("qualification_commerce", None)
    return facts


def append(path: Path, text: str) -> int:
    """Append text to a file; return the line number of its first line."""
    before = path.read_text(encoding="utf-8")
    path.write_text(before + text, encoding="utf-8")
    return before.count("\n") + 1


def test_the_overlay_is_selected_by_the_instance_and_named_in_the_verdict(policies, contextualised):
    overlay = policies.for_instance("cpne:exemple")
    base = policies.for_instance("certifpro")
    assert (overlay.id, overlay.extends, base.extends) == ("cpne_exemple", "certifpro", None)
    verdict = evaluate(contextualised, "2026-02-01", policies=policies)
    assert verdict["politique"] == {"id": "cpne_exemple", "version": overlay.version, "revision": overlay.revision}
    assert overlay.revision != base.revision
    schema = json.loads((ROOT / "schemas" / "verdict.schema.json").read_text(encoding="utf-8"))
    assert list(Draft202012Validator(schema).iter_errors(verdict)) == []


def test_the_overlay_notifies_within_its_own_delay(policies, contextualised):
    """III.4: a CPNE/CPNAA notifies within the delay of its calendar (here 15 working days, Certif'Pro's is 20)."""
    contextualised["evenements"] = [{"type": "demande_deposee", "date": "2026-01-12"},
                                    {"type": "reunion_instance", "date": "2026-04-09"}]
    due = {}
    for instance in ("cpne:exemple", "certifpro"):
        if instance == "certifpro":
            filed_with_certifpro(contextualised)
        verdict = evaluate(contextualised, "2026-04-10", policies=policies)
        due[instance] = next(a["echeance"] for a in verdict["actions"] if a["id"] == "notifier_decision")
    # Thu 9 Apr 2026 + 15 working days = Thu 30 Apr; + 20 skips 1 and 8 May (holidays): Mon 11 May
    assert due == {"cpne:exemple": "2026-04-30", "certifpro": "2026-05-11"}


def test_a_dossier_that_fails_an_added_criterion(policies, contextualised):
    """II: the CPNE/CPNAA decides on the criteria of II and those of its contextualisation (here: a number, at least)."""
    contextualised["demande"]["contextualisation"]["referent_metier"]["annees_experience"] = 1
    verdict = evaluate(contextualised, "2026-02-01", policies=policies)
    criteria = {c["id"]: c for c in verdict["criteres"]}
    assert all(criteria[name]["satisfait"] for name in ("intervenants_qualifies", "couverture_referentiel",
                                                          "accompagnement", "formation_preparatoire", "assurance_qualite"))
    failed = criteria["referent_metier"]
    assert (failed["satisfait"], failed["article"], failed["source"]) == (False, "CTX.1", "cpne:exemple")
    assert failed["motifs"] == [("Le référent désigné justifie de 1 année(s) d'expérience du commerce de détail ; il en "
                                "faut au moins 2 (critère contextualisé CTX.1).")]
    assert criteria["situations_professionnelles"]["satisfait"] is True
    assert verdict["avis_propose"]["sens"] == "defavorable"

    contextualised["demande"]["contextualisation"]["referent_metier"]["annees_experience"] = 2
    assert evaluate(contextualised, "2026-02-01", policies=policies)["avis_propose"]["sens"] == "favorable"


def test_each_criterion_names_the_instance_that_wrote_it_and_its_article(policies, contextualised):
    verdict = evaluate(contextualised, "2026-02-01", policies=policies)
    assert [(c["id"], c["article"], c["source"]) for c in verdict["criteres"]] == [
        ("intervenants_qualifies", "II", "certifpro"), ("couverture_referentiel", "II", "certifpro"),
        ("accompagnement", "II", "certifpro"), ("formation_preparatoire", "II", "certifpro"),
        ("assurance_qualite", "II", "certifpro"), ("referent_metier", "CTX.1", "cpne:exemple"),
        ("situations_professionnelles", "CTX.2", "cpne:exemple"), ("evaluateurs_du_secteur", "CTX.3", "cpne:exemple")]


def test_a_criterion_counts_the_evidence_it_needs(policies, contextualised):
    """CTX.2 (fictitious): at least three professional situations; CTX.3: at least one evaluator qualified in the field."""
    contextualisation = contextualised["demande"]["contextualisation"]
    del contextualisation["situations_professionnelles"]["situations"][2]
    contextualised["organisme"]["intervenants"][0]["qualification_commerce"] = False
    contextualised["organisme"]["intervenants"][1]["qualification_commerce"] = True     # a trainer: does not count
    criteria = {c["id"]: c for c in evaluate(contextualised, "2026-02-01", policies=policies)["criteres"]}
    assert criteria["situations_professionnelles"]["motifs"] == [
        ("Le dossier décrit 2 situation(s) professionnelle(s) du commerce de détail ; il en faut au moins 3 (critère "
        "contextualisé CTX.2).")]
    assert criteria["evaluateurs_du_secteur"]["motifs"] == [
        "Aucun évaluateur ne justifie d'une qualification du commerce de détail (critère contextualisé CTX.3)."]


def test_the_overlay_evidence_is_validated_with_the_facts(policies, contextualised):
    """Its evidence fields (faits.yaml) are checked like the rest of the facts: a misspelt field is an error."""
    contextualised["demande"]["contextualisation"]["referent_metier"]["annees_experiance"] = 3
    with pytest.raises(FactsError) as error:
        evaluate(contextualised, "2026-02-01", policies=policies)
    assert [issue.path for issue in error.value.issues] == ["demande.contextualisation.referent_metier"]
    contextualised["instance"] = "certifpro"       # Certif'Pro declares none: the per-evaluator field is unknown to it
    with pytest.raises(FactsError) as error:
        evaluate(contextualised, "2026-02-01", policies=policies)
    assert [issue.path for issue in error.value.issues] == ["organisme.intervenants[0]"]
    evaluate(filed_with_certifpro(contextualised), "2026-02-01", policies=policies)   # contextualisation stays open


def test_the_same_dossier_under_certifpro_is_not_judged_on_the_added_criteria(policies, contextualised):
    verdict = evaluate(filed_with_certifpro(contextualised), "2026-02-01", policies=policies)
    assert {c["id"] for c in verdict["criteres"]} == {"intervenants_qualifies", "couverture_referentiel",
                                                     "accompagnement", "formation_preparatoire", "assurance_qualite"}


def test_a_habilitation_granted_by_the_overlay_is_limited_to_its_field(policies, contextualised):
    """III.4: a CPNE/CPNAA's acceptance states the professional field."""
    contextualised["evenements"] = [{"type": "demande_deposee", "date": "2026-01-12"},
                                    {"type": "decision_notifiee", "date": "2026-04-20", "decision": "acceptation",
                                     "champ_professionnel": FIELD}]
    verdict = evaluate(contextualised, "2026-05-01", policies=policies)
    assert verdict["statut"] == "habilite"
    assert verdict["habilitation"]["champ_professionnel"] == FIELD
    assert verdict["portee"]["effet"] is True and "Habilitation limitée au champ professionnel" in verdict["portee"]["message"]


def test_a_certifpro_habilitation_has_no_effect_in_the_contextualised_field(policies, base_facts):
    """I: « Une habilitation obtenue auprès de Certif'Pro est sans effet dans le champ professionnel concerné »."""
    base_facts["evenements"] = [{"type": "decision_notifiee", "date": "2026-01-20", "decision": "acceptation"}]
    assert "portee" not in evaluate(base_facts, "2026-05-01", policies=policies)
    base_facts["demande"]["perimetre"]["champ_professionnel"] = FIELD
    verdict = evaluate(base_facts, "2026-05-01", policies=policies)
    assert verdict["statut"] == "habilite"
    scope = verdict["portee"]
    assert (scope["effet"], scope["instance_competente"], scope["valeur"], scope["article"]) == \
        (False, "cpne:exemple", FIELD, "I")
    assert scope["message"].startswith("Une habilitation délivrée par Certif'Pro est sans effet")


ALLOWED = ("articles, constats, faits, dossier.criteres, dossier.controles, dossier.completude.pieces, "
           "calendrier.sessions, politique.portee")


def test_an_overlay_that_drops_a_base_criterion_is_refused(copied):
    overlay = copied / "cpne-exemple" / "dossier.yaml"
    line = append(overlay, "  - {id: assurance_qualite, retirer: true}\n")
    code, out = validate(copied)
    assert code == 1
    assert (f"{overlay}:{line}: dossier.criteres.assurance_qualite: retire 'assurance_qualite' [II] de dossier.criteres "
            "de 'certifpro' : une extension n'enlève rien à sa base, elle peut seulement ajouter à : "
            f"{ALLOWED} (I)") in out


def test_an_overlay_that_weakens_a_base_criterion_is_refused(copied):
    overlay = copied / "cpne-exemple" / "dossier.yaml"
    line = append(overlay, "  - id: couverture_referentiel\n    article: II\n    titre: Couvrir les domaines 1 et 2\n"
                           "    exigences:\n      - exige: {chemin: demande.partie_technique.domaines_couverts, couvre: [1, 2]}\n"
                           "        motif: Domaines 1 et 2 non couverts.\n")
    code, out = validate(copied)
    assert code == 1
    assert (f"{overlay}:{line}: dossier.criteres[1]: modifie 'couverture_referentiel' [II] de dossier.criteres de "
            "'certifpro' : une extension ne peut ni affaiblir ni réécrire ce que fixe sa base, seulement ajouter ses "
            f"propres éléments à : {ALLOWED} (I)") in out


def test_an_overlay_may_not_retitle_a_base_article(copied):
    overlay = copied / "cpne-exemple" / "articles.yaml"
    line = append(overlay, "II: Les critères, tels que la CPNE Exemple les lit\n")
    code, out = validate(copied)
    assert code == 1
    assert any(text.startswith(f"{overlay}:{line}: articles.II: modifie 'II' de articles de 'certifpro' : une extension "
                               "ne peut ni affaiblir ni réécrire") for text in out), out


def test_an_overlay_that_changes_the_base_fees_is_refused(copied):
    overlay = copied / "cpne-exemple" / "parametres.yaml"
    line = append(overlay, "frais:\n  instruction:\n    valeurs: [{depuis: 2019-07-01, valeur: \"150.00\"}]\n")
    code, out = validate(copied)
    assert code == 1
    assert (f"{overlay}:{line + 2}: parametres.frais.instruction: donne ses propres valeurs au paramètre "
            "'frais.instruction' [A3] (en EUR_HT) : 'certifpro' ne permet à ses extensions que des paramètres sous "
            "instruction, decision.delai_notification, recours, en jours_ouvres, jours, mois (I) ; les autres sont les "
            "siens, retirez celui-ci") in out


def test_an_overlay_may_not_change_a_status_rule(copied):
    rules = copied / "cpne-exemple" / "regles"
    rules.mkdir()
    (rules / "statut.yaml").write_text(
        "- id: statut.refus\n  article: III.4\n  titre: Un refus laisse le candidat candidat\n"
        "  quand: {evenement: decision_notifiee, si: {decision: refus}}\n  statut: {vers: candidat}\n", encoding="utf-8")
    code, out = validate(copied)
    assert code == 1
    index = [rule.id for rule in load_policies(POLICIES).get("certifpro").rules].index("statut.refus")
    assert (f"{rules / 'statut.yaml'}:1: regles[{index}]: remplace la règle 'statut.refus' [III.4] (effet statut) : "
            "'certifpro' ne permet à ses extensions que des règles sous instruction, decision.notification, recours, "
            "d'effet action (I) ; les autres sont les siennes, retirez celle-ci") in out


def test_overlay_dated_values_merge_with_the_base_by_date(copied, contextualised):
    """An overlay delay from 2027-01-01 leaves Certif'Pro's value in force before 2027 (not no deadline at all)."""
    path = copied / "cpne-exemple" / "parametres.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("valeurs: [{depuis: 2019-07-01, valeur: 15}]", "valeurs: [{depuis: 2027-01-01, valeur: 15}]"),
                    encoding="utf-8")
    policies = load_policies(copied)
    values = policies.get("cpne_exemple").parameters["decision.delai_notification"].values
    assert [(str(v.since), v.value) for v in values] == [("2019-07-01", 20), ("2027-01-01", 15)]
    due = {}
    for meeting in ("2026-12-10", "2027-01-14"):
        contextualised["evenements"] = [{"type": "demande_deposee", "date": "2026-10-01"},
                                        {"type": "reunion_instance", "date": meeting}]
        verdict = evaluate(contextualised, "2027-01-15", policies=policies)
        due[meeting] = next(a["echeance"] for a in verdict["actions"] if a["id"] == "notifier_decision")
    # 10 Dec 2026 + 20 working days (25 Dec, 1 Jan off) = 11 Jan 2027; 14 Jan 2027 + 15 working days = 4 Feb 2027
    assert due == {"2026-12-10": "2027-01-11", "2027-01-14": "2027-02-04"}
    code, out, _ = clea("policy", "history", "decision.delai_notification", "--policies", copied, "--policy",
                        "cpne_exemple")
    assert code == 0 and out.splitlines()[1:] == [
        "  depuis le 01/07/2019     20 jours ouvrés  (valeur de certifpro)",
        "  depuis le 01/01/2027     15 jours ouvrés"]


def test_an_overlay_may_replace_a_procedure_rule(copied, base_facts):
    """III.7: a CPNE/CPNAA's own recourse procedure applies where it adopted one, else Certif'Pro's."""
    rules = copied / "cpne-exemple" / "regles"
    rules.mkdir()
    (rules / "recours.yaml").write_text(
        "- id: recours.accuse_reception\n  article: III.7\n"
        "  titre: La CPNE Exemple (fictive) accuse réception du recours dans les {recours.delai_accuse_reception_cpne}\n"
        "  quand: {evenement: recours_depose}\n  action:\n    id: accuser_reception_recours\n    acteur: instance\n"
        "    nature: obligation\n    echeance: {delai: recours.delai_accuse_reception_cpne}\n"
        "    accomplie_par: {evenement: recours_accuse_reception}\n"
        "    si_en_retard: {constat: delai_instance_depasse, cas: [tardive]}\n", encoding="utf-8")
    append(copied / "cpne-exemple" / "parametres.yaml", "recours:\n  delai_accuse_reception_cpne:\n"
           "    titre: Accusé de réception du recours (CPNE Exemple)\n    article: III.7\n    unite: jours_ouvres\n"
           "    valeurs: [{depuis: 2019-07-01, valeur: 5}]\n")
    policies = load_policies(copied)
    base_facts["evenements"] = [{"type": "decision_notifiee", "date": "2026-03-02", "decision": "refus"},
                                {"type": "recours_depose", "date": "2026-03-10"}]
    due = {}
    for instance in ("cpne:exemple", "certifpro"):
        base_facts["instance"] = instance
        actions = evaluate(base_facts, "2026-03-11", policies=policies)["actions"]
        due[instance] = {a["id"]: a["echeance"] for a in actions}
    assert due["cpne:exemple"]["accuser_reception_recours"] == "2026-03-17"
    assert due["certifpro"]["accuser_reception_recours"] == "2026-03-24"
    assert due["cpne:exemple"]["examiner_recours"] == due["certifpro"]["examiner_recours"]   # not replaced: the base's


def test_the_overlay_revision_follows_its_base(copied):
    before = load_policies(copied).get("cpne_exemple").revision
    path = copied / "certifpro" / "parametres.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('      - {depuis: 2020-02-25, valeur: "300.00"}\n',
                                 '      - {depuis: 2020-02-25, valeur: "300.00"}\n'
                                 '      - {depuis: 2027-01-01, valeur: "350.00"}\n'), encoding="utf-8")
    after = load_policies(copied)
    assert after.get("cpne_exemple").revision != before
    assert after.for_instance("cpne:exemple").parameters["frais.instruction"].at(__import__("datetime").date(2027, 2, 1)) \
        == __import__("decimal").Decimal("350.00")


def test_one_overlay_folder_validates_alone_against_its_sibling_base():
    code, out, _ = clea("policy", "validate", POLICIES / "cpne-exemple", "--no-history")
    assert code == 0, out
    assert out.splitlines()[-1].startswith("ok : cpne_exemple ")


def test_an_overlay_of_an_unknown_policy_is_refused(copied):
    path = copied / "cpne-exemple" / "politique.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("etend: certifpro", "etend: certifpr"), encoding="utf-8")
    code, out = validate(copied)
    assert code == 1
    assert (f"{path}:9: politique.etend: étend une politique inconnue 'certifpr' (aucune politique de {copied} n'a "
            "cet id) — vouliez-vous dire 'certifpro' ?") in out


def test_an_overlay_of_an_overlay_is_refused_as_such(copied):
    second = copied / "cpne-seconde"
    shutil.copytree(copied / "cpne-exemple", second)
    main = second / "politique.yaml"
    main.write_text(main.read_text(encoding="utf-8").replace("id: cpne_exemple", "id: cpne_seconde")
                    .replace("etend: certifpro", "etend: cpne_exemple").replace('"cpne:exemple"', '"cpne:seconde"'),
                    encoding="utf-8")
    code, out = validate(copied)
    assert code == 1
    assert out == [(f"{main}:9: politique.etend: 'cpne_exemple' est elle-même une extension (elle étend 'certifpro') : "
                   "une extension étend une politique de base, jamais une autre extension ; écrivez etend: certifpro")]


def test_a_broken_base_is_reported_once(copied):
    """Not one wrong knock-on error per overlay: the base's own problems, and a word for each overlay."""
    path = copied / "certifpro" / "regles" / "recours.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("  article: III.7\n", "  article: III.77\n", 1),
                    encoding="utf-8")
    code, out = validate(copied)
    assert code == 1 and len(out) == 2
    line = next(n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "III.77" in text)
    assert out[0].startswith(f"{path}:{line}: regles[") and "article 'III.77' absent du plan du texte" in out[0]
    assert out[1] == (f"{copied / 'cpne-exemple' / 'politique.yaml'}:9: politique.etend: la politique de base "
                      "'certifpro' a des erreurs (listées avec ses propres fichiers) : corrigez-les d'abord ; cette "
                      "extension sera vérifiée ensuite")
    code, out, _ = clea("policy", "validate", copied / "cpne-exemple", "--no-history")    # the overlay alone: the same
    assert code == 1 and len(out.splitlines()) == 2


def test_diff_shows_the_added_overlay_and_its_criteria(copied, tmp_path):
    without = tmp_path / "sans-overlay"
    shutil.copytree(copied, without, ignore=shutil.ignore_patterns("cpne-*"))
    code, out, _ = clea("policy", "diff", without, copied)
    assert code == 0 and "Politique cpne_exemple ajoutée (version 2026.11, étend certifpro)" in out
    append(copied / "cpne-exemple" / "dossier.yaml", "  - id: vitrine\n    article: CTX.2\n    titre: Vitrine numérique\n"
           "    exigences:\n      - {exige: {chemin: demande.contextualisation.referent_metier.designe, egal: true}, "
           "motif: Pas de vitrine.}\n")
    code, out, _ = clea("policy", "diff", POLICIES, copied)
    assert code == 0, out
    assert "+ ajouté  vitrine [CTX.2] Vitrine numérique" in out


@pytest.mark.parametrize("filed, meeting, notify", [
    ("2026-01-12", "2026-04-09", "2026-04-30"),    # in the first window: its meeting, + 15 working days
    ("2026-03-15", "2026-09-17", "2026-10-08"),    # between windows: the next session's meeting
])
def test_a_filing_is_examined_at_its_session_of_the_overlay_calendar(policies, contextualised, filed, meeting, notify):
    """III.4: the CPNE/CPNAA sets the calendar for filing dossiers and for deciding on them."""
    contextualised["evenements"] = [{"type": "demande_deposee", "date": filed}]
    verdict = evaluate(contextualised, filed, policies=policies)
    actions = {a["id"]: a for a in verdict["actions"]}
    assert actions["notifier_decision"]["depuis"] == {"evenement": "reunion_instance", "date": meeting}
    assert actions["notifier_decision"]["echeance"] == notify
    assert any(step["faits"][0].startswith("calendrier.sessions.liste[") for step in verdict["trace"])


def test_a_meeting_given_in_the_facts_prevails_over_the_calendar(policies, contextualised):
    contextualised["evenements"] = [{"type": "demande_deposee", "date": "2026-01-12"},
                                    {"type": "reunion_instance", "date": "2026-05-21"}]
    verdict = evaluate(contextualised, "2026-01-13", policies=policies)
    assert [a["depuis"]["date"] for a in verdict["actions"] if a["id"] == "notifier_decision"] == ["2026-05-21"]


def test_sessions_out_of_order_are_refused(copied):
    path = copied / "cpne-exemple" / "calendrier.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("reunion: 2026-04-09", "reunion: 2026-02-01"), encoding="utf-8")
    line = 1 + text.splitlines().index("    - {depot_du: 2026-01-05, depot_au: 2026-02-27, reunion: 2026-04-09}")
    code, out, _ = clea("policy", "validate", copied, "--no-history")
    assert code == 1
    assert f"{path}:{line}: calendrier.sessions.liste[0]: une session s'ouvre (depot_du), se ferme (depot_au), puis " \
        "sa réunion (reunion) a lieu, dans cet ordre de dates" in out


def test_an_overlay_item_whose_id_is_no_name_is_one_line(copied):
    """An overlay's items merge by id before the schema is checked: an id written as a mapping is the schema's line,
    never a TypeError of the merge (found by mutating the overlay's files, as issue 18 asks)."""
    path = copied / "cpne-exemple" / "dossier.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("    - id: champ_professionnel", "    - id: {x: 1}", 1),
                    encoding="utf-8")
    code, out = validate(copied)
    assert code == 1
    assert f'{path}:7: dossier.completude.pieces[0].id: doit être une chaîne de caractères ; trouvé un objet : {{"x": 1}}' \
        in out


def test_an_overlay_rule_whose_id_is_no_name_is_one_line(copied):
    rules = copied / "cpne-exemple" / "regles"
    rules.mkdir()
    (rules / "ajout.yaml").write_text("- id: {x: 1}\n  article: CTX.1\n  titre: Une règle\n"
                                      "  quand: {evenement: demande_deposee}\n"
                                      "  constat: {id: dossier_incomplet}\n", encoding="utf-8")
    code, out = validate(copied)
    assert code == 1
    assert f'{rules / "ajout.yaml"}:1: regles[47].id: doit être une chaîne de caractères ; trouvé un objet : {{"x": 1}}' \
        in out
