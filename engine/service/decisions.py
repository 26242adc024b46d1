"""From evaluation requests to logged decisions: envelope check, engine (serialized), decision log, answer.

One request evaluates every item on the policy set in service when it started, even if a reload swaps it
meanwhile. Its decisions are committed to the log before anything is answered (with those of the requests
waiting at the same moment: see :mod:`group_commit`); if that fails, the request fails (503) and nothing is
answered unlogged.
"""
from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

from ..errors import FactsError
from ..policy.files.personal_data import personal_data_paths
from .decision_log import DecisionLog, DecisionLogError
from .group_commit import GroupCommit
from .problems import Problem, invalid_facts, invalid_request
from .reload import PolicyHolder
from .requests import evaluation_issues
from .serial import SerialExecutor

logger = logging.getLogger("clea.service")


def _evaluate_all(evaluate, items: list[tuple[dict, str | None]], policies, explain: bool) -> list:
    """Runs on the engine thread: one verdict or FactsError per item."""
    outcomes: list = []
    for facts, as_of in items:
        try:
            outcomes.append(evaluate(facts, as_of, policies=policies, explain=explain))
        except FactsError as exc:
            outcomes.append(exc)
    return outcomes


_PERSONAL: dict[tuple, tuple[str, ...]] = {}


def personal_paths(policies) -> tuple[str, ...]:
    """What the schemas of a policy set mark as personal data (computed once per set of revisions)."""
    key = tuple(policy.revision for policy in policies)
    if key not in _PERSONAL:
        _PERSONAL[key] = tuple(dict.fromkeys(path for policy in policies for path in personal_data_paths(policy)))
    return _PERSONAL[key]


class DecisionService:
    def __init__(self, *, evaluate, holder: PolicyHolder, engine: SerialExecutor, log: DecisionLog,
                 log_writer: SerialExecutor, on_log: Callable[[str | None], None] | None = None):
        self._evaluate = evaluate
        self._on_log = on_log or (lambda error: None)     # told each write's outcome: its error, or None
        self._holder = holder
        self._engine = engine
        self._log = GroupCommit(log, log_writer)      # concurrent requests' decisions committed together

    async def decide(self, envelopes: list, caller: dict, *, explain: bool = False) -> list:
        """One result per envelope, in order: a decision (verdict + decision_id) or a Problem for that item.
        explain: each result of a verdict carries its `explication` (and is logged with it)."""
        policies = self._holder.current
        results: list = [None] * len(envelopes)
        todo: list[int] = []
        for index, envelope in enumerate(envelopes):
            issues = evaluation_issues(envelope)
            if issues:
                results[index] = invalid_request(issues)
            else:
                todo.append(index)
        items = [(envelopes[i]["faits"], envelopes[i].get("date")) for i in todo]
        outcomes = await self._engine.call(_evaluate_all, self._evaluate, items, policies, explain) if items else []
        to_log = []
        for index, outcome in zip(todo, outcomes):
            if isinstance(outcome, FactsError):
                results[index] = invalid_facts(outcome.issues, outcome.omitted)
                continue
            decision = {"decision_id": str(uuid.uuid4()), **outcome}
            results[index] = decision
            to_log.append({"decision_id": decision["decision_id"], "date_evaluation": outcome["date_evaluation"],
                           "politique": outcome["politique"], "faits": envelopes[index]["faits"],
                           "verdict": outcome, **caller})
        if to_log:
            try:
                await self._log.record(to_log, personal_paths(policies))
            except DecisionLogError as exc:
                logger.error("%s: refusing to answer unlogged decisions", exc)
                self._on_log(str(exc))
                raise Problem(503, "journal-indisponible", "Journal des décisions indisponible",
                              "La décision n'a pas pu être enregistrée dans le journal ; elle n'est donc pas "
                              "rendue. Réessayez plus tard.", headers={"Retry-After": "60"}) from exc
            self._on_log(None)
        return results
