"""Actions: what a rule with an `action` effect requires of an actor, by when, and whether it was done.

An action opens on the event that starts it, its due date counted on its actor's calendar; it is fulfilled by the
first unused event of the declared type (and same attributes, `meme`) in its window. A deadline passed without
fulfilment, or fulfilled late, gives the rule's finding and an engine event the next round's rules may follow.
An action whose text sets no deadline (`sans_delai`) has none (echeance null): it is due, never late.
What the due date was counted from (anchor, duration, calendar) is kept with the action, to explain it on demand.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from ..calendar import Duration, WorkingDayCalendar, shift
from ..policy import Policy, Rule
from ..policy.model.vocabulary import DEADLINE_PASSED, TRIGGER
from ..wording import short_date
from .events import Event, EventStore

ONE_DAY = timedelta(days=1)
NO_DEADLINE = date.max   # sorts actions without a deadline last


@dataclass
class ActionInstance:
    rule: Rule
    trigger: Event
    due: date | None                     # None: the text sets no deadline
    anchor: date | None = None           # the date the deadline is counted from
    duration: Duration | None = None
    calendar: WorkingDayCalendar | None = None
    fulfilled_by: Event | None = None
    state: str = ""

    def out(self) -> dict:
        spec = self.rule.spec
        out = {
            "id": spec["id"], "acteur": spec["acteur"], "nature": spec["nature"],
            "echeance": self.due.isoformat() if self.due else None, "etat": self.state,
            "article": self.rule.article, "regle": self.rule.id,
            "depuis": {"evenement": self.trigger.type, "date": self.trigger.date.isoformat()},
        }
        if self.fulfilled_by:
            out["accomplie_le"] = self.fulfilled_by.date.isoformat()
            if self.due is not None:
                out["dans_les_delais"] = self.fulfilled_by.date <= self.due
        return out


class ActionBook:
    def __init__(self, policy: Policy, facts: dict, store: EventStore):
        self.policy = policy
        self.facts = facts
        self.store = store
        self.actions: list[ActionInstance] = []
        self.findings: list[dict] = []
        self.late: list[ActionInstance] = []     # the action behind each finding, in the same order
        self._used: dict[str, set] = defaultdict(set)

    def open(self, rule: Rule, trigger: Event) -> None:
        spec = rule.spec
        deadline = spec["echeance"]
        if deadline.get("sans_delai"):
            self.actions.append(ActionInstance(rule, trigger, None))
            return
        anchor = trigger.date_at(deadline.get("depuis", "date"))
        if anchor is None:
            return
        due, duration, calendar = anchor, None, None
        if "delai" in deadline:
            duration = self.policy.duration(deadline["delai"], trigger.date)
            if duration is None:   # the rule was not in force on the date of the event that starts it
                return
            calendar = self.policy.calendar_of(spec["acteur"], self.facts)
            due = shift(anchor, duration, backward=deadline.get("sens") == "avant", calendar=calendar,
                        conventions=self.policy.conventions)
        self.actions.append(ActionInstance(rule, trigger, due, anchor, duration, calendar))

    def resolve(self) -> list[Event]:
        """Give every new action its state; a deadline passed becomes an event for the next round."""
        as_of = self.store.as_of
        created = []
        for action in sorted((a for a in self.actions if not a.state),
                             key=lambda a: (a.due or NO_DEADLINE, a.trigger.key)):
            spec = action.rule.spec
            action.fulfilled_by = self._fulfilment(action)
            if action.due is None:          # no deadline: due, never late
                action.state = "accomplie" if action.fulfilled_by else "a_faire"
                continue
            late = action.fulfilled_by is not None and action.fulfilled_by.date > action.due
            missing = action.fulfilled_by is None and action.due < as_of
            if action.fulfilled_by and not (late and spec["nature"] == "faculte"):
                action.state = "accomplie"
            elif action.due >= as_of and not late:
                action.state = "a_faire"
            else:   # an option exercised after its deadline was not exercised: it lapsed (accomplie_le still shown)
                action.state = "en_retard" if spec["nature"] == "obligation" else "echue"
            if late or missing:
                self._late_finding(action, "tardive" if late else "absente")
                created.append(self.store.derive(DEADLINE_PASSED, action.due + ONE_DAY, {
                    "action": spec["id"], "acteur": spec["acteur"], "echeance": action.due.isoformat(),
                    TRIGGER: action.trigger.flat(),
                }, f"regle {action.rule.id} ({action.trigger.source})", parent=action.trigger,
                    rule_id=action.rule.id))
        return created

    def ordered(self) -> list[ActionInstance]:
        return sorted(self.actions, key=lambda a: (a.due or NO_DEADLINE, a.rule.spec["id"]))

    def _fulfilment(self, action: ActionInstance) -> Event | None:
        spec = action.rule.spec.get("accomplie_par")
        if not spec:
            return None
        deadline = action.rule.spec["echeance"]
        backward = deadline.get("sens") == "avant"
        anchor = action.trigger.date_at(deadline.get("depuis", "date"))
        start = action.trigger.date_at(spec["depuis"]) if "depuis" in spec else (None if backward else action.trigger.date)
        used = self._used[action.rule.spec["id"]]
        for candidate in self.store.of_type(spec["evenement"]):
            if candidate.key in used or (start and candidate.date < start) or (backward and candidate.date > anchor):
                continue
            if all(candidate.attributes.get(key) == action.trigger.attributes.get(key) for key in spec.get("meme", ())):
                used.add(candidate.key)
                return candidate
        return None

    def _late_finding(self, action: ActionInstance, case: str) -> None:
        late = action.rule.spec.get("si_en_retard")
        if not late or case not in late["cas"]:
            return
        finding = self.policy.findings[late["constat"]]
        when = f"accomplie le {short_date(action.fulfilled_by.date)}" if action.fulfilled_by else "non accomplie"
        self.findings.append({
            "id": late["constat"], "gravite": finding["gravite"], "article": action.rule.article,
            "regle": action.rule.id,
            "message": f"{finding['titre']} : « {self.policy.rule_title(action.rule, action.trigger.date)} » — "
                       f"échéance du {short_date(action.due)}, {when}.",
        })
        self.late.append(action)
