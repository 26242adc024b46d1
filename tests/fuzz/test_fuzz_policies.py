"""Fuzzing policy folders: a mutated policy file is refused by load_policies with PolicyError, or it loads and
then evaluates real dossiers to a verdict or FactsError; never another exception, never a hang."""
from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from engine import FactsError, PolicyError, evaluate, load_policies

from .conftest import bounded, examples
from .strategies import FACTS, FIXTURES, HOSTILE_VALUES, ROOT, _at, _paths, json_text, mutated_text

FILES = ["politique.yaml", "evenements.yaml", "parametres.yaml", "statuts.yaml", "constats.yaml",
         "calendrier.yaml", "dossier.yaml", "regles/frais.yaml", "regles/instruction.yaml", "regles/recours.yaml"]


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    root = tmp_path_factory.mktemp("policies")
    shutil.copytree(FIXTURES / "certifpro", root / "policies" / "certifpro", ignore=shutil.ignore_patterns("tests"))
    shutil.copytree(ROOT / "schemas", root / "schemas")
    return root / "policies"


def _check(folder: Path) -> None:
    with bounded(60):
        try:
            policies = load_policies(folder)
        except PolicyError as error:
            assert error.issues
            str(error).encode("utf-8", "backslashreplace")
            return
        for facts in FACTS[:4]:
            try:
                verdict = evaluate(copy.deepcopy(facts), "2026-11-27", policies=policies)
            except FactsError:
                continue
            json.dumps(verdict, ensure_ascii=False, allow_nan=False)


def _mutated(data, document):
    paths = [path for path in _paths(document) if path]
    path = data.draw(st.sampled_from(paths))
    parent, key = _at(document, path[:-1]), path[-1]
    if data.draw(st.booleans()):
        parent[key] = data.draw(HOSTILE_VALUES)
    else:
        del parent[key]
    return document


@settings(max_examples=examples(30))
@given(data=st.data(), name=st.sampled_from(FILES))
def test_a_mutated_policy_value_is_refused_or_evaluates(folder, data, name):
    path = folder / "certifpro" / name
    original = path.read_text(encoding="utf-8")
    try:
        document = _mutated(data, yaml.safe_load(original))
        text = json_text(document)      # JSON is YAML: what the loader reads, however deep or huge
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        _check(folder)
    finally:
        path.write_text(original, encoding="utf-8")


@settings(max_examples=examples(20))
@given(data=st.data(), name=st.sampled_from(FILES))
def test_a_mutated_policy_text_is_refused_or_evaluates(folder, data, name):
    path = folder / "certifpro" / name
    original = path.read_text(encoding="utf-8")
    try:
        path.write_text(data.draw(mutated_text(original)), encoding="utf-8", errors="surrogatepass")
        _check(folder)
    finally:
        path.write_text(original, encoding="utf-8")
