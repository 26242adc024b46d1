"""A proposal's impact on a population of dossiers (`clea policy impact`'s comparison), run in the background.

The dossiers are evaluated under the serving set and under the proposal's working copy, a few at a time through the
caller's `runner` (the service's engine thread: an API request passes between two chunks), on a daemon thread of
its own. Its progress and then its result are written to the proposal's `impact.json`, which any worker's page
reads: {etat: en_cours | termine | echec, fait, total, debut, fin, resume, dossiers (the first SHOWN), message}.
"""
from __future__ import annotations

import io
import os
import threading
from collections.abc import Callable
from datetime import date

from ..batch.impact import run_impact
from ..errors import PolicyError
from ..policy import PolicySet, load_policies
from .checks import Runner, direct
from .model import now_utc
from .store import IMPACT, ProposalStore

RUNNING, DONE, FAILED = "en_cours", "termine", "echec"
SHOWN = 200
CHUNK = 20


def impact_state(store: ProposalStore, proposal_id: str) -> dict | None:
    """The impact as last written; a run whose process is gone says it was interrupted."""
    state = store.read_json(proposal_id, IMPACT)
    if state and state.get("etat") == RUNNING and not _alive(int(state.get("pid") or 0)):
        return {**state, "etat": FAILED, "message": "le calcul a été interrompu (service redémarré) : relancez-le"}
    return state


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return pid > 0
    return pid > 0


def measure(store: ProposalStore, proposal_id: str, serving: PolicySet, lines: list[bytes], as_of: date,
            runner: Runner = direct) -> dict:
    """Evaluate the dossiers under both versions, writing the progress as it goes; returns the final state."""
    state: dict = {"etat": RUNNING, "fait": 0, "total": len(lines), "debut": now_utc(), "pid": os.getpid(),
                   "date": as_of.isoformat()}
    store.write_json(proposal_id, IMPACT, state)
    records: list[dict] = []
    try:
        proposed = load_policies(store.copy_of(proposal_id))

        def progress(done: int) -> None:
            store.write_json(proposal_id, IMPACT, {**state, "fait": done})

        summary = run_impact(io.BytesIO(b"\n".join(lines)), records.append, old=serving, new=proposed, old_dir="",
                             new_dir="", as_of=as_of, jobs=1, chunk_size=CHUNK, on_progress=progress,
                             through=lambda fn, chunk: runner(fn, chunk))
    except PolicyError as error:
        final = {**state, "etat": FAILED, "fin": now_utc(),
                 "message": "la proposition ne se charge pas : " + "; ".join(i.message for i in error.issues[:3])}
    except Exception as exc:  # noqa: BLE001 - a failure is shown on the page, never lost in a thread
        final = {**state, "etat": FAILED, "fin": now_utc(), "message": f"erreur inattendue : {type(exc).__name__}"}
    else:
        final = {**state, "etat": DONE, "fait": summary.lines, "fin": now_utc(), "resume": summary.as_dict(),
                 "dossiers": records[:SHOWN], "caches": max(0, len(records) - SHOWN)}
    store.write_json(proposal_id, IMPACT, final)
    return final


def start(store: ProposalStore, proposal_id: str, serving: PolicySet, lines: list[bytes], as_of: date,
          runner: Runner = direct, on_end: Callable[[dict], object] | None = None) -> bool:
    """Start measuring on a daemon thread; False when a run is already under way for this proposal."""
    current = impact_state(store, proposal_id)
    if current and current.get("etat") == RUNNING:
        return False

    def work() -> None:
        final = measure(store, proposal_id, serving, lines, as_of, runner)
        if on_end is not None:
            on_end(final)

    store.write_json(proposal_id, IMPACT, {"etat": RUNNING, "fait": 0, "total": len(lines), "debut": now_utc(),
                                           "pid": os.getpid(), "date": as_of.isoformat()})
    threading.Thread(target=work, name=f"clea-impact-{proposal_id}", daemon=True).start()
    return True
