"""`clea policy validate` refuses what the rule language's new parts cannot mean, one line per problem with its
file:line (on a copy of the made-up library policy, tests/fixtures/bibliotheque)."""
from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from engine.cli import run

LIBRARY = Path(__file__).resolve().parent / "fixtures" / "bibliotheque"


@pytest.fixture
def library(tmp_path):
    return Path(shutil.copytree(LIBRARY, tmp_path / "bibliotheque"))


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def problems(folder: Path) -> list[str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(["policy", "validate", str(folder), "--no-history"], out, err)
    assert "Traceback" not in out.getvalue() + err.getvalue()
    assert code == 1, out.getvalue()
    return [line for line in out.getvalue().splitlines() if not line.startswith(("ok:", "note:"))]


def line_of(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


CATALOGUE = [
    ("defauts: {support: livre}", "defauts: {support: livres}", "evenements.yaml", "defauts.support",
     "'livres' n'est pas une valeur valide de l'attribut 'support'"),
    ("defauts: {support: livre}", "defauts: {format: livre}", "evenements.yaml", "defauts.format",
     "attribut 'format' non déclaré"),
    ("{si: {support: dvd}, requis: [boitier]}", "{si: {support: dvd}, requis: [etui]}", "evenements.yaml",
     "requis_si[0].requis[0]", "attribut 'etui' non déclaré"),
    ("{si: {support: dvd}, requis: [boitier]}", "{si: {support: vhs}, requis: [boitier]}", "evenements.yaml",
     "requis_si[0].si.support", "'vhs' n'est pas une valeur valide"),
]
RULES = [
    # a status guard feeding the status it depends on
    ("  constat: {id: emprunt_hors_abonnement, message: \"Emprunt de {cote} le {date} alors que le lecteur est « {statut} ».\"}",
     "  statut: {vers: resilie}", "au_statut", "le statut dépendrait de lui-même"),
    ("accomplit: {action: rendre_livre, dans_les_delais: false}", "accomplit: {action: rendre_dvd}",
     "accomplit.action", "aucune règle ne définit l'action 'rendre_dvd'"),
    ("sans: {evenement: inscription, jusqu_au: date}", "sans: {evenement: adhesion, jusqu_au: date}",
     "sans.evenement", "événement inconnu 'adhesion'"),
    ("sans: {evenement: inscription, jusqu_au: date}", "sans: {evenement: inscription, jusqu_au: date_retour}",
     "sans.jusqu_au", "l'événement 'emprunt' n'a pas d'attribut 'date_retour'"),
    ("existe: {evenement: relance, jusqu_au: date, puis_aucun: [retour]}",
     "existe: {evenement: relance, meme: [cote], puis_aucun: [retour]}", "existe.meme",
     "l'attribut 'cote' n'est pas sur l'événement 'relance'"),
    ("hors: [abonne]", "hors: [membre]", "au_statut.hors[0]", "statut inconnu 'membre'"),
    ("constat: {id: emprunt_sans_inscription}", "constat: {id: emprunt_anonyme}", "constat.id",
     "constat inconnu 'emprunt_anonyme'"),
    ("message: \"{cote} rendu abîmé le {date}.\"", "message: \"{cote} rendu abîmé ({statut}).\"", "constat.message",
     "variable inconnue {statut}"),
    # `portee` compares an attribute of the trigger: one it does not carry is refused
    ("sans: {evenement: inscription, jusqu_au: date}",
     "sans: {evenement: inscription, jusqu_au: date}, portee: {chemin: rayon, dans: false}",
     "portee.chemin", "l'événement 'emprunt' n'a pas d'attribut 'rayon'"),
    # a finding whose catalogue lists its sections, raised by a rule under another one
    ("  article: art1\n  titre: Seul un abonné", "  article: art2\n  titre: Seul un abonné", "constat.id",
     "n'est pas cité sous art2"),
]


@pytest.mark.parametrize("old, new, file, where, message", CATALOGUE, ids=[c[3] for c in CATALOGUE])
def test_catalogue_defaults_and_conditional_requirements_are_checked(library, old, new, file, where, message):
    edit(library / file, old, new)
    found = problems(library)
    line = line_of(library / file, new.split(":")[0].strip("{ ") if "defauts" in new else new.split(", requis")[0])
    assert any(f"{file}:" in p and where in p and message in p for p in found), found
    assert any(f"{file}:{line}:" in p for p in found), (line, found)


@pytest.mark.parametrize("old, new, where, message", RULES, ids=[r[2] + "-" + str(i) for i, r in enumerate(RULES)])
def test_guards_and_findings_are_checked(library, old, new, where, message):
    rules = library / "regles" / "usages.yaml"
    edit(rules, old, new)
    found = problems(library)
    assert any("usages.yaml:" in p and where in p and message in p for p in found), found


def test_constats_articles_are_sections_of_the_map(library):
    edit(library / "constats.yaml", "articles: [art1, art3]", "articles: [art1, art9]")
    found = problems(library)
    assert any("constats.yaml:" in p and "articles[1]" in p and "'art9'" in p for p in found), found


def test_a_deadline_s_later_date_is_an_attribute_of_the_trigger(library):
    rules = library / "regles" / "prets.yaml"
    edit(rules, "echeance: {delai: pret.duree}", "echeance: {delai: pret.duree, au_plus_tot: date_limite}")
    found = problems(library)
    assert any("prets.yaml:" in p and "echeance.au_plus_tot" in p
               and "l'événement 'emprunt' n'a pas d'attribut 'date_limite'" in p for p in found), found
