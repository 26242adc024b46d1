"""Policy folders that are broken on purpose or by accident (issue 14): `clea policy validate` and the loader
refuse them quickly, with file:line, without reading outside the folder nor echoing what is there."""
from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import pytest

from engine import PolicyError, load_policies
from engine.cli import run
from engine.limits import MAX_POLICY_FILE_BYTES

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SECRET = "motdepasse-ne-doit-jamais-paraitre"


@pytest.fixture
def folder(tmp_path):
    shutil.copytree(FIXTURES / "policies" / "certifpro", tmp_path / "policies" / "certifpro")
    return tmp_path / "policies" / "certifpro"


def validate(policies: Path) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(["policy", "validate", str(policies), "--no-history"], out, err)
    assert "Traceback" not in out.getvalue() + err.getvalue()
    return code, out.getvalue() + err.getvalue()


def issues_of(policies: Path) -> list[str]:
    with pytest.raises(PolicyError) as caught:
        load_policies(policies)
    return [str(issue) for issue in caught.value.issues]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("schema,keyword", [("{type: liste}", "anyOf"), ("{minimum: douze}", "type"),
                                            ("{pattern: '('}", "format")])
def test_an_event_attribute_schema_that_is_not_a_json_schema_is_refused_at_validation(folder, schema, keyword):
    edit(folder / "evenements.yaml", "      nombre: {type: integer, minimum: 1}", f"      nombre: {schema}")
    code, out = validate(folder.parent)
    line = next(n for n, text in enumerate((folder / "evenements.yaml").read_text().splitlines(), 1)
                if text == f"      nombre: {schema}")
    assert code == 1
    assert f"evenements.yaml:{line}: evenements.types.certificats_delivres.attributs.nombre: pas un schéma JSON" in out
    assert f"'{keyword}'" in out


def test_a_remote_reference_in_an_attribute_schema_is_refused(folder):
    edit(folder / "evenements.yaml", "      nombre: {type: integer, minimum: 1}",
         "      nombre: {$ref: 'http://127.0.0.1:9/schema.json'}")
    code, out = validate(folder.parent)
    assert code == 1 and "une référence qui n'est pas locale" in out


@pytest.mark.parametrize("where", ["constats.yaml", "regles/frais.yaml"])
def test_a_fifo_in_the_folder_is_refused_without_blocking(folder, where):
    (folder / where).unlink()
    os.mkfifo(folder / where)
    assert any(f"{where}: $: pas un fichier ordinaire" in issue for issue in issues_of(folder.parent))


@pytest.mark.parametrize("target", ["/dev/zero", "/etc/hostname"])
def test_a_symbolic_link_out_of_the_folder_is_refused_unread(folder, target):
    (folder / "constats.yaml").unlink()
    (folder / "constats.yaml").symlink_to(target)
    [issue] = [i for i in issues_of(folder.parent) if "constats.yaml" in i]
    assert "un lien symbolique vers un fichier hors de" in issue


def test_a_symbolic_link_within_the_folder_is_followed(folder):
    (folder / "autres").mkdir()
    (folder / "constats.yaml").rename(folder / "autres" / "constats.yaml")
    (folder / "constats.yaml").symlink_to(folder / "autres" / "constats.yaml")
    assert load_policies(folder.parent).ids() == ["certifpro"]


def test_an_oversize_policy_file_is_refused_unread(folder):
    with (folder / "constats.yaml").open("a", encoding="utf-8") as stream:
        stream.write("#" * MAX_POLICY_FILE_BYTES)
    assert any(f"fichier trop gros : plus de {MAX_POLICY_FILE_BYTES} octets" in issue for issue in issues_of(folder.parent))


def test_a_policy_value_nested_600_deep_is_refused_with_its_line(folder):
    with (folder / "constats.yaml").open("a", encoding="utf-8") as stream:
        stream.write("profond: " + "[" * 600 + "]" * 600 + "\n")
    found = issues_of(folder.parent)
    assert any("constats.yaml:" in issue and "imbriqué sur plus de 32 niveaux" in issue for issue in found)


def test_an_alias_bomb_in_a_policy_file_is_refused(folder):
    from .test_documents import ALIAS_BOMB
    with (folder / "constats.yaml").open("a", encoding="utf-8") as stream:
        stream.write(ALIAS_BOMB.replace("a:", "z0:", 1))
    assert any("valeurs une fois ses alias développés" in issue for issue in issues_of(folder.parent))


def test_errors_never_echo_a_facts_schema(folder, tmp_path):
    secret = folder / "secret.schema.json"
    secret.write_text(f'{{"type": "{SECRET}", "properties": {{"x": {{"minimum": "{SECRET}"}}}}}}')
    edit(folder / "politique.yaml", "schema_faits: facts.schema.json", "schema_faits: secret.schema.json")
    code, out = validate(folder.parent)
    assert code == 1 and "schéma des faits" in out and "pas un schéma JSON" in out and SECRET not in out
    secret.write_text("root:x:0:0:" + SECRET)
    code, out = validate(folder.parent)
    assert code == 1 and "pas du JSON valide" in out and SECRET not in out


def test_a_facts_schema_outside_the_folder_is_never_read(folder, tmp_path):
    outside = tmp_path / "secret.json"
    outside.write_text(f'{{"type": "{SECRET}"}}')
    for name in (str(outside), "/etc/passwd", "../../secret.json"):
        edit(folder / "politique.yaml", "schema_faits: facts.schema.json", f"schema_faits: {name}")
        code, out = validate(folder.parent)
        assert code == 1 and "sort du dossier de la politique" in out and SECRET not in out and "root:x" not in out
        edit(folder / "politique.yaml", f"schema_faits: {name}", "schema_faits: facts.schema.json")
    (folder / "lien.json").symlink_to(outside)
    edit(folder / "politique.yaml", "schema_faits: facts.schema.json", "schema_faits: lien.json")
    code, out = validate(folder.parent)
    assert code == 1 and "un lien symbolique vers un fichier hors de" in out and SECRET not in out


def test_a_facts_schema_that_is_a_fifo_or_a_device_is_refused(folder, tmp_path):
    os.mkfifo(folder / "schema.fifo")
    edit(folder / "politique.yaml", "schema_faits: facts.schema.json", "schema_faits: schema.fifo")
    assert any("pas un fichier ordinaire" in issue for issue in issues_of(folder.parent))


def test_a_lone_surrogate_in_a_policy_value_is_refused_with_its_line(folder):
    """Found by the long fuzz run: the policy's revision (a hash of its content) could not be computed."""
    edit(folder / "constats.yaml", "\n", '\nrenseignement: "x\\ud800"\n')
    [issue] = [i for i in issues_of(folder.parent) if "constats.yaml" in i]
    assert "constats.yaml:2: renseignement:" in issue and "\\ud800" in issue


def test_a_lone_surrogate_in_a_facts_schema_is_refused(folder):
    schema = (FIXTURES.parents[1] / "schemas" / "facts.schema.json").read_text(encoding="utf-8")
    (folder / "faits.schema.json").write_text(schema.replace('"title": "', '"title": "\\udfff', 1), encoding="utf-8")
    edit(folder / "politique.yaml", "schema_faits: facts.schema.json", "schema_faits: faits.schema.json")
    code, out = validate(folder.parent)
    assert code == 1 and "schema_faits" in out and "\\udfff" in out
