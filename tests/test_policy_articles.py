"""`clea policy articles`: for each section of the regulation, what encodes it and what it deliberately leaves out;
`clea policy validate` warns on a section with neither (the frozen copy of the policies, tests/fixtures/policies)."""
from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest

from engine.cli import run

FROZEN = Path(__file__).resolve().parent / "fixtures" / "policies"
SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"


def clea(*argv):
    out, err = io.StringIO(), io.StringIO()
    code = run([str(a) for a in argv], out, err)
    assert "Traceback" not in out.getvalue() + err.getvalue()
    return code, out.getvalue(), err.getvalue()


def test_every_section_of_certifpro_is_encoded_or_declared_not_encodable():
    code, out, _ = clea("policy", "articles", "--policies", FROZEN, "--policy", "certifpro", "--format", "json")
    assert code == 0
    document = json.loads(out)["certifpro"]
    assert document["lacunes"] == []
    sections = {section["id"]: section for section in document["articles"]}
    assert [rule["id"] for rule in sections["IV.2"]["regles"]] == ["sous_traitance.accord_prealable"]
    rule = sections["IV.2"]["regles"][0]
    assert rule["fichier"] == "certifpro/regles/sous_traitance.yaml" and rule["ligne"] > 0
    assert sections["IV.3"]["non_encodable"] and all(s["raison"] for s in sections["IV.3"]["non_encodable"])
    assert not any(sections["IV.3"][kind] for kind in ("regles", "parametres", "criteres", "pieces", "controles"))
    # a finding cited under several sections is listed under each; a status guard's exception under its own
    assert "delai_instance_depasse" in [f["id"] for f in sections["V.1"]["constats"]]
    assert "activite.certificats_hors_habilitation" in [r["id"] for r in sections["III.5"]["regles"]]
    assert [p["id"] for p in sections["def"]["pieces"]] == ["declaration_activite"]


def test_the_text_lists_each_section_with_its_rules_and_sentences():
    code, out, _ = clea("policy", "articles", "--policies", FROZEN, "--policy", "certifpro")
    assert code == 0
    assert out.splitlines()[0].startswith("certifpro ") and out.splitlines()[-1] == "Lacunes : aucune"
    assert "sous_traitance.accord_prealable (certifpro/regles/sous_traitance.yaml:" in out
    assert "non encodable « Toutes les informations […] sont strictement confidentielles." in out


def test_an_unknown_policy_is_an_argument_error():
    code, _, err = clea("policy", "articles", "--policies", FROZEN, "--policy", "inconnue")
    assert code == 2 and "--policy" in err and "certifpro" in err


@pytest.fixture
def copy(tmp_path):
    shutil.copytree(SCHEMAS, tmp_path / "schemas")
    target = tmp_path / "policies"
    shutil.copytree(FROZEN, target, ignore=shutil.ignore_patterns("tests"))
    return target


def test_validate_warns_on_a_section_that_nothing_encodes_nor_declares(copy):
    articles = copy / "certifpro" / "articles.yaml"
    text = articles.read_text(encoding="utf-8")
    start = text.index("IV.3:\n")
    end = text.index("IV.4:\n")
    articles.write_text(text[:start] + "IV.3: Confidentialité\n" + text[end:], encoding="utf-8")
    code, out, _ = clea("policy", "validate", copy, "--no-history")
    assert code == 0
    warnings = [line for line in out.splitlines() if line.startswith("avertissement:")]
    assert len(warnings) == 1, out       # the overlay inherits the gap: the base's warning says it once
    line = next(i for i, l in enumerate(articles.read_text(encoding="utf-8").splitlines(), 1) if l.startswith("IV.3:"))
    assert f"articles.yaml:{line}: articles.IV.3: certifpro" in warnings[0]
    code, out, _ = clea("policy", "articles", "--policies", copy, "--policy", "certifpro", "--format", "json")
    assert code == 0, out
    assert json.loads(out)["certifpro"]["lacunes"] == ["IV.3"]


LIVE = Path(__file__).resolve().parent.parent / "policies"


def _live_articles():
    code, out, _ = clea("policy", "articles", "--policies", LIVE, "--policy", "certifpro", "--format", "json")
    assert code == 0
    return json.loads(out)["certifpro"]


def test_every_sentence_of_certifpro_s_text_is_encoded_or_declared():
    """Each sentence of policies/certifpro/texte.md is encoded (articles.yaml `encode`, naming what encodes it) or
    declared not encodable (`non_encodable`, with its reason): none is left unaccounted."""
    document = _live_articles()
    unaccounted = {section["id"]: section["phrases_non_rendues"] for section in document["articles"]
                   if section["phrases_non_rendues"]}
    assert unaccounted == {}
    assert sum(len(section["phrases"]) for section in document["articles"]) > 300
    states = {sentence["etat"] for section in document["articles"] for sentence in section["phrases"]}
    assert states == {"encodee", "declaree"}


def test_what_encodes_a_sentence_exists_in_the_policy():
    """An `encode` entry names rules, parameters, criteria, parts, controls, the period or findings of the policy."""
    document = _live_articles()
    known = {item["id"] for section in document["articles"]
             for kind in ("regles", "parametres", "criteres", "pieces", "controles", "periode", "politique",
                          "constats", "avis") for item in section[kind]}
    named = {name for section in document["articles"] for entry in section["encode"] for name in entry["par"]}
    assert named and named - known == set()
    # the sentences of section I are encoded by the rules that compare who granted the habilitation
    section_i = next(section for section in document["articles"] if section["id"] == "I")
    exclusive = next(s for s in section_i["phrases"] if "doit exclusivement s’adresser" in s["texte"])
    assert exclusive == {"texte": exclusive["texte"], "etat": "encodee",
                         "par": ["instances.demande_a_l_instance_competente"]}


def test_a_sentence_neither_encoded_nor_declared_is_listed(tmp_path):
    shutil.copytree(SCHEMAS, tmp_path / "schemas")
    target = tmp_path / "policies"
    shutil.copytree(LIVE, target, ignore=shutil.ignore_patterns("tests"))
    articles = target / "certifpro" / "articles.yaml"
    text = articles.read_text(encoding="utf-8")
    entry = '    - texte: "doit exclusivement s\'adresser à la CPNE/CPNAA"\n      par: [instances.demande_a_l_instance_competente]\n'
    assert entry in text
    articles.write_text(text.replace(entry, ""), encoding="utf-8")
    code, out, _ = clea("policy", "articles", "--policies", target, "--policy", "certifpro", "--format", "json")
    assert code == 0, out
    sections = {section["id"]: section for section in json.loads(out)["certifpro"]["articles"]}
    assert [s[:61] for s in sections["I"]["phrases_non_rendues"]] == [
        "Cela signifie que le Candidat qui souhaite être habilité pour"]
    code, out, _ = clea("policy", "articles", "--policies", target, "--policy", "certifpro")
    assert code == 0
    assert "NON RENDUE : ni encodée ni déclarée « Cela signifie que le Candidat" in out
    assert "Phrases ni encodées ni déclarées : 1" in out
