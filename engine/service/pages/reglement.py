"""Règlement: each section of the text a policy applies, beside what encodes it (rules, parameters, criteria,
checks, findings, statuses; engine/policy/articles.py), the sentences it declares not encodable with their reasons,
and the sections that have neither (gaps).

    GET /reglement                         -> the base policy's page
    GET /politiques/{id}/reglement         every section, anchored as #art-<id> (#art-III.3)
"""
from __future__ import annotations

from datetime import date

from fastapi import APIRouter
from fastapi.responses import RedirectResponse

from ...evaluation import today_in_paris
from ...policy.checks.articles import sections
from ...policy.checks.text import read_sections
from ...policy.model.rules import Rule, version_label
from .parameters import value_text
from .site import Site

RUBRIQUE = "/reglement"
_LONG = 12   # paragraphs: a longer section's text starts folded


def _elements(policy, section) -> dict[str, list[dict]]:
    """What cites the section, by kind (engine/policy/articles.py), worded for today: a rule's title with the values
    it quotes, a dossier check by the finding it raises, a parameter with its value in force."""
    today = today_in_paris()
    out = {kind: items for kind, items in section.cited.items() if items and kind in dict(KINDS)}
    rules = {rule.id: rule for rule in policy.rules}
    for item in out.get("regles", []):
        exception = item["titre"].startswith("exception : ")
        item["titre"] = ("exception : " if exception else "") + policy.labels.rule(item["id"], today)
        if item["id"] in rules and rules[item["id"]].versions:
            item["versions"] = _versions(rules[item["id"]], today)
    findings = {check.id: check.finding.id for check in (policy.dossier.controls if policy.dossier else ())}
    for item in out.get("controles", []):
        if findings.get(item["id"]):
            item["titre"] = policy.labels.finding(findings[item["id"]])
    for item in out.get("parametres", []):
        parameter = policy.parameters[item["id"]]
        entry = parameter.entry_at(today)
        item["valeur"] = value_text(policy, parameter.unit, entry.value if entry else None)
    return out


def _versions(rule: Rule, today: date) -> list[dict]:
    """An amended rule's texts, oldest first, each with when it is in force and its decision, the one that applies
    to facts dated today marked (a transitional clause may select by another date: the verdict's explanation says
    which one applied to a dossier)."""
    current = rule.version_index(lambda _event_type: today)
    return [{"texte": version_label(variant)["texte"], "aujourd_hui": index == current}
            for index, variant in enumerate(rule.variants())]


KINDS = (("regles", "Règles"), ("parametres", "Paramètres"), ("criteres", "Critères"),
         ("pieces", "Pièces du dossier"), ("controles", "Contrôles du dossier"), ("periode", "Période"),
         ("politique", "Politique"), ("constats", "Constats"), ("statuts", "Statuts"), ("evenements", "Événements"),
         ("avis", "Avis proposé"))


def _sections(site: Site, policy) -> list[dict]:
    texts = {}
    chain = [policy]
    while chain[-1].extends and chain[-1].extends in site.policies().ids():
        chain.append(site.policies().get(chain[-1].extends))
    for member in reversed(chain):   # the base's text first, an overlay's own sections over it
        texts.update(read_sections(member.directory))
    out = []
    for section in sections(policy):
        text = texts.get(section.id)
        elements = _elements(policy, section)
        out.append({"id": section.id, "titre": section.title, "paragraphes": text.paragraphs if text else (),
                    "replie": text is not None and bool(text) and len(text.paragraphs) > _LONG, "elements": elements,
                    "nombre": sum(len(items) for items in elements.values()),
                    "non_encodable": section.not_encodable, "lacune": section.gap})
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
                           texte=policy.head.text)
