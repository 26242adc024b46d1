"""facts -> verdict: validate, match the policy's rules in a durable_rules session, and assemble the verdict.

Rounds: the dossier's events are asserted; what the rules produce that other rules may follow from (a deadline
passed, an event a rule emits) is asserted in the next round, until nothing new comes. Then the status is run
over time, and the period's own events (its end, its anniversaries) are asserted for the rules that follow them.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

import pendulum

from .calendar import CalendarRangeError, add_years, quarter_end
from .deadlines import shift
from .errors import FactsError, Issue
from .dossier import DossierResult, check_dossier
from .facts import FactsValidator
from .policy import Policy, PolicySet, Rule
from .rules import CompiledRules
from .scope import with_scope
from .sessions import scheduled_meetings
from .status import StatusMachine, Transition
from .vocabulary import DEADLINE_PASSED, PERIOD_ANNIVERSARY, PERIOD_END, PERIOD_OVER

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Prepared:
    """What a policy needs per process, built once: its facts validator and its compiled rules."""

    validator: FactsValidator
    rules: CompiledRules


_PREPARED: dict[str, Prepared] = {}


def prepare(policy: Policy) -> Prepared:
    key = f"{policy.id}@{policy.revision}"
    prepared = _PREPARED.get(key)
    if prepared is None:
        prepared = Prepared(
            FactsValidator(policy.facts_schema, policy.event_types, policy.year_range),
            CompiledRules(f"{policy.id}@{policy.revision[7:23]}", [rule.when for rule in policy.rules]),
        )
        _PREPARED[key] = prepared
    return prepared


def today_in_paris() -> date:
    return pendulum.now("Europe/Paris").date()


def parse_as_of(as_of) -> date:
    if as_of is None:
        return today_in_paris()
    if isinstance(as_of, date):
        return as_of
    try:
        return date.fromisoformat(str(as_of)) if len(str(as_of)) == 10 else _bad_date(as_of)
    except ValueError:
        return _bad_date(as_of)


def _bad_date(value):
    raise FactsError([Issue("date", f"{value!r} is not a date as YYYY-MM-DD")])


def evaluate(facts: dict, as_of: date | str | None = None, *, policies: PolicySet) -> dict:
    """The verdict on facts as of a date (today in Europe/Paris by default). Raises FactsError on bad input."""
    day = parse_as_of(as_of)
    instance = facts.get("instance") if isinstance(facts, dict) else None
    policy = policies.for_instance(instance) if isinstance(instance, str) else None
    if policy is None:
        prepared_any = prepare(next(iter(policies)))
        issues = prepared_any.validator.issues(facts)
        if isinstance(instance, str) and not any(issue.path == "instance" for issue in issues):
            issues.append(Issue("instance", f"no policy serves instance '{instance}' "
                                f"(served: {', '.join(policies.instances())})"))
        raise FactsError(issues or [Issue("instance", "missing instance")])
    prepared = prepare(policy)
    prepared.validator.check(facts)
    first, last = policy.year_range
    if not first <= day.year <= last:
        raise FactsError([Issue("date", f"{day.isoformat()} is outside the years this policy covers ({first}–{last})")])
    try:
        verdict = Evaluation(policy, prepared, facts, day).verdict()
    except CalendarRangeError as exc:
        raise FactsError([Issue("evenements", f"a deadline falls outside the policy's calendar: {exc}")]) from exc
    return with_scope(verdict, policy, policies, facts)


@dataclass
class Event:
    key: str
    type: str
    date: date
    attributes: dict
    source: str           # where it comes from: "evenements[3]", or the rule that produced it

    def flat(self) -> dict:
        return {**self.attributes, "type": self.type, "date": self.date.isoformat()}


@dataclass
class ActionInstance:
    rule: Rule
    trigger: Event
    due: date
    fulfilled_by: Event | None = None
    state: str = ""


@dataclass
class Evaluation:
    policy: Policy
    prepared: Prepared
    facts: dict
    as_of: date
    events: dict = field(default_factory=dict)
    actions: list = field(default_factory=list)
    fees: list = field(default_factory=list)
    transitions: list = field(default_factory=list)
    findings: list = field(default_factory=list)
    trace: list = field(default_factory=list)
    _used: dict = field(default_factory=lambda: defaultdict(set))
    _deferred: list = field(default_factory=list)
    dossier: DossierResult = field(default_factory=DossierResult)

    # --- events --------------------------------------------------------------------------------------
    def _raw_events(self) -> dict[str, Event]:
        planned = self.policy.planned_event_types
        found = {}
        for index, raw in enumerate(self.facts["evenements"]):
            day = date.fromisoformat(raw["date"])
            if day <= self.as_of or raw["type"] in planned:
                attributes = {k: v for k, v in raw.items() if k not in ("type", "date")}
                found[f"e{index}"] = Event(f"e{index}", raw["type"], day, attributes, f"evenements[{index}]")
        for index, (type_, day, source) in enumerate(scheduled_meetings(self.policy.data["calendrier"], found.values())):
            found[f"s{index}"] = Event(f"s{index}", type_, day, {}, source)
        return found

    def _derive(self, type_: str, day: date, attributes: dict, source: str) -> Event:
        key = f"d{len(self.events)}"
        event = Event(key, type_, day, attributes, source)
        self.events[key] = event
        return event

    def _of_type(self, type_: str) -> list[Event]:
        return sorted((e for e in self.events.values() if e.type == type_ and e.date <= self.as_of),
                      key=lambda e: (e.date, e.key))

    # --- the run -------------------------------------------------------------------------------------
    def verdict(self) -> dict:
        with self.prepared.rules.session() as session:
            pending = self._raw_events()
            self.events.update(pending)
            pending.update(self._dossier_events())
            self._rounds(session, pending)
            timeline = self._status_machine().run(self.transitions, self.as_of)
            period_events = {event.key: event for event in self._period_events(timeline)}
            self._rounds(session, period_events)
        return self._assemble(timeline)

    def _dossier_events(self) -> dict:
        """Run the policy's dossier checks; what they emit (e.g. a dossier to complete) is asserted with the events."""
        self.dossier = check_dossier(self.policy, self.facts)
        emitted = self.dossier.event(self.events.values(), self.as_of)
        if emitted is None:
            return {}
        type_, attributes, source = emitted
        event = self._derive(type_, self.as_of, attributes, source)
        return {event.key: event}

    def _rounds(self, session, pending: dict) -> None:
        while pending or self._deferred:
            if not pending:
                deferred, self._deferred = self._deferred, []
                new = [self._apply(rule, event) for rule, event in deferred if self._after_ok(rule, event)]
            else:
                fired = session.assert_facts({key: event.flat() for key, event in pending.items()})
                fired.sort(key=lambda match: (self.events[match[1]].date, match[1], match[0]))
                new = []
                for rule_index, key in fired:
                    rule, event = self.policy.rules[rule_index], self.events[key]
                    if "apres" in rule.when:
                        self._deferred.append((rule, event))
                    else:
                        new.append(self._apply(rule, event))
            created = [event for batch in new for event in batch]
            created += self._resolve_actions()
            pending = {event.key: event for event in created}

    def _after_ok(self, rule: Rule, event: Event) -> bool:
        """`apres`: an event of the given type before this one, within the given duration."""
        spec = rule.when["apres"]
        for earlier in self._of_type(spec["evenement"]):
            duration = self.policy.duration(spec["dans"], earlier.date)
            if duration is None or earlier.date >= event.date:
                continue
            limit = shift(earlier.date, duration, backward=False, calendar=self.policy.calendar(
                self.policy.data["calendrier"]["territoire_par_defaut"]), conventions=self.policy.conventions)
            if event.date <= limit:
                return True
        return False

    def _apply(self, rule: Rule, event: Event) -> list[Event]:
        self.trace.append({"regle": rule.id, "article": rule.article, "faits": [event.source]})
        spec = rule.spec
        if rule.effect == "action":
            self._open_action(rule, event)
        elif rule.effect == "frais":
            self.fees.append((rule, event))
        elif rule.effect == "statut":
            effective = self._effective_date(spec.get("a_compter_de"), event)
            if effective is not None:
                self.transitions.append(Transition(effective, (event.date, event.key), rule.id, spec["vers"],
                                                   tuple(spec["depuis_statuts"]) if "depuis_statuts" in spec else None,
                                                   bool(spec.get("ouvre_periode"))))
        elif rule.effect == "emettre":
            effective = self._effective_date(spec.get("a_compter_de"), event)
            if effective is not None:
                return [self._derive(spec["evenement"], effective, {}, f"regle {rule.id} ({event.source})")]
        return []

    def _effective_date(self, spec, event: Event) -> date | None:
        if spec is None:
            return event.date
        path, delay = (spec, None) if isinstance(spec, str) else (spec["chemin"], spec.get("delai"))
        day = _date_at(event, path)
        if day is None or delay is None:
            return day
        duration = self.policy.duration(delay, event.date)
        if duration is None:
            return None
        return shift(day, duration, backward=False, calendar=self._calendar_of(None),
                     conventions=self.policy.conventions)

    # --- actions -------------------------------------------------------------------------------------
    def _calendar_of(self, actor: str | None):
        calendar = self.policy.data["calendrier"]
        spec = calendar["acteurs"].get(actor, {}) if actor else {}
        territory = spec.get("territoire")
        if territory is None and "territoire_des_faits" in spec:
            territory = _value_at(self.facts, spec["territoire_des_faits"])
        return self.policy.calendar(territory or calendar["territoire_par_defaut"])

    def _open_action(self, rule: Rule, trigger: Event) -> None:
        spec = rule.spec
        deadline = spec["echeance"]
        anchor = _date_at(trigger, deadline.get("depuis", "date"))
        if anchor is None:
            return
        due = anchor
        if "delai" in deadline:
            duration = self.policy.duration(deadline["delai"], trigger.date)
            if duration is None:   # the rule was not in force on the date of the event that starts it
                return
            due = shift(anchor, duration, backward=deadline.get("sens") == "avant",
                        calendar=self._calendar_of(spec["acteur"]), conventions=self.policy.conventions)
        self.actions.append(ActionInstance(rule, trigger, due))

    def _resolve_actions(self) -> list[Event]:
        """Give every new action its state; a deadline passed becomes an event for the next round."""
        created = []
        for action in sorted((a for a in self.actions if not a.state), key=lambda a: (a.due, a.trigger.key)):
            spec = action.rule.spec
            action.fulfilled_by = self._fulfilment(action)
            if action.fulfilled_by:
                action.state = "accomplie"
            elif action.due >= self.as_of:
                action.state = "a_faire"
            else:
                action.state = "en_retard" if spec["nature"] == "obligation" else "echue"
            late = action.fulfilled_by is not None and action.fulfilled_by.date > action.due
            missing = action.fulfilled_by is None and action.due < self.as_of
            if late or missing:
                self._late_finding(action, "tardive" if late else "absente")
                created.append(self._derive(DEADLINE_PASSED, action.due + ONE_DAY, {
                    "action": spec["id"], "acteur": spec["acteur"], "echeance": action.due.isoformat(),
                    "declencheur": action.trigger.flat(),
                }, f"regle {action.rule.id} ({action.trigger.source})"))
        return created

    def _fulfilment(self, action: ActionInstance) -> Event | None:
        spec = action.rule.spec.get("accomplie_par")
        if not spec:
            return None
        backward = action.rule.spec["echeance"].get("sens") == "avant"
        anchor = _date_at(action.trigger, action.rule.spec["echeance"].get("depuis", "date"))
        start = _date_at(action.trigger, spec["depuis"]) if "depuis" in spec else (None if backward else action.trigger.date)
        used = self._used[action.rule.spec["id"]]
        for candidate in self._of_type(spec["evenement"]):
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
        spec = action.rule.spec
        finding = self.policy.findings[late["constat"]]
        when = (f"accomplie le {action.fulfilled_by.date.isoformat()}" if action.fulfilled_by
                else "non accomplie")
        self.findings.append({
            "id": late["constat"], "gravite": finding["gravite"], "article": action.rule.article,
            "regle": action.rule.id,
            "message": f"{finding['titre']} : « {spec['id']} », échéance le {action.due.isoformat()}, {when}.",
        })

    # --- status and period ---------------------------------------------------------------------------
    def _status_machine(self) -> StatusMachine:
        model = self.policy.statuses
        period = model.get("periode") or {}
        renewal = period.get("renouvellement") or {}
        territory = self.policy.calendar(self.policy.data["calendrier"]["territoire_par_defaut"])

        # a period's length is plain calendar arithmetic: no deadline convention (extension) applies to it
        exact = replace(self.policy.conventions, extend_to_working_day=False)

        def after(start: date, *parameters: str) -> date:
            day = start
            for parameter in parameters:
                day = shift(day, self.policy.duration(parameter, start), backward=False, calendar=territory,
                            conventions=exact)
            return day

        renewal_dates = [e.date for e in self._of_type(renewal["si_evenement"])] if "si_evenement" in renewal else []
        return StatusMachine(
            model,
            period_length=lambda start: after(start, period["duree"]),
            renewal_length=lambda start, count: after(start, period["duree"], *[renewal["duree"]] * count),
            renewal_count=lambda start: self.policy.parameters[renewal["nombre"]].at(start) or 0,
            renewal_event_dates=renewal_dates,
        )

    def _period_events(self, timeline) -> list[Event]:
        machine = self._status_machine()
        created = []
        for period in timeline.periods:
            last = period.shown_last_day
            n = 1
            while (day := add_years(period.start, n)) <= min(last, self.as_of):
                created.append(self._derive(PERIOD_ANNIVERSARY, day, {"numero": n, "debut": period.start.isoformat()},
                                            f"periode du {period.start.isoformat()}"))
                n += 1
            if period.ended and period.ended <= self.as_of and period.end_cause not in machine.active:
                created.append(self._derive(PERIOD_OVER, period.ended, {"debut": period.start.isoformat(),
                                                                        "cause": period.end_cause},
                                            f"periode du {period.start.isoformat()}"))
        if timeline.periods:
            latest = timeline.periods[-1]
            if latest.ended is None or latest.end_cause == machine.period["statut_a_echeance"]:
                created.append(self._derive(PERIOD_END, latest.shown_last_day, {
                    "debut": latest.start.isoformat(),
                    "renouvelable": latest.ended is None and machine.renews(timeline, latest, self.as_of),
                }, f"periode du {latest.start.isoformat()}"))
        return created

    # --- the verdict ---------------------------------------------------------------------------------
    def _assemble(self, timeline) -> dict:
        conformity = self.policy.data["politique"]["conformite"]
        actions = [self._action_out(action) for action in sorted(self.actions, key=lambda a: (a.due, a.rule.spec["id"]))]
        findings = sorted(self.findings + self.dossier.findings, key=lambda f: (f["id"], f["message"]))
        reasons = [f["message"] for f in findings if f["gravite"] in conformity["gravites"]]
        reasons += [f"Obligation « {a['id']} » en retard depuis le {a['echeance']} ({a['article']})."
                    for a in actions if a["acteur"] in conformity["acteurs"] and a["etat"] == "en_retard"]
        if timeline.status in conformity.get("statuts", ()):
            status = self.policy.statuses["valeurs"][timeline.status]
            reasons.insert(0, f"Statut « {timeline.status} » : {status['titre']} ({status['article']}).")
        period_name = (self.policy.statuses.get("periode") or {}).get("nom")
        verdict = {
            "date_evaluation": self.as_of.isoformat(),
            "politique": self.policy.describe(),
            "instance": self.facts["instance"],
            "statut": timeline.status,
        }
        if period_name:
            latest = timeline.periods[-1] if timeline.periods else None
            verdict[period_name] = None if latest is None else {
                "debut": latest.start.isoformat(), "fin": latest.shown_last_day.isoformat(),
                "renouvelee": latest.renewals > 0,
            }
        verdict.update(self.dossier.parts)   # completude, criteres, avis_propose (when the policy declares them)
        verdict.update({
            "actions": actions,
            "frais": self._fees_out(),
            "constats": findings,
            "verdict": {"conforme": not reasons, "motifs": reasons},
            "trace": self.dossier.trace + self.trace,
        })
        return verdict

    def _action_out(self, action: ActionInstance) -> dict:
        spec = action.rule.spec
        out = {
            "id": spec["id"], "acteur": spec["acteur"], "nature": spec["nature"],
            "echeance": action.due.isoformat(), "etat": action.state,
            "article": action.rule.article, "regle": action.rule.id,
            "depuis": {"evenement": action.trigger.type, "date": action.trigger.date.isoformat()},
        }
        if action.fulfilled_by:
            out["accomplie_le"] = action.fulfilled_by.date.isoformat()
            out["dans_les_delais"] = action.fulfilled_by.date <= action.due
        return out

    def _fees_out(self) -> list[dict]:
        grouped: dict[tuple, list] = defaultdict(list)
        for rule, event in self.fees:
            spec = rule.spec
            due = quarter_end(event.date) if spec.get("regroupement") == "trimestre" else event.date
            grouped[(rule.id, spec["id"], due)].append((rule, event))
        out = []
        for (rule_id, fee_id, due), members in sorted(grouped.items(), key=lambda item: (item[0][2], item[0][1])):
            if due > self.as_of:
                continue
            rule = members[0][0]
            parameter = self.policy.parameters[rule.spec["montant"]["parametre"]]
            unit_amount = parameter.at(due)
            quantity = sum(self._quantity(rule.spec["montant"].get("fois"), event) for _, event in members)
            if unit_amount is None or not unit_amount or not quantity:
                continue
            money = self.policy.currencies[parameter.unit]
            out.append({
                "id": fee_id, "acteur": rule.spec["acteur"], money["champ_montant"]: str(unit_amount * quantity),
                "devise": money["devise"], "echeance": due.isoformat(), "quantite": quantity,
                "montant_unitaire": str(unit_amount), "article": rule.article, "regle": rule_id,
            })
        return out

    def _quantity(self, spec, event: Event) -> int:
        if spec is None:
            return 1
        if "attribut" in spec:
            return int(event.attributes.get(spec["attribut"], 0))
        items = _value_at(self.facts, spec["compte"]) or []
        conditions = spec.get("si", {})
        return sum(1 for item in items if all(item.get(key) == value for key, value in conditions.items()))


def _value_at(data, dotted: str):
    for part in dotted.split("."):
        if not isinstance(data, dict):
            return None
        data = data.get(part)
    return data


def _date_at(event: Event, path: str) -> date | None:
    if path == "date":
        return event.date
    value = _value_at(event.attributes, path)
    return date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else None
