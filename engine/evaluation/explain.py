"""How a date or an amount was obtained, as data and as French sentences (`texte`), for `--explain`.

The evaluation keeps what it computed with (the event that started an action, the date counted from, the duration,
the calendar); these functions turn it into an explanation only when asked, so the normal path pays nothing:
the event and its path in the facts, the parameter and its value in force on the date that counts (with the date
it took effect and its decision), how the count went (working days on which territory's calendar, each public
holiday and weekend skipped; calendar days; months clamped), and the article.
"""
from __future__ import annotations

from bisect import bisect_left
from datetime import date, timedelta
from functools import lru_cache

from ..calendar import Duration, WorkingDayCalendar, add_days, add_months, add_years
from ..policy import Policy
from ..policy.model.vocabulary import TRIGGER
from ..wording import day_month, enumeration, long_date, short_date
from .events import Event

ONE_DAY = timedelta(days=1)
ONE_WEEK = timedelta(days=7)


def event_ref(policy: Policy, event: Event) -> dict:
    """The event as data: type, title, date, where it comes from (its path in the facts, or what it follows)."""
    out: dict[str, object] = {"evenement": event.type, "titre": policy.labels.event(event.type),
                              "date": event.date.isoformat(),
           "chemin": event.source}
    if event.parent is not None:
        out["regle"] = event.rule_id
        out["suite_de"] = event_ref(policy, event.parent)
    amended = policy.amended_event_types.get(event.type)
    if amended is not None:     # the text of its type it was read under (its requirements, its defaults)
        out["version"] = amendment_label(amended.at(event.date).applied, amended.versions[0].since)
    return out


def event_text(policy: Policy, event: Event) -> str:
    """'Décision notifiée le 02/03/2026 (evenements[3])'; a derived event says what it follows from."""
    text = f"{policy.labels.event(event.type)} le {short_date(event.date)}"
    if event.parent is not None:
        return f"{text}, à la suite de : {event_text(policy, event.parent)} (« {policy.labels.rule(str(event.rule_id), event.parent.date)} »)"
    if event.source.startswith("evenements["):
        return f"{text} ({event.source})"
    if event.source.startswith("calendrier."):
        return f"{text}, date prévue par le calendrier des sessions de la politique ({event.source})"
    if event.source.startswith("periode du "):
        return f"{text}, pour la période commencée le {short_date(event.source.removeprefix('periode du '))}"
    return f"{text}, constaté par les contrôles du dossier à la date de l'évaluation"


def attribute_path(event: Event, path: str) -> str:
    """Where an event's attribute comes from in the facts: 'evenements[3].date_retrait', also for an attribute of
    the event a derived one follows from (`declencheur.…`, see engine/policy/vocabulary.py)."""
    head, _, rest = path.partition(".")
    if event.parent is not None and head == TRIGGER and rest:
        return attribute_path(event.parent, rest)
    return f"{event.source}.{path}"


def parameter_explained(policy: Policy, parameter_id: str, day: date, why: str) -> tuple[dict, str]:
    """The parameter and its value in force on `day` (since when, and the decision or correction behind it), as
    data; and as a sentence: '30 jours ouvrés — <the parameter's title> (<article>) : valeur en vigueur le
    02/03/2026, <why that date> ; en vigueur depuis le …, décision du …'."""
    head, tail, phrase = _entry(policy, parameter_id, day)
    return {**head, "date_de_reference": day.isoformat(), **tail}, _sentence(phrase, day, why)


def _sentence(phrase: tuple[str, str], day: date, why: str) -> str:
    start, end = phrase
    return f"{start}{short_date(day)}{', ' + why if end else ''}{end}"


def _entry(policy: Policy, parameter_id: str, day: date) -> tuple[dict, dict, tuple[str, str]]:
    """What explains the value of a parameter in force on `day` except the day: made once per value."""
    parameter = policy.parameters[parameter_id]
    return policy.derived(("explication", parameter_id, parameter.position(day)),
                          lambda: _entry_made(policy, parameter_id, parameter.entry_at(day)))


def _entry_made(policy: Policy, parameter_id: str, entry) -> tuple[dict, dict, tuple[str, str]]:
    parameter = policy.parameters[parameter_id]
    head = {"parametre": parameter_id, "titre": parameter.title, "article": parameter.article, "unite": parameter.unit}
    tail = {"valeur": None if entry is None else (str(entry.value) if parameter.unit in policy.head.currencies
                                                  else entry.value),
            "en_vigueur_depuis": None if entry is None else entry.since.isoformat()}
    if entry is None:
        return head, tail, (f"aucune valeur — {parameter.title} ({parameter.article}) : aucune valeur en vigueur le ",
                            "")
    tail.update(entry.source)
    value = (policy.labels.money(str(entry.value), parameter.unit) if parameter.unit in policy.head.currencies
             else f"{entry.value} {policy.labels.duration_unit(parameter.unit)}")
    end = f" ; en vigueur depuis le {short_date(entry.since)}"
    decision = entry.source.get("decision")
    if decision:
        end += f", décision du {short_date(str(decision['date']))} ({decision['reference']})"
    correction = entry.source.get("correction")
    if correction:
        end += f", valeur corrigée ({correction.get('motif', '')})"
    return head, tail, (f"{value} — {parameter.title} ({parameter.article}) : valeur en vigueur le ", end)


def _weekends(first: date, last: date) -> list[tuple[str, tuple[str, ...]]]:
    """The weekends from first to last, both included: each Saturday with its Sunday, or alone at an end."""
    found = [_lone(first)] if first.weekday() == 6 and first <= last else []
    for year in range(first.year, last.year + 1):      # the whole weekends: each Saturday from first, before last
        saturdays, shown = _year_weekends(year)
        found += shown[bisect_left(saturdays, first):bisect_left(saturdays, last)]
    if last.weekday() == 5 and first <= last:
        found.append(_lone(last))
    return found


@lru_cache(maxsize=64)       # a count spans a year or two; a batch's counts, a few decades
def _year_weekends(year: int) -> tuple[list[date], list[tuple[str, tuple[str, ...]]]]:
    """The Saturdays of a year, and each whole weekend they start (its Sunday may be in the next year)."""
    first = date(year, 1, 1) + timedelta(days=(5 - date(year, 1, 1).weekday()) % 7)
    saturdays = [first + week * ONE_WEEK for week in range((date(year, 12, 31) - first).days // 7 + 1)]
    return saturdays, [_weekend((day, day + ONE_DAY)) for day in saturdays]


@lru_cache(maxsize=4096)
def _lone(day: date) -> tuple[str, tuple[str, ...]]:
    """A weekend cut by an end of the interval: the Sunday a count starts on, the Saturday it ends on."""
    return _weekend((day,))


def _weekend(group: tuple[date, ...]) -> tuple[str, tuple[str, ...]]:
    """A weekend skipped by a count: as the sentence names it, and its days as data."""
    days = tuple(day.isoformat() for day in group)
    if len(group) == 1:
        return day_month(group[0]), days
    first, last = group[0], group[-1]
    if first.month == last.month:
        return f"{day_month(first).rsplit(' ', 1)[0]} et {day_month(last)}", days
    return f"{day_month(first)} et {day_month(last)}", days


def counting(policy: Policy, anchor: date, due: date, duration: Duration, calendar: WorkingDayCalendar | None,
             backward: bool, territory_of: str | None = None, read_on: date | None = None) -> tuple[dict, str]:
    """How `due` follows from `anchor` by `duration`: the data, and one French sentence. read_on: the day the
    delay was read (the event that starts it), which selects the conventions in force (default: anchor)."""
    data, text = _counting(policy, anchor, due, duration, calendar, backward, territory_of, read_on or anchor)
    version = policy.calendar_model.conventions_version(read_on or anchor) if policy.calendar_model.convention_versions \
        else None
    if policy.calendar_model.convention_versions:
        data["conventions"] = amendment_label(version, policy.calendar_model.convention_versions[0].since)
        text = f"{text[:-1]} ; conventions de calcul : {data['conventions']['texte']}."
    model = policy.calendar_model.territories.get(calendar.name) if calendar is not None else None
    if model is not None and model.versions and duration.counting == "working_days":
        data["territoire"] = amendment_label(policy.territory_version(model.name, read_on or anchor),
                                             model.versions[0].since)
        text = f"{text[:-1]} ; jours fériés du territoire : {data['territoire']['texte']}."
    return data, text


def amendment_label(version, first: date) -> dict:
    """Which text of an amended element (conventions, a criterion) applied, for the explanations and the verdict."""
    if version is None:
        return {"numero": 0, "depuis": None, "texte": f"texte initial, en vigueur avant le {short_date(first)}"}
    reference = version.decision.reference if version.decision is not None else None
    return {"numero": version.number, "depuis": version.since.isoformat(), **({"decision": reference} if reference
                                                                             else {}),
            "texte": f"version en vigueur depuis le {short_date(version.since)}"
                     f"{f', décision : {reference}' if reference else ''}"}


def _counting(policy: Policy, anchor: date, due: date, duration: Duration, calendar: WorkingDayCalendar | None,
              backward: bool, territory_of: str | None, read_on: date) -> tuple[dict, str]:
    unit = policy.labels.duration_unit(duration.unit)
    way = "avant" if backward else "après"
    data = {"methode": duration.counting, "nombre": duration.amount, "unite": duration.unit,
            "sens": "avant" if backward else "apres", "depart": anchor.isoformat(), "echeance": due.isoformat()}
    start = f"{duration.amount} {unit} {way} le {long_date(anchor)} (ce jour-là non compté)"
    if duration.counting == "working_days":
        if calendar is None:
            raise ValueError("un délai en jours ouvrés se compte sur le calendrier d'un territoire")
        first, last = (due, anchor - ONE_DAY) if backward else (anchor + ONE_DAY, due)
        holidays = calendar.weekday_holidays(first, last)
        weekends = _weekends(first, last)
        data.update(calendrier=calendar.name,
                    jours_feries=[{"date": day.isoformat(), "nom": name} for day, name in holidays],
                    week_ends=[list(days) for _, days in weekends])
        whose = f" ({territory_of})" if territory_of else ""
        text = f"{start}, sur le calendrier {policy.labels.territory(calendar.name)}{whose}"
        text += (" ; jours fériés non comptés : " + enumeration([f"{day_month(d)} ({n})" for d, n in holidays])
                 if holidays else " ; aucun jour férié dans l'intervalle")
        if weekends:
            text += " ; week-ends non comptés : " + enumeration([shown for shown, _ in weekends])
        if backward and policy.conventions_at(read_on).backward_clear_days:
            text += " ; compté en jours francs (convention de la politique)"
        return data, f"{text} → {long_date(due)}."
    sign = -1 if backward else 1
    if duration.counting == "calendar_days":
        plain = add_days(anchor, sign * duration.amount)
        text = f"{start}, jours calendaires"
    else:
        shifted = add_months if duration.counting == "months" else add_years
        plain = shifted(anchor, sign * duration.amount)
        text = f"{start}, même quantième"
        if plain.day != anchor.day:
            data["fin_de_mois"] = True
            text += (f" ; le {anchor.day} n'existant pas ce mois-là, l'échéance est le dernier jour du mois "
                     f"({short_date(plain)})")
    if due != plain:
        data["reportee_au_jour_ouvre"] = True
        text += f" ; le {long_date(plain)} n'étant pas un jour ouvré, l'échéance est reportée au jour ouvré suivant"
    elif calendar is not None and not backward and not calendar.is_working_day(due):
        text += " ; l'échéance tombe un jour non ouvré et n'est pas reportée (convention de la politique)"
    return data, f"{text} → {long_date(due)}."
