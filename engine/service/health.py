"""GET /v1/health: what a load balancer and a person need to know, true for every worker of the service.

    ok        200  the engine answers, the decision log can be written, every worker serves the same revisions
                   and its last reload (if any) succeeded
    degrade   503  the decision log cannot be written: every evaluation would fail, a balancer must stop sending
    degrade   200  a reload failed (of any kind: refused policies, timed out, unexpected error) in some worker, or
                   the workers do not serve the same revisions, or the accounts file became unusable: answers are still right for the revision each
                   names, the old policies keep serving; an administrator must act (``raisons`` says why)
    bloque    503  this worker's engine has been running one call for more than ENGINE_BLOCKED_AFTER seconds

The log is probed on each health request (at most every PROBE_EVERY seconds): a write transaction begun and
rolled back (SQLite), or a transaction id taken (PostgreSQL: fails when the server is down or read-only). A write
that failed keeps the log "down" until a probe or a write succeeds. Each worker publishes its state on the shared
board (engine/service/workers.py); any worker's health reads them all.
"""
from __future__ import annotations

import asyncio
import os
import time

from .account_book import AccountBook
from .decision_log import DecisionLogError
from .reload import PolicyHolder
from .serial import SerialExecutor
from .timeutil import utc_now
from .workers import WorkerBoard

# an engine call (one request's evaluations) running longer than this means the engine is stuck: health says so
ENGINE_BLOCKED_AFTER = 30.0
PROBE_EVERY = 0.5          # seconds a probe's result is reused
PROBE_TIMEOUT = 5.0        # a probe queued behind a write that hangs: the log is said unavailable


def policy_summary(policies) -> list[dict]:
    return [{**policy.describe(), "etend": policy.extends} for policy in policies]


def revisions(policies) -> list[dict]:
    return [{"id": policy.id, "revision": policy.revision} for policy in policies]


class Health:
    def __init__(self, *, holder: PolicyHolder, engine: SerialExecutor, log, log_writer: SerialExecutor,
                 board: WorkerBoard, accounts: AccountBook | None = None) -> None:
        self._holder = holder
        self._accounts = accounts
        self._engine = engine
        self._log = log
        self._log_writer = log_writer
        self.board = board
        self.started = utc_now()
        self.log_error: str | None = None
        self._probed_at = -1.0

    def publish(self) -> None:
        """This worker's state, for its peers' health (after start-up, each reload, each change of the log)."""
        self.board.publish({"demarre_le": self.started, "politiques": revisions(self._holder.current),
                            "dernier_rechargement": self._holder.last_reload.as_dict(),
                            "journal": {"ecrit": self.log_error is None, "erreur": self.log_error}})

    def log_written(self, error: str | None) -> None:
        """A write to the log failed (its message) or succeeded (None)."""
        if error != self.log_error:
            self.log_error = error
            self.publish()

    async def _probe(self) -> None:
        if time.monotonic() - self._probed_at < PROBE_EVERY:
            return
        self._probed_at = time.monotonic()
        try:
            await asyncio.wait_for(self._log_writer.call(self._log.probe), PROBE_TIMEOUT)
        except DecisionLogError as exc:
            self.log_written(str(exc))
        except TimeoutError:
            self.log_written(f"le journal des décisions ne répond pas depuis {PROBE_TIMEOUT:g} s")
        else:
            self.log_written(None)

    async def report(self) -> tuple[dict, int]:
        """The health document and its HTTP status."""
        await self._probe()
        busy = self._engine.busy_for()
        workers = self.board.entries()
        reasons = []
        if self.log_error is not None:
            reasons.append(f"le journal des décisions ne peut pas être écrit : {self.log_error}")
        for worker in workers:
            last = worker.get("dernier_rechargement") or {}
            if last.get("le") and not last.get("reussi"):
                reasons.append(f"le dernier rechargement du travailleur {worker['pid']} a échoué le {last['le']} ; "
                               "les politiques précédentes restent en service")
        if self._accounts is not None and self._accounts.entries() == {} and self._accounts.problems:
            reasons.append(f"le fichier des comptes est inutilisable, personne ne peut se connecter aux pages : "
                           f"{self._accounts.problems[0]}")
        if len({repr(worker.get("politiques")) for worker in workers}) > 1:
            reasons.append("les travailleurs ne servent pas les mêmes révisions des politiques")
        blocked = busy > ENGINE_BLOCKED_AFTER
        state = "bloque" if blocked else "degrade" if reasons else "ok"
        body = {"statut": state, "raisons": reasons, "travailleur": os.getpid(),
                "politiques": policy_summary(self._holder.current),
                "moteur": {"occupe_depuis_s": round(busy, 3), "en_attente": self._engine.waiting},
                "journal": {"ecrit": self.log_error is None, "erreur": self.log_error},
                "rechargement_en_cours_depuis": self._holder.reading_for(),
                "dernier_rechargement": self._holder.last_reload.as_dict(),
                "travailleurs": workers}
        return body, 503 if blocked or self.log_error is not None else 200
