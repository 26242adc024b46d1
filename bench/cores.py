"""How the machine's cores add up for evaluations: one worker alone, then two at once, in interleaved rounds.

    python -m bench.cores [--seconds 5] [--rounds 3] [--size typical]

Each worker is a process of its own: it loads the policies, warms up, waits for the others, then evaluates the same
generated dossiers over and over for `seconds` of wall time, counting its evaluations and its CPU time. A round runs
one worker alone and two at the same time (in the other order on the next round). Prints, for each, evaluations/s
in all and CPU ms per evaluation (medians over the rounds); then, round by round and as the median of the rounds,
what two workers do together as a multiple of one alone (2.0 when the cores are independent) and how much more CPU
an evaluation takes when both cores are busy (the two settings of a round ran seconds apart, so their ratio holds
when a shared machine's speed drifts between rounds).

`evaluate-batch` and `clea serve --workers 2` scale by that multiple, not by 2: on a VM whose two vCPUs share a
physical core (or its caches and memory bandwidth), a figure taken with both cores busy costs more CPU time per
evaluation than one taken on one core (bench.inprocess, bench.floor_ratio).
"""
from __future__ import annotations

import argparse
import multiprocessing
import queue
import statistics
import time

from bench.common import AS_OF, POLICIES, in_turn, print_table
from bench.generate import dossiers


def _worker(size: str, seconds: float, start, results) -> None:
    from engine import evaluate, load_policies

    policies = load_policies(POLICIES)
    batch = list(dossiers(200, seed=3, size=size))
    for facts in batch[:20]:
        evaluate(facts, AS_OF, policies=policies)
    start.wait()
    began, cpu = time.perf_counter(), time.process_time()
    count = 0
    while time.perf_counter() - began < seconds:
        evaluate(batch[count % len(batch)], AS_OF, policies=policies)
        count += 1
    results.put((count, time.process_time() - cpu, time.perf_counter() - began))


def run(workers: int, size: str, seconds: float) -> tuple[float, float]:
    """(evaluations per second of all the workers together, CPU seconds per evaluation) of one setting."""
    context = multiprocessing.get_context("spawn")
    start, results = context.Barrier(workers), context.Queue()
    processes = [context.Process(target=_worker, args=(size, seconds, start, results)) for _ in range(workers)]
    for process in processes:
        process.start()
    done: list[tuple[int, float, float]] = []
    deadline = time.monotonic() + seconds + 300
    while len(done) < workers:      # a worker that fails (its traceback is on stderr) never reports
        try:
            done.append(results.get(timeout=1.0))
        except queue.Empty:
            codes = [process.exitcode for process in processes]
            if any(code not in (None, 0) for code in codes) or time.monotonic() > deadline:
                for process in processes:
                    process.kill()
                raise SystemExit(f"bench.cores: a worker did not report (exit codes {codes})") from None
    for process in processes:
        process.join()
    evaluations = sum(count for count, _, _ in done)
    return (sum(count / wall for count, _, wall in done),
            sum(cpu for _, cpu, _ in done) / evaluations)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="wall time each setting evaluates, per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--size", default="typical", choices=["small", "typical", "large", "mixed"])
    args = parser.parse_args(argv)
    settings = {"one worker alone": 1, "two workers at once": 2}
    measured: dict[str, list[tuple[float, float]]] = {name: [] for name in settings}
    for index in range(args.rounds):
        for name in in_turn(index, list(settings)):
            measured[name].append(run(settings[name], args.size, args.seconds))
    rows = [(name, str(settings[name]), f"{statistics.median(rate for rate, _ in values):,.0f}",
             f"{statistics.median(cpu for _, cpu in values) * 1e3:.3f}") for name, values in measured.items()]
    print_table(f"{args.size} dossiers, {args.rounds} rounds of {args.seconds:g} s per setting (medians)", rows,
                ("setting", "workers", "evaluations/s in all", "CPU ms per evaluation"))
    alone, both = measured["one worker alone"], measured["two workers at once"]
    print_table("each round: two workers against one alone", [
        (str(index + 1), f"{pair[0] / single[0]:.2f}", f"{pair[1] / single[1]:.2f}")
        for index, (single, pair) in enumerate(zip(alone, both))], ("round", "evaluations/s", "CPU per evaluation"))
    scaling = statistics.median(pair[0] / single[0] for single, pair in zip(alone, both))
    dearer = statistics.median(pair[1] / single[1] for single, pair in zip(alone, both))
    print(f"\ntwo workers do {scaling:.2f}x what one does alone (2.00 with independent cores); "
          f"an evaluation takes {dearer:.2f}x the CPU time when both cores are busy")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
