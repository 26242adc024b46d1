"""What an overlay's replacement of a base action may not do (issue 19): move the duty to another party, make an
obligation an option, let the base's finding on lateness disappear. Each is refused at its line, with why."""
from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from engine.cli import run

POLICIES = Path(__file__).resolve().parent / "fixtures" / "policies"
REPLACED = ("- id: recours.accuse_reception\n  article: III.7\n"
            "  titre: La CPNE Exemple accuse réception du recours dans les {recours.delai_accuse_reception}\n"
            "  quand: {evenement: recours_depose, accomplit: {action: deposer_recours, dans_les_delais: true}}\n"
            "  action:\n    id: accuser_reception_recours\n    acteur: instance\n    nature: obligation\n"
            "    echeance: {delai: recours.delai_accuse_reception}\n"
            "    accomplie_par: {evenement: recours_accuse_reception}\n"
            "    si_en_retard: {constat: delai_instance_depasse, cas: [tardive]}\n")


LIBRARY = Path(__file__).resolve().parent / "fixtures" / "bibliotheque"
# The sections the base says guarantee what a replacement keeps: the frozen copy predates the key, so the tests
# declare them, as policies/certifpro/politique.yaml does.
GUARANTEES = ("    garanties:\n      acteur: {articles: [III.3, III.4]}\n      nature: {articles: [I, II, III.4]}\n"
              "      si_en_retard: {articles: [III.4, III.7]}\n")


def declare(folder: Path, guarantees: str) -> int:
    """Write `guarantees` under extension.regles of the copied base; the line of its first entry."""
    main = folder / "certifpro" / "politique.yaml"
    text = main.read_text(encoding="utf-8")
    anchor = "    effets: [action]\n"
    assert anchor in text
    main.write_text(text.replace(anchor, anchor + guarantees), encoding="utf-8")
    return text[:text.index(anchor)].count("\n") + 3


@pytest.fixture
def frozen(tmp_path) -> Path:
    shutil.copytree(POLICIES, tmp_path / "policies", ignore=shutil.ignore_patterns("tests"))
    return tmp_path / "policies"


@pytest.fixture
def copied(frozen) -> Path:
    declare(frozen, GUARANTEES)
    return frozen


def validate_with(folder: Path, rule: str) -> tuple[int, list[str]]:
    rules = folder / "cpne-exemple" / "regles"
    rules.mkdir(exist_ok=True)
    (rules / "recours.yaml").write_text(rule, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    code = run(["policy", "validate", str(folder), "--no-history"], out, err)
    return code, [line for line in out.getvalue().splitlines() if "cpne-exemple/regles/recours.yaml" in line]


def test_the_same_duty_with_the_base_finding_is_accepted(copied):
    assert validate_with(copied, REPLACED)[0] == 0


def test_a_duty_moved_onto_the_organisation_is_refused(copied):
    code, lines = validate_with(copied, REPLACED.replace("acteur: instance", "acteur: organisme"))
    assert code == 1
    [line] = lines
    assert ":7: " in line and "fait passer l'action 'accuser_reception_recours' de 'instance' à 'organisme' : une " \
        "extension ne déplace pas une diligence d'une partie sur une autre (III.3, III.4) ; gardez l'acteur de la " \
        "base" in line
    assert "Instance" not in line     # the engine names no party of the regulation


def test_an_obligation_made_an_option_is_refused(copied):
    code, lines = validate_with(copied, REPLACED.replace("nature: obligation", "nature: faculte"))
    assert code == 1
    [line] = lines
    assert ":8: " in line and "fait de l'obligation 'accuser_reception_recours' une faculté" in line
    assert "(I, II, III.4)" in line


def test_the_base_finding_on_lateness_disappearing_is_refused(copied):
    code, lines = validate_with(copied, REPLACED.replace(
        "    si_en_retard: {constat: delai_instance_depasse, cas: [tardive]}\n", ""))
    assert code == 1
    [line] = lines
    assert "fait disparaître ou change le constat 'delai_instance_depasse' de la base" in line
    assert "le retard de la base reste constaté (III.4, III.7) ; gardez si_en_retard: {constat: " \
        "delai_instance_depasse, cas: [tardive]}" in line


def test_without_declared_sections_the_weakening_is_still_refused_citing_none(frozen):
    code, lines = validate_with(frozen, REPLACED.replace("acteur: instance", "acteur: organisme")
                                .replace("nature: obligation", "nature: faculte"))
    assert code == 1
    moved, optional = sorted(lines, key=lambda line: ":8: " in line)
    assert ":7: " in moved and "une extension ne déplace pas une diligence d'une partie sur une autre ; gardez " \
        "l'acteur de la base" in moved
    assert ":8: " in optional and "elle n'en retire pas les obligations ; gardez nature: obligation" in optional


def test_an_unknown_section_in_the_guarantees_is_refused_at_its_line(frozen):
    line = declare(frozen, "    garanties:\n      acteur: {articles: [III.3, III.99]}\n")
    out, err = io.StringIO(), io.StringIO()
    assert run(["policy", "validate", str(frozen), "--no-history"], out, err) == 1
    [problem] = [text for text in out.getvalue().splitlines() if "III.99" in text]
    assert problem.startswith(f"{frozen / 'certifpro' / 'politique.yaml'}:{line}: ")
    assert "politique.extension.regles.garanties.acteur.articles[1]" in problem
    assert "absent du plan du texte (articles.yaml)" in problem


LIBRARY_EXTENSION = ("extension:\n  article: art1\n  regles:\n    prefixes: [retour]\n    effets: [action]\n"
                     "    garanties:\n      acteur: {articles: [art2]}\n      nature: {articles: [art1, art3]}\n"
                     "      si_en_retard: {articles: [art3]}\n")
BRANCH = ("id: annexe\nversion: \"1\"\ntitre: Annexe de quartier (fictive)\ninstances: [annexe]\n"
          "etend: bibliotheque\n")
BRANCH_RULE = ("- id: retour\n  article: art1\n  titre: Un livre est rendu dans les {pret.duree}\n"
               "  quand: {evenement: emprunt, si: {support: livre}}\n"
               "  action:\n    id: rendre_livre\n    acteur: annexe\n    nature: faculte\n"
               "    echeance: {delai: pret.duree}\n"
               "    accomplie_par: {evenement: retour, meme: [cote], date: date_depot}\n")


def test_a_second_policy_gets_its_own_sections_in_the_refusals(tmp_path):
    folder = tmp_path / "policies"
    shutil.copytree(LIBRARY, folder / "bibliotheque")
    main = folder / "bibliotheque" / "politique.yaml"
    main.write_text(main.read_text(encoding="utf-8") + LIBRARY_EXTENSION, encoding="utf-8")
    (folder / "annexe" / "regles").mkdir(parents=True)
    (folder / "annexe" / "politique.yaml").write_text(BRANCH, encoding="utf-8")
    (folder / "annexe" / "regles" / "prets.yaml").write_text(BRANCH_RULE, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    assert run(["policy", "validate", str(folder), "--no-history"], out, err) == 1
    lines = [line for line in out.getvalue().splitlines() if "annexe/regles/prets.yaml" in line]
    assert any(":7: " in line and "de 'lecteur' à 'annexe' : une extension ne déplace pas une diligence d'une "
               "partie sur une autre (art2) ;" in line for line in lines), lines
    assert any(":8: " in line and "elle n'en retire pas les obligations (art1, art3) ;" in line for line in lines)
    assert any("le constat 'livre_rendu_en_retard' de la base" in line and "reste constaté (art3) ;" in line
               for line in lines)
    assert not any("III." in line for line in lines)
