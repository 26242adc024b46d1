"""``clea account``: the accounts of the pages of ``clea serve --accounts FILE`` (add, list, remove, roles,
password). Passwords are asked twice without being shown (or read from standard input with --password-stdin) and
only their Argon2 hash is written; the file is written whole, atomically, readable by its owner only."""
from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from ..errors import PolicyError
from ..policy import load_policies_cached
from ..service import account_file as files
from ..service.account_file import AccountsError, Entry, read_accounts, write_accounts
from ..service.accounts import ROLES, Account
from ..service.passwords import hash_password, password_problem
from .common import policies_dir

NAME = "account"
ACTIONS = {
    "add": "créer un compte (mot de passe demandé deux fois)",
    "list": "lister les comptes, leurs rôles et leurs politiques (jamais les mots de passe)",
    "remove": "supprimer un compte : ses sessions ne s'ouvrent plus dès la requête suivante",
    "roles": "remplacer les rôles et les politiques d'un compte",
    "password": "changer le mot de passe d'un compte : ses sessions ouvertes sont fermées",
}


class Refused(Exception):
    """An argument or a file the command cannot use: its French message; exit 2."""


def add_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        NAME, help="gérer les comptes des pages du service HTTP",
        description="Gère le fichier des comptes de 'clea serve --accounts FICHIER'. Rôles : lecture (consulter les "
                    "pages), instruction (évaluer des dossiers, consulter le journal des décisions), proposition "
                    "(proposer un changement, pour les politiques données par --policy), approbation (approuver "
                    "un changement proposé par une autre personne) ; chaque rôle comprend la lecture.")
    actions = parser.add_subparsers(dest="account_action", metavar="{" + ",".join(ACTIONS) + "}", required=True)
    for name, help_text in ACTIONS.items():
        action = actions.add_parser(name, help=help_text, description=help_text)
        if name != "list":
            action.add_argument("identifiant", help="l'identifiant du compte (minuscules, chiffres, . _ @ -)")
        if name == "add":
            action.add_argument("--name", required=True, metavar="NOM", help="le nom de la personne, affiché sur "
                                                                            "les pages")
        if name in ("add", "roles"):
            action.add_argument("--role", action="append", required=True, metavar="RÔLE",
                                help=f"un rôle parmi {', '.join(ROLES)} (à répéter, ou séparés par des virgules)")
            action.add_argument("--policy", action="append", default=[], metavar="ID",
                                help="une politique où le rôle proposition peut proposer (à répéter) ; vérifiée "
                                     "dans le dossier des politiques")
            action.add_argument("--policies", metavar="DOSSIER",
                                help="le dossier des politiques où vérifier --policy (par défaut : $CLEA_POLICIES, "
                                     "sinon policies/ du projet)")
        if name in ("add", "password"):
            action.add_argument("--password-stdin", action="store_true",
                                help="lire le mot de passe sur l'entrée standard (une ligne), pour les scripts")
        action.add_argument("--accounts", metavar="FICHIER",
                            help="le fichier des comptes (par défaut : $CLEA_ACCOUNTS)")
    parser.set_defaults(handler=run)
    return parser


def _path(args) -> Path:
    given = args.accounts or os.environ.get("CLEA_ACCOUNTS")
    if not given:
        raise Refused("indiquez le fichier des comptes : --accounts FICHIER, ou la variable CLEA_ACCOUNTS")
    path = Path(given)
    if not path.parent.is_dir():
        raise Refused(f"{path} : le dossier {path.parent} n'existe pas")
    return path


def _split(values: list[str]) -> list[str]:
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _roles(args) -> tuple[frozenset[str], frozenset[str]]:
    roles, policies = _split(args.role), _split(args.policy)
    problems = [message for _, message in files.roles_problems(roles, policies)]
    if problems:
        raise Refused(" ; ".join(problems))
    if policies:
        folder = policies_dir(args.policies)
        try:
            known = load_policies_cached(folder).ids()
        except PolicyError as error:
            raise Refused(f"impossible de vérifier --policy : les politiques de {folder} sont illisibles "
                          f"({error.issues[0]})") from error
        unknown = [policy for policy in policies if policy not in known]
        if unknown:
            raise Refused(f"politique inconnue : {', '.join(unknown)} ; politiques de {folder} : "
                          f"{', '.join(sorted(known))}")
    return frozenset(roles), frozenset(policies)


def _password(args) -> str:
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass("Mot de passe : ")
        if getpass.getpass("Le même, à nouveau : ") != password:
            raise Refused("les deux mots de passe saisis diffèrent : rien n'a été changé")
    problem = password_problem(password)
    if problem:
        raise Refused(problem)
    return password


def _existing(path: Path, accounts: dict[str, Entry], identifier: str) -> Entry:
    if identifier not in accounts:
        raise Refused(f"{path} : aucun compte « {identifier} » (clea account list les montre)")
    return accounts[identifier]


def _read(path: Path, *, create: bool = False) -> dict[str, Entry]:
    if create and not path.exists():
        return {}
    return read_accounts(path)


def _change(args, path: Path, stdout) -> None:
    identifier = args.identifiant
    with files.changing(path):
        accounts = _read(path, create=args.account_action == "add")
        if args.account_action == "add":
            problem = files.identifier_problem(identifier)
            if problem:
                raise Refused(problem)
            if identifier in accounts:
                raise Refused(f"{path} : le compte « {identifier} » existe déjà (clea account roles ou password "
                              "pour le modifier)")
            name = args.name.strip()
            if not name or len(name) > 200:
                raise Refused("--name : le nom de la personne, de 1 à 200 caractères")
            roles, policies = _roles(args)
            stored = hash_password(_password(args))
            accounts[identifier] = Entry(Account(identifier, name, roles, policies), stored)
            said = f"compte « {identifier} » créé"
        elif args.account_action == "remove":
            _existing(path, accounts, identifier)
            del accounts[identifier]
            said = f"compte « {identifier} » supprimé"
        elif args.account_action == "roles":
            found = _existing(path, accounts, identifier)
            roles, policies = _roles(args)
            accounts[identifier] = Entry(Account(identifier, found.account.nom, roles, policies), found.password_hash)
            said = f"rôles du compte « {identifier} » : {_roles_text(accounts[identifier].account)}"
        else:
            found = _existing(path, accounts, identifier)
            accounts[identifier] = Entry(found.account, hash_password(_password(args)))
            said = f"mot de passe du compte « {identifier} » changé ; ses sessions ouvertes sont fermées"
        write_accounts(path, accounts)
    stdout.write(f"{path} : {said}\n")


def _roles_text(account: Account) -> str:
    roles = [role for role in ROLES if role in account.roles]
    text = ", ".join(roles)
    return text + (f" (politiques : {', '.join(sorted(account.politiques))})" if account.politiques else "")


def _list(path: Path, stdout) -> None:
    accounts = read_accounts(path)
    if not accounts:
        stdout.write(f"{path} : aucun compte (clea account add pour en créer un)\n")
    rows = [(e.account.identifiant, e.account.nom, _roles_text(e.account)) for e in accounts.values()]
    widths = [max(len(row[n]) for row in rows) for n in (0, 1)] if rows else [0, 0]
    for identifier, name, roles in rows:
        stdout.write(f"{identifier:<{widths[0]}}  {name:<{widths[1]}}  {roles}\n")


def run(args, stdout, stderr) -> int:
    try:
        path = _path(args)
        if args.account_action == "list":
            _list(path, stdout)
        else:
            _change(args, path, stdout)
    except Refused as refused:
        print(f"clea account {args.account_action} : {refused}", file=stderr)
        return 2
    except AccountsError as error:
        print(f"clea account {args.account_action} : le fichier des comptes est inutilisable :", file=stderr)
        for issue in error.issues:
            print(f"  {issue}", file=stderr)
        return 2
    except (EOFError, KeyboardInterrupt):
        print(f"clea account {args.account_action} : interrompu, rien n'a été changé", file=stderr)
        return 2
    return 0
