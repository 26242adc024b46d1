"""`clea policy articles`: each section of the regulation beside what encodes it, as French text or JSON."""
from __future__ import annotations

from ..policy.checks.articles import KINDS, LABELS, sections


def articles_document(policy) -> dict:
    found = sections(policy)
    return {"politique": policy.describe(), "articles": [section.as_dict() for section in found],
            "lacunes": [section.id for section in found if section.gap]}


def articles_text(policy) -> str:
    found = sections(policy)
    lines = [f"{policy.id} {policy.version} — le règlement et ce qui l'encode"]
    width = max((len(section.id) for section in found), default=0) + 2
    for section in found:
        lines.append(f"{section.id:<{width}}{section.title}")
        for kind in KINDS:
            items = section.cited[kind]
            if items:
                listed = ", ".join(_item(item) for item in items)
                lines.append(f"    {LABELS[kind]:<14}{listed}")
        for sentence in section.not_encodable:
            lines.append(f"    {'non encodable':<14}« {sentence['texte']} » — {sentence['raison']}")
        for sentence in section.sentences:
            state = {"encodee": f"encodée ({', '.join(sentence.by)})", "declaree": "déclarée non encodable",
                     "non_rendue": "NON RENDUE : ni encodée ni déclarée"}[sentence.state]
            lines.append(f"    {'phrase':<14}{state} « {_short(sentence.text)} »")
        if section.gap:
            lines.append(f"    {'LACUNE':<14}rien ne l'encode et aucune phrase n'est déclarée non encodable")
    gaps = [section.id for section in found if section.gap]
    unaccounted = sum(1 for section in found for sentence in section.sentences if sentence.state == "non_rendue")
    if any(section.sentences for section in found):
        lines.append(f"Phrases ni encodées ni déclarées : {unaccounted or 'aucune'}")
    lines.append(f"Lacunes : {', '.join(gaps) if gaps else 'aucune'}")
    return "\n".join(lines) + "\n"


def _short(text: str, width: int = 110) -> str:
    return text if len(text) <= width else text[:width - 1].rstrip() + "…"


def _item(item: dict) -> str:
    where = f" ({item['fichier']}:{item['ligne']})" if item.get("fichier") else ""
    return f"{item['id']}{where}"
