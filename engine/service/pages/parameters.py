"""Paramètres: every parameter of a policy with its value on a chosen day, and each one's history (table + chart).

    GET /parametres                                   -> the base policy's page
    GET /politiques/{id}/parametres?date=AAAA-MM-JJ   values in force on that day (default: today)
    GET /politiques/{id}/parametres/{parameter}       its dated values, their decisions, a step chart
"""
from __future__ import annotations

from datetime import date

from fastapi import APIRouter
from fastapi.responses import RedirectResponse

from ...evaluation import today_in_paris
from ...policy import Policy
from ...wording import short_date
from .charts import Step, step_chart
from .site import PageError, Site, parse_day

RUBRIQUE = "/parametres"


def value_text(policy, unit: str, value) -> str:
    """A parameter's value as people read it: '12,50 € HT', '10 jours ouvrés', '3 ans'."""
    if value is None:
        return "—"
    if unit in policy.head.currencies:
        return policy.labels.money(value, unit)
    if unit in policy.calendar_model.duration_units:
        return f"{value} {policy.labels.duration_unit(unit)}"
    return str(value)


def unit_text(policy: Policy, unit: str) -> str:
    """A parameter's unit as people read it: '€ HT' (the currency's symbol), 'jours ouvrés' (the unit's title)."""
    if unit in policy.head.currencies:
        return policy.head.currencies[unit].shown
    if unit in policy.calendar_model.duration_units:
        return policy.labels.duration_unit(unit)
    return unit


def source_text(source: dict) -> str | None:
    """'décision du 20/11/2026, <its reference>' or a correction's reason."""
    decision = source.get("decision")
    correction = source.get("correction")
    parts = []
    if decision:
        parts.append(f"décision du {short_date(str(decision.get('date')))}"
                     + (f", {decision['reference']}" if decision.get("reference") else ""))
    if correction:
        parts.append(f"correction : {correction.get('motif')}"
                     + (f" ({short_date(str(correction['date']))})" if correction.get("date") else ""))
    return " ; ".join(parts) or None


def _rows(policy, day: date) -> list[dict]:
    rows = []
    for parameter in policy.parameters.values():
        entry = parameter.entry_at(day)
        upcoming = next((value for value in parameter.values if value.since > day), None)
        rows.append({
            "id": parameter.id, "titre": parameter.title, "article": parameter.article,
            "proposable": parameter.id in policy.snapshot.parameters,      # written in this policy's own file
            "valeur": value_text(policy, parameter.unit, entry.value if entry else None),
            "depuis": entry.since if entry else None,
            "prochaine": {"depuis": upcoming.since, "valeur": value_text(policy, parameter.unit, upcoming.value)}
            if upcoming else None,
        })
    return rows


def add_routes(router: APIRouter, site: Site) -> None:
    @router.get("/parametres")
    async def default_parameters():
        return RedirectResponse(f"/politiques/{site.default_policy_id()}/parametres", status_code=307)

    @router.get("/politiques/{policy_id}/parametres")
    async def parameters(policy_id: str, date: str | None = None):
        policy = site.policy(policy_id)
        day = parse_day(date) or today_in_paris()
        return site.render("parametres.html", rubrique=RUBRIQUE, politique=policy, politiques=site.policies(),
                           jour=day, choisi=bool(date), lignes=_rows(policy, day))

    @router.get("/politiques/{policy_id}/parametres/{parameter_id}")
    async def history(policy_id: str, parameter_id: str):
        policy = site.policy(policy_id)
        if parameter_id not in policy.parameters:
            raise PageError(404, f"Aucun paramètre « {parameter_id} » dans la politique {policy.id}",
                            "La page Paramètres liste les paramètres de chaque politique.")
        parameter = policy.parameters[parameter_id]
        today = today_in_paris()
        current = parameter.entry_at(today)
        values = [{"depuis": value.since, "valeur": value_text(policy, parameter.unit, value.value),
                   "source": source_text(value.source), "en_vigueur": value is current}
                  for value in parameter.values]
        steps = [Step(value.since, float(value.value), row["valeur"], row["source"])
                 for value, row in zip(parameter.values, values)]
        description = "; ".join(f"depuis le {short_date(row['depuis'])} : {row['valeur']}"
                                + (f" ({row['source']})" if row["source"] else "") for row in values)
        chart = step_chart(steps, today=today, chart_id="evolution", title=f"Évolution : {parameter.title}",
                           description=description)
        return site.render("parametre.html", rubrique=RUBRIQUE, politique=policy, parametre=parameter,
                           valeurs=values, graphique=chart, unite=unit_text(policy, parameter.unit),
                           en_vigueur=value_text(policy, parameter.unit, current.value) if current else None)
