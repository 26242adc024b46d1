"""The words a policy gives its own identifiers, for the texts people read: a status's title, an actor with its
article (l'organisme), a nature (faculté), an event, a rule, a territory, a currency's symbol (€ HT).

An identifier the policy gives no title to is shown as it is: the engine never makes up a word of a regulation.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from ...wording import amount
from .vocabulary import ENGINE_EVENT_TITLES


class Labels:
    def __init__(self, data: dict, rules, quoting=None):
        """quoting(text, day): a rule's text with the values it quotes ({parameter}) in force on day."""
        self._data = data
        self._rules = {rule.id: rule for rule in rules}
        self._quoting = quoting
        self._events = {**data["evenements"]["types"], **data["evenements"].get("derives", {})}

    def status(self, status: str) -> str:
        return (self._data["statuts"]["valeurs"].get(status) or {}).get("titre", status)

    def status_article(self, status: str) -> str | None:
        return (self._data["statuts"]["valeurs"].get(status) or {}).get("article")

    def actor(self, actor: str) -> str:
        """With its article, as in a sentence: l'organisme."""
        return (self._data["calendrier"]["acteurs"].get(actor) or {}).get("titre", actor)

    def nature(self, nature: str) -> str:
        return ((self._data["politique"].get("natures") or {}).get(nature) or {}).get("titre", nature)

    def event(self, type_: str) -> str:
        spec = self._events.get(type_)
        return spec.get("titre", type_) if spec else ENGINE_EVENT_TITLES.get(type_, type_)

    def rule(self, rule_id: str, day=None) -> str:
        """A rule's title, the values it quotes as in force on day (the date that counts: an action's start; without
        one, today)."""
        rule = self._rules.get(rule_id)
        if rule is None:
            return rule_id
        day = date.fromisoformat(day) if isinstance(day, str) else day or date.today()
        return self._quoting(rule.title, day) if self._quoting is not None else rule.title.text

    def finding(self, finding_id: str) -> str:
        return (self._data["constats"].get(finding_id) or {}).get("titre", finding_id)

    def territory(self, territory: str) -> str:
        return (self._data["calendrier"]["territoires"].get(territory) or {}).get("titre", territory)

    def duration_unit(self, unit: str) -> str:
        return (self._data["calendrier"]["unites_de_duree"].get(unit) or {}).get("titre", unit)

    def money(self, value: Decimal | str, unit: str) -> str:
        """'12.50', 'EUR_HT' -> '12,50 € HT' (the unit's symbol, else its currency code)."""
        spec = self._data["politique"]["unites_monetaires"].get(unit) or {}
        return amount(value, spec.get("symbole") or spec.get("devise") or unit)

    def identity(self) -> list[tuple[str, str]]:
        """(key, title) of what names a dossier (the verdict's `identite`), in the policy's order."""
        return [(item["cle"], item["titre"]) for item in self._data["politique"].get("identite", ())]

    def fee_unit(self, fee: dict) -> str | None:
        """The amount unit of a verdict's fee: the one whose amount field it has, in its currency."""
        return next((unit for unit, spec in self._data["politique"]["unites_monetaires"].items()
                     if spec["champ_montant"] in fee and spec["devise"] == fee.get("devise")), None)

    def fee_amount(self, fee: dict, field: str | None = None) -> str:
        """A fee's amount (or `field`, e.g. montant_unitaire) with its symbol: '90,00 € HT'."""
        unit = self.fee_unit(fee)
        if unit is None:
            return f"{fee[field or 'montant']} {fee.get('devise', '')}".strip()
        spec = self._data["politique"]["unites_monetaires"][unit]
        return self.money(fee[field or spec["champ_montant"]], unit)
