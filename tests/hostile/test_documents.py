"""Reading hostile YAML and JSON (issue 14): refused early, small and fast, with the line; never a traceback."""
from __future__ import annotations

import tracemalloc

import pytest

from engine.documents import parse_json, parse_yaml, read_stream, read_text
from engine.limits import MAX_DEPTH, MAX_POLICY_VALUES

# 9 levels of 9 aliases: 9**9 (387 million) strings once expanded; a few hundred bytes of text
ALIAS_BOMB = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]\n"
    for previous, name in zip("abcdefgh", "bcdefghi"))


def peak_mb(function, *args, **kwargs):
    tracemalloc.start()
    try:
        result = function(*args, **kwargs)
        return result, tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


def test_an_alias_bomb_in_facts_is_refused_at_its_first_anchor_before_anything_is_built():
    assert len(ALIAS_BOMB) < 600
    (document, issues), peak = peak_mb(parse_yaml, ALIAS_BOMB, "bomb.yaml", aliases=False)
    assert document is None and peak < 50
    assert [(issue.line, issue.message) for issue in issues] == [
        (1, "les ancres et alias YAML (&nom, *nom) ne sont pas acceptés ici")]


def test_an_alias_bomb_in_a_policy_is_refused_by_its_expanded_size_without_expanding_it():
    (document, issues), peak = peak_mb(parse_yaml, ALIAS_BOMB, "bomb.yaml")
    assert document is None and peak < 50
    assert "plus de 200 000 valeurs une fois ses alias développés" in issues[0].message


@pytest.mark.parametrize("items, refused", [(MAX_POLICY_VALUES - 1, False), (MAX_POLICY_VALUES, True)])
def test_a_policy_document_without_aliases_is_bounded_by_its_count_of_values(items, refused):
    """The list and its items: MAX_POLICY_VALUES values are read, one more is refused. libyaml counts them on its
    events (engine/yaml_c.py), the same bound as the expanded size of a document with aliases."""
    document, issues = parse_yaml("[" + ", ".join(["0"] * items) + "]\n", "long.yaml")
    if refused:
        assert document is None
        assert [issue.message for issue in issues] == ["plus de 200 000 valeurs une fois ses alias développés"]
    else:
        assert issues == [] and len(document.data) == items


def test_a_recursive_alias_is_refused():
    document, issues = parse_yaml("a: &a [1, *a]\n", "loop.yaml")
    assert document is None and "imbriqué sur plus de" in issues[0].message


def test_aliases_of_modest_size_still_work_in_policies():
    document, issues = parse_yaml("a: &x {type: string}\nb: *x\n", "ok.yaml")
    assert issues == [] and document.data == {"a": {"type": "string"}, "b": {"type": "string"}}


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 500, 5000])
def test_yaml_nested_too_deep_is_refused_with_its_line(depth):
    flow = "x: " + "[" * depth + "]" * depth
    block = "x:\n" + "".join("  " * i + "- \n" for i in range(depth))
    for text in (flow, block):
        document, issues = parse_yaml(text, "deep.yaml")
        assert document is None and issues[0].message == f"imbriqué sur plus de {MAX_DEPTH} niveaux"
        assert issues[0].line is not None


def test_yaml_at_the_depth_limit_is_read():
    text = "[" * MAX_DEPTH + "1" + "]" * MAX_DEPTH
    _document, issues = parse_yaml(text, "deep.yaml")
    assert issues == []


@pytest.mark.parametrize("text", ["x: " + "9" * 5000, "x: -" + "1" * 40, "x: 1" + "0" * 40 + ".5"])
def test_overlong_numbers_are_refused(text):
    _document, issues = parse_yaml(text, "n.yaml")
    assert [issue.message for issue in issues] == ["un nombre de plus de 30 caractères"]


@pytest.mark.parametrize("text", ["x: .nan", "x: .inf", "x: -.Inf"])
def test_yaml_nan_and_infinities_are_refused(text):
    assert "n'est pas un nombre fini" in parse_yaml(text, "n.yaml")[1][0].message


def test_json_nested_1000_deep_is_refused_not_a_recursion_error():
    data, issues = parse_json("[" * 1000 + "]" * 1000, "deep.json")
    assert data is None and issues[0].message == f"imbriqué sur plus de {MAX_DEPTH} niveaux"


@pytest.mark.parametrize("text,message", [
    ('{"a": NaN}', "NaN n'est pas un nombre fini"),
    ('{"a": -Infinity}', "-Infinity n'est pas un nombre fini"),
    ('{"a": 1e400}', "1e400 n'est pas un nombre fini"),
    ('{"a":\n ' + "1" * 5000 + "}", "un nombre de plus de 30 caractères"),
])
def test_json_non_finite_and_overlong_numbers_are_refused(text, message):
    data, issues = parse_json(text, "n.json")
    assert data is None and issues[0].message.startswith(message)


def test_json_duplicate_keys_are_refused_with_their_path():
    data, issues = parse_json('{"a": 1, "b": {"c": 1, "c": 2}, "a": 3}', "d.json")
    assert data is None
    assert sorted(issue.path for issue in issues) == ["a", "b.c"]
    assert {issue.message for issue in issues} == {"clé en double"}


def test_a_fifo_is_never_opened_for_reading_as_a_policy_file(tmp_path):
    import os
    fifo = tmp_path / "politique.yaml"
    os.mkfifo(fifo)
    text, issues = read_text(fifo, regular_only=True)      # would block forever if it were read
    assert text is None and "pas un fichier ordinaire" in issues[0].message


def test_devices_are_refused_even_where_pipes_are_read():
    text, issues = read_text("/dev/zero")
    assert text is None and issues[0].message == "un périphérique, pas un fichier"


def test_a_file_over_its_limit_is_refused_unread(tmp_path):
    big = tmp_path / "big.yaml"
    big.write_bytes(b"x" * 2000)
    text, issues = read_text(big, limit=1000)
    assert text is None and issues[0].message == "plus de 1000 octets"


def test_a_symbolic_link_out_of_the_folder_is_refused_without_reading_its_target(tmp_path):
    folder = tmp_path / "policy"
    folder.mkdir()
    (tmp_path / "secret.txt").write_text("root:x:0:0\n")
    (folder / "link.yaml").symlink_to(tmp_path / "secret.txt")
    text, issues = read_text(folder / "link.yaml", within=folder)
    assert text is None and "hors de" in issues[0].message and "root:x" not in str(issues[0])


def test_standard_input_over_its_limit_is_refused():
    import io
    text, issues = read_stream(io.BytesIO(b"x" * 11), "<stdin>", limit=10)
    assert text is None and issues[0].message == "plus de 10 octets"
