"""Names a policy writer may have mistyped: the nearest known one, proposed in French ("vouliez-vous dire …").

Used by every check that meets an unknown name (key, parameter, event, criterion, finding, status, actor, article).
"""
from __future__ import annotations

from difflib import get_close_matches

SHOWN = 12     # known names listed when none is close


def nearest(name, known) -> str | None:
    """The known name closest to `name`, or None when none is close enough to be a typo."""
    if not isinstance(name, str):
        return None
    names = sorted({str(item) for item in known})
    found = get_close_matches(name, names, n=1, cutoff=0.6)
    if not found:   # a dotted name: compare its last part too (prets.duree_maxi -> prets.duree_max)
        tails = {item.rsplit(".", 1)[-1]: item for item in names if "." in item}
        tail = get_close_matches(name.rsplit(".", 1)[-1], sorted(tails), n=1, cutoff=0.75)
        found = [tails[tail[0]]] if tail and tails[tail[0]].rsplit(".", 1)[0] == name.rsplit(".", 1)[0] else []
    return found[0] if found else None


def did_you_mean(name, known) -> str:
    """" — vouliez-vous dire 'x' ?" for a close known name; else the known names (a few), or nothing."""
    close = nearest(name, known)
    if close is not None:
        return f" — vouliez-vous dire '{close}' ?"
    names = sorted({str(item) for item in known})
    if not names:
        return ""
    more = f", … ({len(names)} en tout)" if len(names) > SHOWN else ""
    return f" (connus : {', '.join(names[:SHOWN])}{more})"


def unknown(kind: str, name, known, where: str = "") -> str:
    """'paramètre inconnu 'x' — vouliez-vous dire 'y' ?' (kind already agreed: 'paramètre inconnu')."""
    return f"{kind} '{name}'{where}{did_you_mean(name, known)}"
