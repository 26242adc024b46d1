"""The `explication` of each action, fee, status change and finding of a verdict (`evaluate(..., explain=True)`):
what the evaluation computed with, as data and as French sentences (`texte`). Built only when asked."""
from __future__ import annotations

import json
from datetime import date

from ..policy import Policy, Rule
from ..policy.model.display import period_version_label
from ..policy.model.effects import ActionEffect, Count, FeeEffect
from ..policy.model.policy import value_at
from ..policy.model.rules import version_label
from ..wording import enumeration, of, plural, short_date
from .actions import ONE_DAY, ActionInstance
from .events import Event
from .explain import (
    attribute_path,
    counting,
    event_ref,
    event_text,
    parameter_explained,
)
from .parts import Charge
from .status import Period, Transition


def _rule(policy: Policy, rule: Rule, day: date) -> tuple[dict, str]:
    """The rule, its title quoting the values in force on `day` (the date that counts)."""
    title = policy.rule_title(rule, day)
    if rule.versions:       # an amended rule: which of its texts applied
        version = version_label(rule)
        return ({"id": rule.id, "titre": title, "article": rule.article, "version": version},
                f"Règle : « {title} » (article {rule.article}, {version['texte']}).")
    return ({"id": rule.id, "titre": title, "article": rule.article}, f"Règle : « {title} » (article {rule.article}).")


def _whose_calendar(policy: Policy, actor: str, facts: dict) -> str:
    spec = policy.calendar_model.actors.get(actor)
    whose = policy.derived(("calendrier de", actor), lambda: f"celui {of(policy.labels.actor(actor))}")
    if spec is not None and spec.facts_territory is not None:
        path = spec.facts_territory
        given = value_at(facts, path)
        return f"{whose}, {path} : {given}" if given else f"{whose}, par défaut ({path} absent)"
    return whose


def action(policy: Policy, found: ActionInstance, facts: dict, as_of: date) -> dict:
    rule, effect = found.rule, found.effect
    rule_data, line = _rule(policy, rule, found.trigger.date)
    data: dict = {"regle": rule_data, "declencheur": event_ref(policy, found.trigger)}
    texte = [line, f"Déclenchée par : {event_text(policy, found.trigger)}."]
    deadline = effect.deadline
    if found.due is None or found.anchor is None:
        data["echeance"] = None
        texte.append("Délai : le texte n'en fixe aucun ; l'action est attendue, sans échéance.")
    else:
        path = deadline.since
        if path != "date":
            data["depart"] = {"chemin": f"{found.trigger.source}.{path}", "date": found.anchor.isoformat()}
            texte.append(f"Compté à partir du {short_date(found.anchor)} ({found.trigger.source}.{path}).")
        if found.duration is None or deadline.delay is None:
            texte.append(f"Échéance : le jour même, {short_date(found.due)}.")
        else:
            parameter = deadline.delay
            data["delai"], value = parameter_explained(policy, parameter, found.trigger.date,
                                                       "date de l'événement qui le fait courir")
            texte.append(f"Délai : {value}.")
            data["decompte"], how = counting(policy, found.anchor, found.delay_end or found.due, found.duration,
                                             found.calendar, deadline.backward,
                                             _whose_calendar(policy, effect.actor, facts), found.trigger.date)
            texte.append("Décompte : " + how)
            if found.delay_end is not None:
                data["echeance_accordee"] = {"chemin": f"{found.trigger.source}.{deadline.not_before}",
                                             "date": found.due.isoformat()}
                texte.append(f"Échéance reportée au {short_date(found.due)} : "
                             f"{found.trigger.source}.{deadline.not_before} accorde un délai plus long.")
    texte += _fulfilment(policy, found, data, as_of)
    return {**data, "texte": texte}


def _fulfilment(policy: Policy, found: ActionInstance, data: dict, as_of: date) -> list[str]:
    effect = found.effect
    if found.fulfilled_by is not None:
        data["accomplie_par"] = event_ref(policy, found.fulfilled_by)
        when = "" if found.due is None else (" — dans le délai" if found.in_time else " — après l'échéance")
        return [f"Accomplie par : {event_text(policy, found.fulfilled_by)}{when}."]
    if effect.fulfilment is None:
        return ["Aucun événement ne peut l'accomplir : elle est en retard dès son échéance passée."]
    awaited = policy.labels.event(effect.fulfilment.event)
    lines = [f"Attendu pour l'accomplir : « {awaited} » ; aucun à ce jour."]
    if found.due is not None and found.due < as_of:
        lines.append(f"Échéance passée depuis le {short_date(found.due + ONE_DAY)} : "
                     f"{lateness(policy, effect)}.")
    return lines


def lateness(policy: Policy, effect: ActionEffect) -> str:
    """What an action past its due date means: a right lapsed, an obligation that makes the verdict non conforming,
    or one (of a party the conformity does not look at, e.g. the body that decides) that does not."""
    who = policy.labels.actor(effect.actor)
    if effect.nature != "obligation":
        return f"{policy.labels.nature(effect.nature)} non exercée dans le délai, désormais échue"
    if effect.actor in policy.head.conformity.actors:
        return f"obligation {of(who)} non remplie : rend l'évaluation non conforme"
    return f"retard {of(who)}, sans effet sur la conformité de l'évaluation"


def fee(policy: Policy, rule: Rule, effect: FeeEffect, due: date, priced: list, facts: dict) -> dict:
    """priced: (unit amount, quantity, Charge) of each event charged (engine/evaluation/fees.py)."""
    rule_data, line = _rule(policy, rule, due)
    spec = effect.amount
    parameter = spec.parameter
    quarterly = effect.quarterly
    per_event = spec.per_event
    events = [charge.event for _, _, charge in priced]
    unit_price: dict | list[dict]
    if per_event:
        explained = [parameter_explained(policy, parameter, e.date, "date de l'événement facturé") for e in events]
        unit_price = [ref for ref, _ in explained]
        prices = list(dict.fromkeys(text for _, text in explained))
    else:
        unit_price, price = parameter_explained(policy, parameter, due, "date où les frais sont dus")
        prices = [price]
    data = {"regle": rule_data, "evenements": [event_ref(policy, e) for e in events],
            "date_due": {"date": due.isoformat(), "regle": "fin_de_trimestre" if quarterly else "date_evenement"},
            "prix_unitaire": unit_price,
            "quantites": [{"chemin": charge.event.source, "quantite": quantity, "comptes": list(charge.counted)}
                          for _, quantity, charge in priced]}
    why = ("dernier jour du trimestre civil des événements (facturation trimestrielle)" if quarterly
           else "date de l'événement qui les rend dus")
    texte = [line, "Dus pour : " + enumeration([event_text(policy, e) for e in events]) + ".",
             f"Date : {short_date(due)}, {why}.", *(f"Prix unitaire : {price}." for price in prices)]
    texte += [f"Quantité : {quantity} — {_counted_text(spec.times, charge, facts)}." for _, quantity, charge in priced]
    return {**data, "texte": texte}


def _counted_text(spec: Count | None, charge: Charge, facts: dict) -> str:
    if spec is None:
        return f"une fois pour {charge.event.source}"
    if spec.attribute is not None:
        return f"{enumeration(list(charge.counted))}"
    if spec.label is not None:      # the items as the policy names them, each by its place in the list
        items = value_at(facts, spec.items or "") or []
        return (f"{spec.label[0] if len(charge.counted) == 1 else spec.label[1]}"
                f"{' à cette date' if spec.period is not None else ''} : "
                f"{enumeration([_item(spec, path, items) for path in charge.counted]) or 'aucun'}")
    only = ", ".join(f"{spec.items}[*].{key} : {json.dumps(value, ensure_ascii=False)}"
                     for key, value in spec.conditions)
    period = ", en activité à cette date" if spec.period is not None else ""
    return (f"éléments de {spec.items}{f' dont {only}' if only else ''}{period} : "
            f"{enumeration(list(charge.counted)) or 'aucun'}")


def _item(spec: Count, path: str, items: list) -> str:
    """'organisme.etablissements[1]' -> 'n° 2 (SIRET 73282932000025)': its place in the list (items: the counted
    list), then the first of the policy's `reperes` it has."""
    index = int(path[path.rindex("[") + 1:-1])
    item = items[index]
    if isinstance(item, dict):
        for key, title in spec.marks:
            mark = item.get(key)
            if mark:
                return f"n° {index + 1} ({title} {mark})"
    return f"n° {index + 1}"


def status_change(policy: Policy, day: date, status: str, transition: Transition | None,
                  period: Period | None) -> dict:
    labels = policy.labels
    if transition is None:
        return _period_end(policy, day, status, period)
    rule = policy.rules_by_id[transition.rule_id]
    event = transition.event
    rule_data, line = _rule(policy, rule, event.date)
    data: dict = {"regle": rule_data, "declencheur": event_ref(policy, event), "date_effet": day.isoformat()}
    texte = [line, f"Déclenchée par : {event_text(policy, event)}."]
    starts = transition.starts
    if starts is None:
        texte.append(f"Prend effet le {short_date(day)}, jour de l'événement.")
    elif starts.delay is None:
        texte.append(f"Prend effet le {short_date(day)}, date donnée par {attribute_path(event, starts.path)}.")
    else:
        parameter = starts.delay
        anchor = event.date_at(starts.path)
        duration = policy.duration(parameter, event.date)
        data["delai"], value = parameter_explained(policy, parameter, event.date, "date de l'événement")
        if anchor is None or duration is None:      # no change of status took effect without both
            raise ValueError(f"rule {rule.id}: a status change without its start date or delay")
        data["decompte"], how = counting(policy, anchor, day, duration, policy.default_calendar_at(event.date), False,
                                         read_on=event.date)
        texte += [f"Délai : {value}.", "Décompte : " + how]
    texte.append(f"Statut à compter du {short_date(day)} : {labels.status(status)}.")
    return {**data, "texte": texte}


def _period_end(policy: Policy, day: date, status: str, period) -> dict:
    model = policy.status_model.period
    assert model is not None, "a period ends only under a policy that has one"
    spec = model.at(period.start)       # the text in force for the period: the one of its start
    name = spec.name
    version = period_version_label(spec)
    shown: dict[str, object] = {"debut": period.start.isoformat(), "fin": period.shown_last_day.isoformat(),
                                "renouvellements": period.renewals, "article": spec.article}
    if version is not None:
        shown["version"] = version
    duration, value = parameter_explained(policy, spec.duration, period.start, "date de début de la période")
    data = {"periode": shown, "duree": duration, "date_effet": day.isoformat()}
    renewed = (f", renouvelée {plural(period.renewals, 'fois', 'fois')}" if period.renewals else ", non renouvelée")
    texte = [(f"Fin de la période ({name}, article {spec.article}) commencée le {short_date(period.start)} : "
             f"dernier jour le {short_date(period.shown_last_day)}{renewed}."),
             f"Durée : {value}.",
             *([f"Texte de la période appliqué : {version['texte']}."] if version is not None else []),
             f"Statut à compter du {short_date(day)} : {policy.labels.status(status)}."]
    return {**data, "texte": texte}


def rule_finding(policy: Policy, rule: Rule, event: Event) -> dict:
    data, line = _rule(policy, rule, event.date)
    return {"regle": data, "declencheur": event_ref(policy, event),
            "texte": [line, f"Constaté sur : {event_text(policy, event)}."]}


def dossier_finding(finding: dict, trace: list[dict]) -> dict:
    paths = [path for entry in trace if entry["regle"] == finding["regle"] for path in entry["faits"]]
    return {"controle": finding["regle"], "article": finding["article"], "chemins": paths,
            "texte": [(f"Constaté par les contrôles du dossier (article {finding['article']}) sur : "
                      f"{enumeration(paths) or 'le dossier'}.")]}
