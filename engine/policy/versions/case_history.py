"""A case's past: a case of the baseline (the last published revision, or the revision given) is not silently deleted
nor silenced by `en_attente` — either would let a change of verdict pass with every tool green.

Refused unless the case says why, in the case file itself:
  - a case deleted: keep the file and write `retire: {motif: "…"}` in it (the case is no longer run; once that is
    published, the file may go);
  - a case put `en_attente` that was not: `suspendu: {motif: "…"}` beside it (why a published case no longer passes).
A case added, or one changed otherwise, is the cases' own business (`clea test` runs it).
"""
from __future__ import annotations

from collections.abc import Iterator

from ...errors import Issue
from .snapshots import CASES_FOLDER, Located, Snapshot, read_cases

WITHDRAWN = "retire"        # the case no longer counts (not run), with its motif
SUSPENDED = "suspendu"      # a published case put en_attente on purpose, with its motif
PENDING = "en_attente"


def rewritten_cases(before: Snapshot, after: Snapshot) -> Iterator[Issue]:
    """Every case of the baseline the current policy deletes or puts en_attente without a motif."""
    if before.cases is None:
        return
    current = after.cases if after.cases is not None else read_cases(after.folder)
    for name, old in sorted(before.cases.items()):
        if motif(old.data, WITHDRAWN):
            continue            # withdrawn when it was published: it may go now
        title = _title(name, old)
        new = current.get(name)
        if new is None:
            yield Issue(CASES_FOLDER, f"le cas {title} a été supprimé : il fixe un verdict que le règlement "
                        "demande, et sa disparition laisserait passer un changement de verdict sans que rien ne "
                        "le signale ; gardez-le, ou, s'il ne doit plus compter, gardez le fichier et écrivez-y "
                        "pourquoi : retire: {motif: \"…\"} (il n'est plus joué ; une fois publié, le fichier pourra "
                        "être supprimé)", str(after.folder / CASES_FOLDER / name))
        elif PENDING in new.data and PENDING not in old.data and not motif(new.data, SUSPENDED) \
                and not motif(new.data, WITHDRAWN):
            yield Issue(PENDING, f"le cas {title} est mis en attente : il passait à la publication, et en "
                        "attente son échec ne compte plus, un changement de verdict passerait sans être signalé ; "
                        "corrigez la politique ou le cas, ou, si c'est voulu, dites pourquoi un cas publié ne passe "
                        "plus : suspendu: {motif: \"…\"}", new.file, new.line(PENDING))


def case_changes(before: Snapshot, after: Snapshot) -> list[dict]:
    """For `policy diff`: each case added, deleted, withdrawn, put en_attente or back, or whose expectations changed."""
    if before.cases is None or after.cases is None:
        return []
    out: list[dict] = []
    for name in sorted(set(before.cases) | set(after.cases)):
        old, new = before.cases.get(name), after.cases.get(name)
        entry: dict[str, object] = {"fichier": name, "nom": _name(new or old)}
        if old is None:
            out.append({**entry, "changement": "ajoute"})
        elif new is None:
            out.append({**entry, "changement": "supprime"})
        elif motif(new.data, WITHDRAWN) and not motif(old.data, WITHDRAWN):
            out.append({**entry, "changement": "retire", "motif": motif(new.data, WITHDRAWN)})
        elif PENDING in new.data and PENDING not in old.data:
            out.append({**entry, "changement": "mis_en_attente", "en_attente": str(new.data[PENDING]),
                        "motif": motif(new.data, SUSPENDED)})
        elif PENDING in old.data and PENDING not in new.data:
            out.append({**entry, "changement": "plus_en_attente"})
        elif old.data != new.data:
            keys = sorted(str(key) for key in set(old.data) | set(new.data) if old.data.get(key) != new.data.get(key))
            out.append({**entry, "changement": "modifie", "champs_modifies": keys})
    return out


def motif(data: dict, key: str) -> str | None:
    """The motif of a mark `key: {motif: "…"}` (None when absent or empty)."""
    mark = data.get(key)
    text = str(mark.get("motif") or "").strip() if isinstance(mark, dict) else ""
    return text or None


def _name(located: Located | None) -> str:
    return " ".join(str(located.data.get("nom") or "").split()) if located is not None else ""


def _title(name: str, located: Located) -> str:
    shown = _name(located)
    return f"{CASES_FOLDER}/{name}" + (f" (« {shown} »)" if shown else "")
