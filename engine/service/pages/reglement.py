"""Règlement: each section of the text a policy applies, beside what encodes it (rules, parameters, criteria,
checks, findings, statuses) — and the sections nothing encodes.

    GET /reglement                         -> the base policy's page
    GET /politiques/{id}/reglement         every section, anchored as #art-<id> (#art-III.3)
"""
from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import RedirectResponse

from ...evaluation import today_in_paris
from ...policy.text import read_sections
from .parameters import value_text
from .site import Site

RUBRIQUE = "/reglement"
_LONG = 12   # paragraphs: a longer section's text starts folded


def citations(policy) -> dict[str, dict[str, list[dict]]]:
    """For each article id, what cites it, by kind. (Computed here until the policy offers it.)"""
    found: dict[str, dict[str, list[dict]]] = {}

    def add(article, kind, item):
        found.setdefault(article, {}).setdefault(kind, []).append(item)

    today = today_in_paris()
    for rule in policy.rules:
        add(rule.article, "regles", {"id": rule.id, "titre": rule.title})
    for parameter in policy.parameters.values():
        entry = parameter.entry_at(today)
        add(parameter.article, "parametres", {"id": parameter.id, "titre": parameter.title,
                                              "valeur": value_text(policy, parameter.unit, entry.value if entry else None)})
    dossier = policy.data.get("dossier") or {}
    for criterion in dossier.get("criteres") or []:
        add(criterion["article"], "criteres", {"id": criterion["id"], "titre": criterion.get("titre", "")})
    for check in dossier.get("controles") or []:
        add(check["article"], "controles", {"id": check["id"], "titre": check.get("message", "")})
    for part in (dossier.get("completude") or {}).get("pieces") or []:
        add(part["article"], "pieces", {"id": part["id"], "titre": part.get("titre", "")})
    for finding_id, finding in policy.findings.items():
        add(finding["article"], "constats", {"id": finding_id, "titre": finding.get("titre", "")})
    for status_id, status in (policy.statuses.get("valeurs") or {}).items():
        add(status["article"], "statuts", {"id": status_id, "titre": status.get("titre", "")})
    return found


KINDS = (("regles", "Règles"), ("parametres", "Paramètres"), ("criteres", "Critères"),
         ("pieces", "Pièces du dossier"), ("controles", "Contrôles du dossier"), ("constats", "Constats"),
         ("statuts", "Statuts"))


def _sections(site: Site, policy) -> list[dict]:
    texts = {}
    chain = [policy]
    while chain[-1].extends and chain[-1].extends in site.policies().ids():
        chain.append(site.policies().get(chain[-1].extends))
    for member in reversed(chain):   # the base's text first, an overlay's own sections over it
        texts.update(read_sections(member.directory))
    cited = citations(policy)
    out = []
    for article_id, title in policy.data["articles"].items():
        section = texts.get(article_id)
        elements = cited.get(article_id, {})
        out.append({"id": article_id, "titre": title if isinstance(title, str) else section.title if section else "",
                    "paragraphes": section.paragraphs if section else (), "replie": bool(section) and
                    len(section.paragraphs) > _LONG, "elements": elements,
                    "nombre": sum(len(items) for items in elements.values())})
    return out


def add_routes(router: APIRouter, site: Site) -> None:
    @router.get("/reglement")
    async def default_reglement():
        return RedirectResponse(f"/politiques/{site.default_policy_id()}/reglement", status_code=307)

    @router.get("/politiques/{policy_id}/reglement")
    async def reglement(policy_id: str):
        policy = site.policy(policy_id)
        return site.render("reglement.html", rubrique=RUBRIQUE, politique=policy, politiques=site.policies(),
                           sections=_sections(site, policy), genres=KINDS,
                           texte=policy.data["politique"].get("texte"))
