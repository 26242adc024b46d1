"""Reading one policy file, safely (engine/documents.py: regular files only, inside their folder, bounded), with the
readers' problems put in the words of a policy writer, in French."""
from __future__ import annotations

import re
from pathlib import Path

from ...documents import (
    A_DEVICE,
    DUPLICATE_KEY,
    NO_ALIASES,
    NOT_FINITE,
    NOT_REGULAR,
    NUMBER_TOO_LONG,
    OUTSIDE,
    TOO_DEEP,
    TOO_LARGE,
    TOO_MANY_VALUES,
    Document,
    parse_yaml,
    parse_yaml_file,
    read_text,
)
from ...errors import Issue
from ...limits import MAX_DEPTH, MAX_NUMBER_LENGTH, MAX_POLICY_FILE_BYTES, MAX_POLICY_VALUES

_FRENCH = {
    DUPLICATE_KEY: "clé en double dans ce bloc : la seconde remplacerait la première ; gardez-en une",
    "unsupported key": "clé non prise en charge : une clé est un nom",
    NO_ALIASES: "les ancres et alias YAML (&nom, *nom) ne sont pas acceptés ici : écrivez la valeur elle-même",
    TOO_DEEP: f"imbriqué sur plus de {MAX_DEPTH} niveaux : simplifiez ce bloc",
    TOO_MANY_VALUES: f"plus de {MAX_POLICY_VALUES:,} valeurs une fois ses alias développés".replace(",", " "),
    NUMBER_TOO_LONG: f"un nombre de plus de {MAX_NUMBER_LENGTH} chiffres",
    NOT_REGULAR: "pas un fichier ordinaire (un tube, un périphérique ou une socket ne se lisent pas) : remplacez-le "
                 "par un fichier",
    A_DEVICE: "un périphérique, pas un fichier",
    "no such file": "fichier introuvable",
    "is a directory, not a file": "c'est un dossier, pas un fichier",
}
_PATTERNS = [
    (TOO_LARGE, "fichier trop gros : plus de {limit} octets"),
    (OUTSIDE, ("un lien symbolique vers un fichier hors de {folder} : une politique n'est faite que de ses propres "
               "fichiers ; copiez-le dans le dossier")),
    (NOT_FINITE, "{value} n'est pas un nombre fini (NaN et les infinis ne sont pas acceptés)"),
    ("cannot read: {reason}", "illisible : {reason}"),
    ("not UTF-8 text ({reason} at byte {byte})", "pas du texte UTF-8 (octet {byte} : {reason}) : enregistrez-le en UTF-8"),
]


def _pattern(template: str):
    parts = re.split(r"\{(\w+)\}", template)
    regex = "".join(f"(?P<{part}>.*)" if index % 2 else re.escape(part) for index, part in enumerate(parts))
    return re.compile(f"^{regex}$")


_COMPILED = [(_pattern(english), french) for english, french in _PATTERNS]


def french(message: str) -> str:
    if message in _FRENCH:
        return _FRENCH[message]
    for pattern, template in _COMPILED:
        found = pattern.match(message)
        if found:
            return template.format(**found.groupdict())
    return message


def _translated(issues: list[Issue]) -> list[Issue]:
    return [Issue(issue.path, french(issue.message), issue.file, issue.line) for issue in issues]


def read_policy_file(path: Path, issues: list[Issue], *, within: Path | None = None) -> Document | None:
    """Parse one policy file; its problems (in French) are added to issues (None when it cannot be used).
    within: the folder it must be inside (default: its own)."""
    found: list[Issue] = []
    document = parse_yaml_file(path, found, within=within)
    issues.extend(_translated(found))
    return document


def read_policy_text(path: Path, within: Path) -> tuple[str | None, list[Issue]]:
    """The text of a file a policy names (its facts schema): a regular file, bounded, inside `within`."""
    text, found = read_text(path, limit=MAX_POLICY_FILE_BYTES, regular_only=True, within=within)
    return text, _translated(found)


def read_head(path: Path) -> tuple[object, Document | None]:
    """A politique.yaml read quietly, to find a folder's id and base before it is loaded (problems come then)."""
    text, _ = read_text(path, limit=MAX_POLICY_FILE_BYTES, regular_only=True, within=path.parent)
    document, _ = parse_yaml(text, str(path)) if text is not None else (None, [])
    return (document.data, document) if document is not None else (None, None)
