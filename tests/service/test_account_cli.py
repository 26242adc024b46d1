"""`clea account` (issue 25): the administrator's commands on the accounts file."""
from __future__ import annotations

import io
import os
import stat

import pytest

from engine.cli import account as account_command
from engine.cli import run
from engine.service.account_file import read_accounts
from engine.service.passwords import verify

from .conftest import POLICIES

PASSWORD = "un mot de passe solide"


def clea(*argv: str, stdin: str = "", monkeypatch=None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    if monkeypatch is not None:
        monkeypatch.setattr(account_command.sys, "stdin", io.StringIO(stdin))
    return run(list(argv), out, err), out.getvalue(), err.getvalue()


@pytest.fixture
def accounts(tmp_path, monkeypatch):
    monkeypatch.delenv("CLEA_ACCOUNTS", raising=False)
    return tmp_path / "comptes.yaml"


def add(monkeypatch, path, identifier, *roles, password=PASSWORD):
    return clea("account", "add", identifier, "--name", identifier.title(), *roles, "--password-stdin",
                "--accounts", str(path), "--policies", str(POLICIES), stdin=password + "\n", monkeypatch=monkeypatch)


def test_add_list_roles_password_remove(accounts, monkeypatch):
    code, out, err = add(monkeypatch, accounts, "marie", "--role", "proposition", "--policy", "certifpro")
    assert (code, err) == (0, "") and out == f"{accounts} : compte « marie » créé\n"
    assert stat.S_IMODE(os.stat(accounts).st_mode) == 0o600
    assert add(monkeypatch, accounts, "paul", "--role", "approbation,instruction")[0] == 0
    code, out, _ = clea("account", "list", "--accounts", str(accounts))
    assert code == 0 and out.splitlines() == ["marie  Marie  proposition (politiques : certifpro)",
                                              "paul   Paul   instruction, approbation"]
    assert "argon2" not in out
    code, out, _ = clea("account", "roles", "marie", "--role", "lecture", "--accounts", str(accounts))
    assert code == 0 and "rôles du compte « marie » : lecture" in out
    assert read_accounts(accounts)["marie"].account.politiques == frozenset()
    before = read_accounts(accounts)["paul"].password_hash
    code, out, _ = clea("account", "password", "paul", "--password-stdin", "--accounts", str(accounts),
                        stdin="un tout autre mot de passe\n", monkeypatch=monkeypatch)
    assert code == 0 and "ses sessions ouvertes sont fermées" in out
    after = read_accounts(accounts)["paul"].password_hash
    assert after != before and verify(after, "un tout autre mot de passe") and not verify(after, PASSWORD)
    code, out, _ = clea("account", "remove", "marie", "--accounts", str(accounts))
    assert code == 0 and sorted(read_accounts(accounts)) == ["paul"]


def test_the_password_is_asked_twice_without_echo(accounts, monkeypatch):
    answers = iter([PASSWORD, PASSWORD + "!"])
    monkeypatch.setattr(account_command.getpass, "getpass", lambda prompt: next(answers))
    code, _, err = clea("account", "add", "marie", "--name", "Marie", "--role", "lecture", "--accounts", str(accounts))
    assert code == 2 and "les deux mots de passe saisis diffèrent" in err and not accounts.exists()
    answers = iter([PASSWORD, PASSWORD])
    code, _, _ = clea("account", "add", "marie", "--name", "Marie", "--role", "lecture", "--accounts", str(accounts))
    assert code == 0 and verify(read_accounts(accounts)["marie"].password_hash, PASSWORD)


@pytest.mark.parametrize(("argv", "said"), [
    (("--role", "administration"), ("rôle inconnu « administration » : rôles possibles : lecture, instruction, "
                                   "proposition, approbation")),
    (("--role", "proposition"), "le rôle proposition demande la liste des politiques"),
    (("--role", "lecture", "--policy", "certifpro"), "les politiques ne limitent que le rôle proposition"),
    (("--role", "proposition", "--policy", "nulle_part"), "politique inconnue : nulle_part ; politiques de"),
])
def test_an_unknown_role_or_policy_is_refused_with_the_valid_ones(accounts, monkeypatch, argv, said):
    code, _, err = add(monkeypatch, accounts, "marie", *argv)
    assert code == 2 and said in err and not accounts.exists()
    if "nulle_part" in argv:
        assert err.rstrip().endswith("certifpro, cpne_exemple")


def test_bad_arguments_exit_2_in_french(accounts, monkeypatch):
    assert add(monkeypatch, accounts, "Marie Durand", "--role", "lecture")[2].startswith(
        "clea account add : identifiant invalide « Marie Durand »")
    assert "au moins 12 caractères" in add(monkeypatch, accounts, "marie", "--role", "lecture", password="court")[2]
    assert add(monkeypatch, accounts, "marie", "--role", "lecture")[0] == 0
    code, _, err = add(monkeypatch, accounts, "marie", "--role", "lecture")
    assert code == 2 and "le compte « marie » existe déjà" in err
    code, _, err = clea("account", "remove", "personne", "--accounts", str(accounts))
    assert code == 2 and "aucun compte « personne »" in err
    code, _, err = clea("account", "list")
    assert code == 2 and "--accounts FICHIER, ou la variable CLEA_ACCOUNTS" in err
    assert clea("account", "add", "x", "--accounts", str(accounts))[0] == 2          # --name, --role missing
    code, _, err = clea("account", "list", "--accounts", str(accounts.parent / "absent" / "comptes.yaml"))
    assert code == 2 and f"le dossier {accounts.parent / 'absent'} n'existe pas" in err
    code, _, err = clea("account", "list", "--accounts", str(accounts.with_name("absent.yaml")))
    assert code == 2 and "absent.yaml: $: fichier introuvable" in err


def test_a_broken_file_is_listed_line_by_line_and_left_as_it_is(accounts, monkeypatch):
    accounts.write_text("comptes:\n  - identifiant: marie\n    roles: [chef]\n", encoding="utf-8")
    code, _, err = clea("account", "remove", "marie", "--accounts", str(accounts))
    assert code == 2 and err.splitlines()[0] == "clea account remove : le fichier des comptes est inutilisable :"
    assert f"  {accounts}:2: comptes[0]: nom manquant" in err.splitlines()
    assert f"  {accounts}:3: comptes[0].roles[0]: rôle inconnu « chef »" in err
    assert accounts.read_text(encoding="utf-8").endswith("[chef]\n")


def test_the_file_comes_from_clea_accounts_and_every_command_is_documented(accounts, monkeypatch):
    monkeypatch.setenv("CLEA_ACCOUNTS", str(accounts))
    accounts.write_text("comptes: []\n", encoding="utf-8")
    assert clea("account", "list")[1] == f"{accounts} : aucun compte (clea account add pour en créer un)\n"
    code, _, _ = clea("account", "add", "marie", "--name", "Marie", "--role", "lecture", "--password-stdin",
                      stdin=PASSWORD + "\n", monkeypatch=monkeypatch)
    assert code == 0 and list(read_accounts(accounts)) == ["marie"]
    code, out, _ = clea("account", "--help")
    assert code == 0 and all(name in out for name in ("add", "list", "remove", "roles", "password"))
    code, out, _ = clea("--help")
    assert code == 0, out
    assert "account" in out


@pytest.mark.parametrize("workers", ["1", "2"])
def test_serve_refuses_to_start_on_a_broken_or_missing_accounts_file(tmp_path, workers):
    import subprocess

    from .conftest import _clea_command

    broken = tmp_path / "comptes.yaml"
    broken.write_text("comptes:\n  - identifiant: marie\n    nom: Marie\n    roles: [chef]\n    mot_de_passe: x\n",
                      encoding="utf-8")
    for path, said in ((broken, f"  {broken}:4: comptes[0].roles[0]: rôle inconnu « chef »"),
                       (tmp_path / "absent.yaml", f"  {tmp_path / 'absent.yaml'}: $: fichier introuvable")):
        done = subprocess.run([*_clea_command(), "serve", "--port", "0", "--workers", workers, "--policies",
                               str(POLICIES), "--log", str(tmp_path / "log.sqlite3"), "--accounts", str(path)],
                              capture_output=True, text=True, cwd=tmp_path, timeout=120, check=False)
        assert done.returncode == 2 and "Traceback" not in done.stderr
        assert f"le fichier des comptes {path} est inutilisable :" in done.stderr
        assert any(line.startswith(said) for line in done.stderr.splitlines()), done.stderr
        assert not (tmp_path / "log.sqlite3").exists()             # a refused start leaves no log behind
