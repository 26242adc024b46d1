"""`clea policy validate` reports each problem of a broken policy as file:line: path: message (French, saying what to
do), exit 1 — as a board secretary editing the YAML by hand meets them."""
from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from engine import PolicyError, load_policies, load_policy
from engine.cli import run

POLICY = Path(__file__).resolve().parent / "fixtures" / "policies" / "certifpro"
RECOURSE = [rule.id for rule in load_policy(POLICY).rules].index("recours.depot")   # its regles[i] in messages


@pytest.fixture
def copy(tmp_path):
    """The policy copied alone, far from the project: it must work wherever it is copied."""
    target = tmp_path / "ailleurs" / "policies" / "certifpro"
    shutil.copytree(POLICY, target, ignore=shutil.ignore_patterns("tests"))
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def validate(folder: Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(["policy", "validate", str(folder)], out, err)
    assert "Traceback" not in out.getvalue() + err.getvalue()
    return code, out.getvalue(), err.getvalue()


def line_of(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


def test_a_copied_folder_validates_wherever_it_is(copy):
    """The facts schema is named (schema_faits: facts.schema.json), found in the engine's schemas/."""
    code, out, _ = validate(copy.parent)
    assert code == 0, out
    assert out.splitlines()[-1].startswith("ok : certifpro ")


def test_a_facts_schema_outside_the_folder_is_refused(copy):
    edit(copy / "politique.yaml", "schema_faits: facts.schema.json", "schema_faits: ../../schemas/facts.schema.json")
    code, out, _ = validate(copy.parent)
    assert code == 1
    assert (f"{copy / 'politique.yaml'}:{line_of(copy / 'politique.yaml', 'schema_faits:')}: politique.schema_faits: "
            "'../../schemas/facts.schema.json' sort du dossier de la politique : une politique doit marcher où qu'on "
            "la copie ; nommez un fichier de son dossier ou un schéma du moteur (schemas/), par exemple "
            "schema_faits: facts.schema.json") in out.splitlines()


def test_a_facts_schema_shipped_inside_the_folder_is_read_there(copy):
    shutil.copy(POLICY.parents[3] / "schemas" / "facts.schema.json", copy / "faits-propres.schema.json")
    edit(copy / "politique.yaml", "schema_faits: facts.schema.json", "schema_faits: faits-propres.schema.json")
    assert validate(copy.parent)[0] == 0
    edit(copy / "politique.yaml", "schema_faits: faits-propres.schema.json", "schema_faits: fait-propres.schema.json")
    code, out, _ = validate(copy.parent)
    assert code == 1 and "schéma des faits introuvable : 'fait-propres.schema.json'" in out
    assert "vouliez-vous dire 'faits-propres.schema.json' ?" in out


@pytest.mark.parametrize("old, new, message", [
    ("    unite: ans\n", "\tunite: ans\n",
     ("YAML invalide : tabulation en colonne 1 — YAML n'indente qu'avec des espaces : remplacez la tabulation par des "
     "espaces")),
    ("    unite: ans\n", "     unite: ans\n",
     ("YAML invalide : indentation — cette ligne est plus indentée que la clé qui la précède dans son bloc ; alignez-la "
     "sur ses voisines (mêmes espaces en début de ligne)")),
    ("    unite: ans\n", "   unite: ans\n", "YAML invalide : indentation — cette ligne ne s'aligne sur aucun bloc au-dessus"),
    ("    titre: Durée de l'habilitation à compter de la notification\n",
     "    titre: Durée de l'habilitation : à compter de la notification\n",
     ("YAML invalide : « : » dans le texte de 'titre' — un texte qui contient « : » s'écrit entre guillemets : "
     "titre: \"Durée de l'habilitation : à compter de la notification\"")),
    ("    valeurs: [{depuis: 2019-07-01, valeur: 3}]\n  duree_renouvellement:",
     "    valeurs: [{depuis: 2019-07-01, valeur: 3}\n  duree_renouvellement:",
     "YAML invalide : liste « [ » ouverte ligne 10 jamais fermée"),
])
def test_yaml_mistakes_say_how_to_fix_them(copy, old, new, message):
    edit(copy / "parametres.yaml", old, new)
    code, out, err = validate(copy.parent)
    assert code == 1 and "rien n'est validé" in err
    [line] = [text for text in out.splitlines() if "parametres.yaml" in text]
    assert "parametres.yaml:" in line and message in line, line
    assert "ok :" not in out


def test_an_unquoted_amount_says_how_to_quote_it(copy):
    edit(copy / "parametres.yaml", '{depuis: 2020-02-25, valeur: "30.00"}', "{depuis: 2020-02-25, valeur: 30.50}")
    code, out, _ = validate(copy.parent)
    line = line_of(copy / "parametres.yaml", "valeur: 30.50")
    assert code == 1
    assert (f"parametres.yaml:{line}: parametres.frais.gestion_par_site.valeurs[1].valeur: montant non entre "
            'guillemets : 30.5 — écrivez valeur: "30.50" (un montant s\'écrit entre guillemets, avec deux décimales)') \
        in out


def test_an_unknown_key_proposes_the_nearest_one(copy):
    edit(copy / "parametres.yaml", "    valeurs: [{depuis: 2019-07-01, valeur: 3}]\n  duree_renouvellement",
         "    valuers: [{depuis: 2019-07-01, valeur: 3}]\n  duree_renouvellement")
    code, out, _ = validate(copy.parent)
    assert code == 1
    assert out.splitlines() == [(f"{copy / 'parametres.yaml'}:10: parametres.habilitation.duree.valuers: clé inconnue "
                                "'valuers' — vouliez-vous dire 'valeurs' ?")]   # not also "'valeurs' missing"


def test_unknown_names_propose_the_nearest_known_one(copy):
    rules = copy / "regles" / "recours.yaml"
    edit(rules, "delai: recours.delai_depot", "delai: recours.delai_depo")
    edit(rules, "accomplie_par: {evenement: recours_depose}", "accomplie_par: {evenement: recours_deposee}")
    edit(rules, "  article: III.7\n", "  article: III.8\n")
    edit(copy / "dossier.yaml", "constat: etablissement_hors_siren", "constat: etablissement_hors_sirene")
    edit(copy / "regles" / "statut.yaml", "statut: {vers: refuse,", "statut: {vers: refusee,")
    code, out, _ = validate(copy.parent)
    assert code == 1
    for expected in (
        (f"regles[{RECOURSE}].action.echeance.delai: paramètre inconnu 'recours.delai_depo' (parametres.yaml) — vouliez-vous dire "
        "'recours.delai_depot' ?"),
        (f"regles[{RECOURSE}].action.accomplie_par.evenement: événement inconnu 'recours_deposee' — vouliez-vous dire "
        "'recours_depose' ?"),
        "article 'III.8' absent du plan du texte (articles.yaml) — vouliez-vous dire 'III.7' ?",
        "constat inconnu 'etablissement_hors_sirene' (constats.yaml) — vouliez-vous dire 'etablissement_hors_siren' ?",
        "statut inconnu 'refusee' (statuts.yaml) — vouliez-vous dire 'refuse' ?",
    ):
        assert any(expected in line for line in out.splitlines()), (expected, out)
    assert f"recours.yaml:{line_of(rules, 'delai: recours.delai_depo')}: regles[{RECOURSE}].action.echeance.delai" in out


def test_a_misspelt_evidence_path_is_a_policy_error(copy):
    """Every facts path a policy reads exists in the facts schema: a typo is not a criterion that never matches."""
    edit(copy / "dossier.yaml", 'chemin: "organisme.intervenants[roles=evaluateur].cv"',
         'chemin: "organisme.intervenants[roles=evaluateur].cvs"')
    code, out, _ = validate(copy.parent)
    assert code == 1
    assert (f"dossier.yaml:{line_of(copy / 'dossier.yaml', 'evaluateur].cvs')}: dossier.criteres[0].exigences[1].exige."
            "chemin: chemin des faits 'organisme.intervenants[roles=evaluateur].cvs' : le schéma des faits n'a pas de "
            "champ 'cvs' sous organisme.intervenants — vouliez-vous dire 'cv' ?") in out


def test_a_rule_title_quoting_a_value_takes_it_from_the_parameter(copy):
    rules = copy / "regles" / "recours.yaml"
    edit(rules, "recours dans un délai de {recours.delai_depot}", "recours dans un délai de 30 jours ouvrés")
    code, out, _ = validate(copy.parent)
    assert code == 1
    assert (f"recours.yaml:{line_of(rules, 'recours dans un délai de 30 jours ouvrés')}: regles[{RECOURSE}].titre: le texte écrit « 30 "
            "jours ouvrés » en clair : il serait faux dès que la valeur change ; écrivez à sa place "
            "{recours.delai_depot}, remplacé par la valeur en vigueur") in out
    edit(rules, "recours dans un délai de 30 jours ouvrés", "recours dans un délai de {recours.delai_dep}")
    assert "le texte cite un paramètre inconnu '{recours.delai_dep}' — vouliez-vous dire '{recours.delai_depot}' ?" \
        in validate(copy.parent)[1]


def test_a_rule_title_reads_the_value_in_force(policies):
    from datetime import date
    policy = policies.get("certifpro")
    rule = next(rule for rule in policy.rules if rule.id == "recours.depot")
    assert policy.rule_title(rule, date(2026, 3, 1)) == ("Le candidat peut former un recours dans un délai de 30 jours "
                                                          "ouvrés à compter de la notification du refus")


def test_a_rule_title_reads_the_value_in_force_the_day_before_and_the_day_a_new_value_takes_effect(copy):
    """A title is rendered once per value in force: asked in any order, each day reads its own value (30 working
    days up to Thursday 31/12/2026, 45 from Friday 01/01/2027)."""
    from datetime import date

    from engine import load_policy
    edit(copy / "parametres.yaml", "valeurs: [{depuis: 2019-07-01, valeur: 30}]",
         "valeurs: [{depuis: 2019-07-01, valeur: 30}, {depuis: 2027-01-01, valeur: 45}]")
    policy = load_policy(copy)
    rule = next(rule for rule in policy.rules if rule.id == "recours.depot")
    days = [date(2027, 1, 1), date(2026, 12, 31), date(2027, 1, 2), date(2026, 12, 31)]
    assert [policy.rule_title(rule, day).split("délai de ")[1].split(" à compter")[0] for day in days] == \
        ["45 jours ouvrés", "30 jours ouvrés", "45 jours ouvrés", "30 jours ouvrés"]


def test_dated_values_out_of_order(copy):
    edit(copy / "parametres.yaml", "{depuis: 2020-02-25, valeur: \"300.00\"}", "{depuis: 2019-02-25, valeur: \"300.00\"}")
    code, out, _ = validate(copy.parent)
    assert code == 1 and "parametres.frais.instruction.valeurs[1].depuis: les valeurs datées vont dans l'ordre des " \
        "dates : celle du 25/02/2019 est écrite après celle du 01/07/2019 ; mettez-la à son rang" in out


def test_duplicate_rule_id(copy):
    edit(copy / "regles" / "recours.yaml", "- id: recours.examen", "- id: recours.depot")
    code, out, _ = validate(copy.parent)
    assert code == 1 and "id de règle en double : 'recours.depot'" in out


def test_schema_violation_names_the_file_and_line(copy):
    edit(copy / "regles" / "frais.yaml", "    acteur: candidat\n", "    acteur: candidat\n    remise: 10\n")
    code, out, _ = validate(copy.parent)
    assert code == 1
    assert f"frais.yaml:{line_of(copy / 'regles' / 'frais.yaml', 'remise: 10')}: regles[" in out
    assert "clé inconnue 'remise'" in out


def test_unknown_holiday_name_to_exclude(copy):
    edit(copy / "calendrier.yaml", "exclure: [\"Fête de Victor Schoelcher\"]", "exclure: [\"Fete de Victor Schoelcher\"]")
    code, out, _ = validate(copy.parent)
    assert code == 1 and "aucun jour férié de ce calendrier ne s'appelle 'Fete de Victor Schoelcher' — vouliez-vous " \
        "dire 'Fête de Victor Schoelcher' ?" in out


def test_an_unknown_file_is_named(copy):
    (copy / "parametre.yaml").write_text("a: 1\n", encoding="utf-8")
    code, out, _ = validate(copy.parent)
    assert code == 1 and "parametre.yaml: $: fichier de politique inconnu, jamais lu : 'parametre.yaml' — " \
        "vouliez-vous dire 'parametres.yaml' ?" in out


def test_a_broken_policy_raises_policy_error_with_every_issue(copy):
    edit(copy / "regles" / "recours.yaml", "  article: III.7\n", "  article: XX\n")
    edit(copy / "parametres.yaml", "unite: jours_ouvres", "unite: heures")
    with pytest.raises(PolicyError) as error:
        load_policy(copy)
    messages = [issue.message for issue in error.value.issues]
    assert any("article 'XX'" in m for m in messages) and any("unité inconnue 'heures'" in m for m in messages)
    assert all(issue.file for issue in error.value.issues)


def test_validate_prints_its_ok_lines_only_once_every_check_passed(copy, tmp_path):
    """A history problem (found after the files loaded) still prints no `ok` line."""
    baseline = tmp_path / "avant"
    shutil.copytree(copy.parent, baseline)
    edit(copy / "parametres.yaml", '{depuis: 2020-02-25, valeur: "300.00"}', '{depuis: 2020-02-25, valeur: "320.00"}')
    out, err = io.StringIO(), io.StringIO()
    assert run(["policy", "validate", str(copy.parent), "--since", str(baseline)], out, err) == 1
    assert "ok :" not in out.getvalue() and "a été modifiée (300.00 → 320.00)" in out.getvalue()
    assert err.getvalue() == "1 problème(s) : rien n'est validé\n"


def test_evaluate_with_a_broken_policy_exits_3(copy, tmp_path):
    edit(copy / "regles" / "recours.yaml", "  article: III.7\n", "  article: XX\n")
    facts = tmp_path / "f.json"
    facts.write_text('{"organisme": {"siren": "732829320"}, "instance": "certifpro", "evenements": []}')
    out, err = io.StringIO(), io.StringIO()
    assert run(["evaluate", str(facts), "--policies", str(copy.parent)], out, err) == 3
    assert "article 'XX'" in err.getvalue()
    with pytest.raises(PolicyError):
        load_policies(copy.parent)


def test_a_title_with_a_format_spec_is_refused_at_its_line(copy):
    rules = copy / "regles" / "recours.yaml"
    edit(rules, "délai de {recours.delai_depot} à compter", "délai de {recours.delai_depot!r} à compter")
    code, out, _ = validate(copy.parent)
    assert code == 1
    line = line_of(rules, "{recours.delai_depot!r}")
    assert f"recours.yaml:{line}: regles[" in out
    assert "].titre: « {recours.delai_depot!r} » n'est pas une variable" in out


def test_a_finding_message_reaching_into_an_object_is_refused_at_its_line(copy):
    rules = copy / "regles" / "recours.yaml"
    edit(rules, 'message: "Recours reçu le {date}, après', 'message: "Recours reçu le {date.__class__}, après')
    with pytest.raises(PolicyError) as raised:
        load_policy(copy)
    lines = [str(issue) for issue in raised.value.issues]
    line = line_of(rules, "{date.__class__}")
    assert any(f"recours.yaml:{line}: " in text and text.endswith(
        "].constat.message: « {date.__class__} » n'est pas une variable : entre accolades, seulement un nom (lettres, "
        "chiffres, _ et points), au plus une clé entre crochets ({element[id]}) ; écrivez {{ et }} pour des "
        "accolades") for text in lines), lines


def test_a_title_naming_no_parameter_is_still_reported(copy):
    rules = copy / "regles" / "recours.yaml"
    edit(rules, "délai de {recours.delai_depot} à compter", "délai de {recours.delai_dpot} à compter")
    code, out, _ = validate(copy.parent)
    assert code == 1
    assert (f"recours.yaml:{line_of(rules, '{recours.delai_dpot}')}: " in out
            and "titre: le texte cite un paramètre inconnu '{recours.delai_dpot}'" in out)
def test_an_event_type_named_article_is_a_name_not_a_citation(copy):
    """Issue 18: the article check took the event type `article` for a citation and crashed with a TypeError."""
    edit(copy / "evenements.yaml", "  demande_deposee: {article: III.1,",
         "  article: {article: III.1, titre: Un article publié}\n  demande_deposee: {article: III.1,")
    code, out, _ = validate(copy.parent)
    assert code == 0, out
    assert "article" in load_policy(copy).event_types


@pytest.mark.parametrize("file, old, new, where, message", [
    ("politique.yaml", "id: certifpro", "id: {x: 1}", "politique.id",
     ("l'id d'une politique est un nom (minuscules, chiffres et _, par exemple id: ma_politique), pas un objet "
     '({"x": 1})')),
    ("evenements.yaml", "attributs: {objet: {enum: [instruction, recours, audit, conformite]}}",
     "attributs: {objet: {enum: 7}}", "evenements.types.reunion_instance.attributs.objet",
     "pas un schéma JSON : en enum, la valeur ne respecte pas la règle 'type' du méta-schéma"),
    ("evenements.yaml", "attributs: {objet: {enum: [instruction, recours, audit, conformite]}}",
     "attributs: {objet: {$ref: '#/$defs/absent'}}", "evenements.types.reunion_instance.attributs.objet",
     "pas un schéma JSON : en $ref, une référence qui ne mène à aucune partie du schéma"),
])
def test_a_shape_the_checks_did_not_expect_is_one_line(copy, file, old, new, where, message):
    """Issue 18: these passed the first checks and crashed later ones with a TypeError; each is now one French line,
    file:line: path: message, and the whole of what validate and the loader say."""
    edit(copy / file, old, new)
    code, out, _ = validate(copy.parent)
    assert code == 1
    assert out.splitlines() == [f"{copy / file}:{line_of(copy / file, new)}: {where}: {message}"]
    with pytest.raises(PolicyError) as error:
        load_policies(copy.parent)
    assert [(issue.path, issue.line, issue.message) for issue in error.value.issues] == \
        [(where, line_of(copy / file, new), message)]
