"""The words a policy gives its own identifiers, for the texts people read: a status's title, an actor with its
article (l'organisme), a nature (faculté), an event, a rule, a territory, a currency's symbol (€ HT).

An identifier the policy gives no title to is shown as it is: the engine never makes up a word of a regulation.
Built from the policy's typed parts (engine/policy/model/elements.py).
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from typing import Protocol

from ...wording import amount
from .elements import Elements
from .templates import Template
from .vocabulary import ENGINE_EVENT_TITLES


class Titled(Protocol):
    @property
    def id(self) -> str: ...

    @property
    def title(self) -> Template: ...


class Labels:
    def __init__(self, elements: Elements, rules: Mapping[str, Titled],
                 quoting: Callable[[Template, date], str] | None = None) -> None:
        """rules: each rule by its id; quoting(text, day): a rule's text with the values it quotes ({parameter})
        in force on day."""
        self._elements = elements
        self._rules = rules
        self._quoting = quoting
        self._events = {**elements.event_types, **elements.derived_events}

    def status(self, status: str) -> str:
        found = self._elements.statuses.values.get(status)
        return found.title if found is not None else status

    def status_family(self, status: str) -> str | None:
        """The status's family (vocabulary.STATUS_FAMILIES), when the policy gives one."""
        found = self._elements.statuses.values.get(status)
        return found.family if found is not None else None

    def status_article(self, status: str) -> str | None:
        found = self._elements.statuses.values.get(status)
        return found.article if found is not None else None

    def actor(self, actor: str) -> str:
        """With its article, as in a sentence: l'organisme."""
        found = self._elements.calendar.actors.get(actor)
        return found.title if found is not None and found.title is not None else actor

    def nature(self, nature: str) -> str:
        return self._elements.head.natures.get(nature, nature)

    def event(self, type_: str) -> str:
        spec = self._events.get(type_)
        return spec.title if spec is not None else ENGINE_EVENT_TITLES.get(type_, type_)

    def rule(self, rule_id: str, day: date | str | None = None) -> str:
        """A rule's title, the values it quotes as in force on day (the date that counts: an action's start; without
        one, today)."""
        rule = self._rules.get(rule_id)
        if rule is None:
            return rule_id
        day = date.fromisoformat(day) if isinstance(day, str) else day or date.today()
        return self._quoting(rule.title, day) if self._quoting is not None else rule.title.text

    def finding(self, finding_id: str) -> str:
        found = self._elements.findings.get(finding_id)
        return found.title if found is not None else finding_id

    def territory(self, territory: str) -> str:
        found = self._elements.calendar.territories.get(territory)
        return found.title if found is not None and found.title is not None else territory

    def duration_unit(self, unit: str) -> str:
        found = self._elements.calendar.duration_units.get(unit)
        return found.title if found is not None and found.title is not None else unit

    def money(self, value: Decimal | str, unit: str | None) -> str:
        """'12.50', 'EUR_HT' -> '12,50 € HT' (the unit's symbol, else its currency code)."""
        spec = self._elements.head.currencies.get(unit) if unit is not None else None
        return amount(value, spec.shown if spec is not None else str(unit))

    def identity(self) -> list[tuple[str, str]]:
        """(key, title) of what names a dossier (the verdict's `identite`), in the policy's order."""
        return [(item.key, item.title) for item in self._elements.head.identity]

    def fee_unit(self, fee: dict) -> str | None:
        """The amount unit of a verdict's fee: the one whose amount field it has, in its currency."""
        return next((unit for unit, spec in self._elements.head.currencies.items()
                     if spec.amount_field in fee and spec.code == fee.get("devise")), None)

    def fee_amount(self, fee: dict, field: str | None = None) -> str:
        """A fee's amount (or `field`, e.g. montant_unitaire) with its symbol: '90,00 € HT'."""
        unit = self.fee_unit(fee)
        if unit is None:
            return f"{fee[field or 'montant']} {fee.get('devise', '')}".strip()
        spec = self._elements.head.currencies[unit]
        return self.money(fee[field or spec.amount_field], unit)
