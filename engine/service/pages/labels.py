"""French words and formats for the pages: dates JJ/MM/AAAA, amounts ``300,00 € HT``, the engine's states and
natures in words. Everything a policy names (statuses, events, findings, rules, units) takes its title from the
policy itself; what is here is the engine's own vocabulary."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from ..timeutil import PARIS

STATES = {"accomplie": "accomplie", "a_faire": "à faire", "en_retard": "en retard", "echue": "échue"}
NATURES = {"obligation": "obligation", "faculte": "faculté"}
SEVERITIES = {"manquement": "manquement", "information": "information"}
SENS = {"favorable": "favorable", "defavorable": "défavorable"}
# the events the engine itself produces (engine/policy/vocabulary.py); the period's name comes from the policy
ENGINE_EVENTS = {"echeance_depassee": "échéance dépassée", "periode_fin": "dernier jour de la période",
                 "periode_anniversaire": "anniversaire de la période", "periode_terminee": "fin de la période"}
_CURRENCY_SIGNS = {"EUR": "€"}
_MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
           "novembre", "décembre")


def day(value) -> str:
    """'2026-03-02' (or a date) -> '02/03/2026'; anything else is shown as it is."""
    text = value.isoformat() if isinstance(value, date) else str(value or "")
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        return f"{text[8:10]}/{text[5:7]}/{text[0:4]}"
    return text or "—"


def long_day(value) -> str:
    """'2026-03-02' -> '2 mars 2026' (1er for the first of a month)."""
    try:
        parsed = value if isinstance(value, date) else date.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return f"{'1er' if parsed.day == 1 else parsed.day} {_MONTHS[parsed.month - 1]} {parsed.year}"


def timestamp(value: str | None) -> str:
    """A stored UTC timestamp '2026-11-27T08:51:11.123456Z' -> '27/11/2026 à 09:51:11' (Paris time)."""
    if not value:
        return "—"
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(PARIS)
    except ValueError:
        return value
    return f"{moment:%d/%m/%Y} à {moment:%H:%M:%S}"


def number(value) -> str:
    """Decimal '1234.5' -> '1 234,50' (two decimals, French separators); an int stays an int."""
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    grouped = f"{amount:,.2f}".replace(",", "\u202f").replace(".", ",")
    return grouped


def money(value, currency: str, suffix: str = "") -> str:
    """('300.00', 'EUR', 'HT') -> '300,00 € HT'."""
    sign = _CURRENCY_SIGNS.get(currency, currency)
    return f"{number(value)}\u00a0{sign}" + (f" {suffix}" if suffix else "")


def unit_money(value, unit: str, currencies: dict) -> str:
    """A parameter's amount in a policy's monetary unit: ('300.00', 'EUR_HT') -> '300,00 € HT'."""
    currency = currencies[unit]["devise"]
    suffix = unit[len(currency) + 1:] if unit.startswith(f"{currency}_") else ""
    return money(value, currency, suffix)


def fee_amount(fee: dict) -> str:
    """A verdict's fee, its amount field named by the policy (``montant_ht`` -> '… € HT')."""
    key = next((k for k in fee if k.startswith("montant_") and k != "montant_unitaire"), None)
    if key is None:
        return "—"
    return money(fee[key], fee.get("devise", ""), key[len("montant_"):].upper())


def value(raw) -> str:
    """A fact's value in a sentence: dates JJ/MM/AAAA, booleans oui/non, lists joined."""
    if isinstance(raw, bool):
        return "oui" if raw else "non"
    if isinstance(raw, list):
        return ", ".join(value(item) for item in raw)
    return day(raw) if isinstance(raw, str) and len(raw) == 10 and raw[4:5] == "-" else str(raw)


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    return f"{count} {singular if count <= 1 else (plural_form or singular + 's')}"
