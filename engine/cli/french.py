"""argparse in French: its own words (usage, options, errors, --help) translated while our parser speaks.

argparse looks its messages up with gettext at the moment it writes them (`argparse._`, `argparse.ngettext`);
`speaking_french()` puts a French catalogue in their place for the time a call lasts, then puts them back, so
nothing else in the process (a test runner, a library) hears French.
"""
from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager

# argparse writes a section's title followed by ':'; the space before it is French typography ("options :")
CATALOGUE = {
    "usage: ": "usage : ",
    "positional arguments": "arguments ",
    "options": "options ",
    "optional arguments": "options ",
    "subcommands": "commandes ",
    "show this help message and exit": "afficher cette aide et quitter",
    "show program's version number and exit": "afficher la version et quitter",
    "%(prog)s: error: %(message)s\n": "%(prog)s : erreur : %(message)s\n",
    "argument %(argument_name)s: %(message)s": "argument %(argument_name)s : %(message)s",
    "the following arguments are required: %s": "arguments obligatoires manquants : %s",
    "unrecognized arguments: %s": "arguments non reconnus : %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "choix invalide : %(value)r (valeurs possibles : %(choices)s)",
    "invalid %(type)s value: %(value)r": "valeur invalide (%(type)s) : %(value)r",
    "expected one argument": "une valeur attendue",
    "expected at most one argument": "au plus une valeur attendue",
    "expected at least one argument": "au moins une valeur attendue",
    "ambiguous option: %(option)s could match %(matches)s": "option ambiguë : %(option)s peut désigner %(matches)s",
    "not allowed with argument %s": "incompatible avec l'argument %s",
    "one of the arguments %s is required": "l'un des arguments %s est obligatoire",
    "ignored explicit argument %r": "valeur ignorée : %r",
    "unexpected option string: %s": "option inattendue : %s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "commande inconnue %(parser_name)r (commandes : %(choices)s)",
    "can't open '%(filename)s': %(error)s": "impossible d'ouvrir '%(filename)s' : %(error)s",
    "%(prog)s: error: %(message)s": "%(prog)s : erreur : %(message)s",
}
PLURALS = {"expected %s argument": ("%s valeur attendue", "%s valeurs attendues")}


def _gettext(message: str) -> str:
    return CATALOGUE.get(message, message)


def _ngettext(singular: str, plural: str, count: int) -> str:
    if singular in PLURALS:
        one, many = PLURALS[singular]
        return one if count == 1 else many
    return _gettext(singular if count == 1 else plural)


_LOOKUPS = ("_", "ngettext")     # what argparse calls to word its messages


@contextmanager
def speaking_french() -> Iterator[None]:
    saved = {name: getattr(argparse, name) for name in _LOOKUPS}    # module globals its stubs do not declare
    for name, french in zip(_LOOKUPS, (_gettext, _ngettext)):
        setattr(argparse, name, french)
    try:
        yield
    finally:
        for name, value in saved.items():
            setattr(argparse, name, value)
