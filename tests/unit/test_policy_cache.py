"""The per-process policy cache the CLI reads through (engine/policy/loading/cache.py): the same folder content
gives the same loaded set; a changed, added or removed file loads again."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from engine.errors import PolicyError
from engine.policy.loading.cache import content_hash, load_policies_cached

FROZEN = Path(__file__).resolve().parents[1] / "fixtures" / "policies"


def test_same_content_same_set_changed_content_loaded_again(tmp_path):
    folder = tmp_path / "policies"
    shutil.copytree(FROZEN, folder, ignore=shutil.ignore_patterns("tests"))
    first = load_policies_cached(folder)
    assert load_policies_cached(folder) is first
    title = folder / "certifpro" / "politique.yaml"
    before = content_hash(folder)
    title.write_text(title.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert content_hash(folder) != before
    second = load_policies_cached(folder)
    assert second is not first
    (folder / "certifpro" / "notes.txt").write_text("x", encoding="utf-8")     # a file added
    assert load_policies_cached(folder) is not second


def test_a_broken_folder_is_never_kept(tmp_path):
    with pytest.raises(PolicyError):
        load_policies_cached(tmp_path)
    with pytest.raises(PolicyError):
        load_policies_cached(tmp_path / "absent")
