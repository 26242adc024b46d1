"""Accounts and roles (issue 25): the accounts file, the passwords' hashes, what each role may do."""
from __future__ import annotations

import os
import stat
import threading

import pytest
from argon2 import PasswordHasher

from engine.service import account_file, passwords
from engine.service.account_book import AccountBook, subject_of
from engine.service.account_file import AccountsError, Entry, parse_accounts, read_accounts, write_accounts
from engine.service.accounts import ROLES, Account, Forbidden, require

CHEAP = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)    # tests only: the file keeps the real ones


def entry(identifier: str, roles, policies=(), password="un mot de passe solide") -> Entry:
    return Entry(Account(identifier, identifier.title(), frozenset(roles), frozenset(policies)),
                 passwords.hash_password(password, CHEAP))


def test_every_role_implies_lecture_and_proposition_is_limited_to_its_policies():
    secretary = Account("marie", "Marie", frozenset({"proposition"}), frozenset({"base"}))
    assert secretary.may("lecture") and secretary.may("proposition", "base") and secretary.may("proposition")
    assert not secretary.may("proposition", "surcouche") and not secretary.may("approbation")
    assert not secretary.may("instruction")
    approver = Account("paul", "Paul", frozenset({"approbation"}), frozenset())
    assert approver.may("approbation", "base") and approver.may("lecture") and not approver.may("proposition")
    assert not Account("vide", "Vide", frozenset(), frozenset()).may("lecture")
    with pytest.raises(ValueError):
        approver.may("administration")
    assert require(approver, "approbation") is approver
    with pytest.raises(Forbidden) as refused:
        require(secretary, "proposition", "surcouche")
    assert (refused.value.account, refused.value.role, refused.value.policy) == (secretary, "proposition", "surcouche")
    with pytest.raises(Forbidden):
        require(None, "lecture")
    assert ROLES == ("lecture", "instruction", "proposition", "approbation")


def test_passwords_are_hashed_with_argon2_and_checked():
    stored = passwords.hash_password("un mot de passe solide")
    assert stored.startswith("$argon2id$") and "solide" not in stored
    assert passwords.verify(stored, "un mot de passe solide")
    assert not passwords.verify(stored, "un mot de passe solidE")
    assert not passwords.verify(None, "un mot de passe solide")        # an unknown account: the decoy, refused
    assert not passwords.verify("$argon2id$abime", "x")
    assert not passwords.verify(stored, "x" * (passwords.MAX_LENGTH + 1))
    assert passwords.fingerprint(stored) != passwords.fingerprint(passwords.hash_password("un mot de passe solide"))
    assert passwords.password_problem("court") and passwords.password_problem(" " * 12)
    assert passwords.password_problem("douze caract") is None


def test_the_file_is_written_atomically_for_its_owner_only_and_read_back(tmp_path):
    path = tmp_path / "comptes.yaml"
    accounts = {e.account.identifiant: e for e in (entry("marie", ["proposition"], ["base"]),
                                                   entry("paul", ["approbation", "instruction"]))}
    write_accounts(path, accounts)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert read_accounts(path) == accounts
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Comptes") and "roles: [instruction, approbation]" in text
    assert [p.name for p in tmp_path.iterdir()] == ["comptes.yaml"]       # no temporary file left


def test_a_failed_write_leaves_the_old_file_whole(tmp_path, monkeypatch):
    path = tmp_path / "comptes.yaml"
    write_accounts(path, {"marie": entry("marie", ["lecture"])})
    before = path.read_bytes()

    def broken(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(account_file.os, "replace", broken)
    with pytest.raises(OSError):
        write_accounts(path, {"paul": entry("paul", ["lecture"])})
    assert path.read_bytes() == before and [p.name for p in tmp_path.iterdir()] == ["comptes.yaml"]


BAD = """comptes:
  - identifiant: Marie Durand
    nom: Marie
    roles: [lecture, administration]
    mot_de_passe: en clair
  - identifiant: paul
    nom: Paul
    roles: [proposition]
    couleur: bleu
    mot_de_passe: $argon2id$v=19$m=8,t=1,p=1$abc$def
  - identifiant: paul
    nom: Paul bis
    roles: [lecture]
    politiques: [base]
    mot_de_passe: $argon2id$v=19$m=8,t=1,p=1$abc$def
"""


def test_a_bad_file_is_every_problem_at_its_line_in_french():
    with pytest.raises(AccountsError) as error:
        parse_accounts(BAD, "comptes.yaml")
    lines = [str(issue) for issue in error.value.issues]
    assert "comptes.yaml:2: comptes[0].identifiant: identifiant invalide « Marie Durand »" in lines[0]
    assert ("comptes.yaml:4: comptes[0].roles[1]: rôle inconnu « administration » : rôles possibles : lecture, "
            "instruction, proposition, approbation") in lines
    assert any(line.startswith("comptes.yaml:5: comptes[0].mot_de_passe: pas un mot de passe haché") for line in lines)
    assert any(line.startswith("comptes.yaml:9: comptes[1].couleur: clé inconnue") for line in lines)
    assert ("comptes.yaml:6: comptes[1].politiques: le rôle proposition demande la liste des politiques où "
            "proposer") in lines
    assert any(line.startswith("comptes.yaml:14: comptes[2].politiques: les politiques ne limitent") for line in lines)
    for text, expected in (("comptes: [\n", "comptes.yaml:"), ("- a\n", "commence par « comptes: »"),
                           ("comptes: []\nautre: 1\n", "comptes.yaml:2: autre: clé inconnue"),
                           ("comptes:\n  - x\n", "comptes.yaml:2: comptes[0]: un compte s'écrit comme un objet")):
        with pytest.raises(AccountsError) as error:
            parse_accounts(text, "comptes.yaml")
        assert expected in str(error.value), text
    assert parse_accounts("", "comptes.yaml") == {} and parse_accounts("comptes: []\n", "comptes.yaml") == {}


def test_two_accounts_with_one_identifier_are_refused(tmp_path):
    text = account_file.accounts_text({"a": entry("paul", ["lecture"])})
    doubled = text + text.split("comptes:\n", 1)[1]
    with pytest.raises(AccountsError, match="déjà celui d'un autre compte"):
        parse_accounts(doubled, "comptes.yaml")


def test_the_book_follows_the_file_and_a_new_password_closes_old_sessions(tmp_path):
    path = tmp_path / "comptes.yaml"
    write_accounts(path, {"marie": entry("marie", ["instruction"]), "paul": entry("paul", ["lecture"])})
    book = AccountBook(path)
    marie = book.authenticate("marie", "un mot de passe solide")
    assert marie is not None and book.authenticate("marie", "faux mot de passe") is None
    assert book.authenticate("inconnu", "un mot de passe solide") is None
    subject = subject_of(marie)
    assert subject.startswith("compte:marie:") and marie.password_hash not in subject
    assert book.account_of(subject) == marie.account
    write_accounts(path, {"marie": entry("marie", ["lecture"]), "paul": entry("paul", ["lecture"])})
    assert book.account_of(subject) is None                       # new password: the old session opens nothing
    assert book.account_of("compte:paul:" + subject.rsplit(":", 1)[1]) is None
    assert book.account_of("journal:abc") is None
    path.write_text("comptes: [\n", encoding="utf-8")             # broken by hand: nobody is signed in
    assert book.entries() == {} and book.problems and "comptes.yaml:" in book.problems[0]
    path.unlink()
    assert book.entries() == {}
    with pytest.raises(AccountsError, match="fichier introuvable"):
        AccountBook(path)


def test_two_writers_at_once_lose_nothing(tmp_path):
    path = tmp_path / "comptes.yaml"
    write_accounts(path, {})

    def add(name: str) -> None:
        with account_file.changing(path):
            found = read_accounts(path)
            write_accounts(path, {**found, name: entry(name, ["lecture"])})

    threads = [threading.Thread(target=add, args=(f"agent{n}",)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(read_accounts(path)) == sorted(f"agent{n}" for n in range(8))


def test_the_accounts_file_is_a_setting_the_workers_share():
    from pathlib import Path

    from engine.service.settings import Settings
    from engine.service.supervisor import settings_from_text, settings_text

    assert Settings.from_env({"CLEA_ACCOUNTS": "/srv/clea/comptes.yaml"}).accounts_path == Path("/srv/clea/comptes.yaml")
    assert Settings.from_env({}).accounts_path is None
    for path in (Path("/srv/clea/comptes.yaml"), None):
        assert settings_from_text(settings_text(Settings(accounts_path=path)), env={}).accounts_path == path
