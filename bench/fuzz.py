"""Fuzz bench (issue 11, "Fuzzing the front door"): the properties of tests/fuzz with a big budget.

    .venv/bin/python bench/fuzz.py [--scale 1.0]

Targets: the AMI read path (CtiAmiProtocol -> Intake, as AmiClient wires it) fed byte soup,
valid messages and overlong ones, cut into reads at random points; the call tracker fed random
causal calls, interleaved, with duplicated, late and made-up events, and AMI gaps closed by a
Resync. Hypothesis generates the cases (fixed seed: derandomize); each case then runs as
VARIANTS sequences, other cuts / interleavings from a PRNG it seeds. An input is one call of the
target's entry point with generated data: a read given to data_received, an event (or Resync)
given to Tracker.apply. One read path and one tracker live through a target's whole run, as in
production; the targets run in two processes.

Bars: no exception; reads never change the messages; every started call ends exactly once and
nothing is left open once every channel hung up; memory held by cti/ami (cti/state) code over the
last quarter of the run back to where it was (tracemalloc traces only that quarter: it halves the
speed). Exits 1 if any bar fails.
"""

from __future__ import annotations

import argparse
import itertools
import logging
import os
import random
import sys
import time
import tracemalloc
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from hypothesis import given
from hypothesis import strategies as st

from cti.state.tracker import Tracker
from tests.fuzz import ami_bytes, perturb, reader_checks
from tests.fuzz.memory import READER_FILES, TRACKER_FILES, MemoryProbe
from tests.fuzz.profiles import bench_settings
from tests.fuzz.reader_harness import ReadPath
from tests.fuzz.tracker_checks import Ledger, run
from tests.fuzz.variants import recut, reshuffle

VARIANTS = 20
TRACED_SHARE = 0.25
OVERLONG_LIMIT = 256
MEMORY_SLACK_BYTES = 64 * 1024
SEEDS = st.integers(0, 2**32 - 1)


@dataclass
class Tally:
    target: str
    cases: int = 0
    sequences: int = 0
    inputs: int = 0
    exceptions: int = 0
    failures: int = 0
    open_calls: int = 0
    memory_delta: int = 0
    seconds: float = 0.0
    first_problems: list[str] = field(default_factory=list)

    def problem(self, text: str) -> None:
        if len(self.first_problems) < 3:
            self.first_problems.append(text[:400])

    @property
    def ok(self) -> bool:
        held = self.memory_delta < MEMORY_SLACK_BYTES
        return held and not (self.exceptions or self.failures or self.open_calls)


class ReaderTarget:
    def __init__(self, name: str, strategy: st.SearchStrategy[Any], limit: int) -> None:
        self.name, self.strategy, self.limit = name, strategy, limit
        self.path = ReadPath(max_message_chars=limit)
        self.files = READER_FILES

    def vary(self, case: ami_bytes.WireCase, rng: random.Random) -> ami_bytes.WireCase:
        return recut(case, rng)

    def check(self, case: ami_bytes.WireCase, tally: Tally) -> int:
        if self.limit == OVERLONG_LIMIT:
            problems = reader_checks.overlong_dropped(case, self.limit, self.path)
        elif case.messages:
            problems = reader_checks.round_trip(case)
        else:
            problems = reader_checks.split_invariance(case, self.limit)
        problems += reader_checks.fast_matches_tolerant(case, self.limit)
        _note(problems, tally)
        return reader_checks.survives(self.path, case)


class TrackerTarget:
    def __init__(self, name: str, strategy: st.SearchStrategy[perturb.TrackerCase]) -> None:
        self.name, self.strategy = name, strategy
        self.tracker, self.ledger = Tracker(), Ledger()
        self.tags = itertools.count()
        self.files = TRACKER_FILES

    def vary(self, case: perturb.TrackerCase, rng: random.Random) -> perturb.TrackerCase:
        return reshuffle(case, rng)

    def check(self, case: perturb.TrackerCase, tally: Tally) -> int:
        items = perturb.build(case, f"b{next(self.tags)}")
        try:
            problems = run(self.tracker, self.ledger, items, case.needs_closing)
        except Exception:
            self.tracker, self.ledger = Tracker(), Ledger()
            raise
        if problems:
            tally.open_calls += len(self.tracker) + len(self.ledger.open)
            self.tracker, self.ledger = Tracker(), Ledger()  # start the next case clean
        _note(problems, tally)
        return len(items)


Target = ReaderTarget | TrackerTarget


def _note(problems: list[str], tally: Tally) -> None:
    if problems:
        tally.failures += 1
        tally.problem("; ".join(problems))


def run_target(target: Target, cases: int) -> Tally:
    """One target's run: `cases` Hypothesis cases, each as VARIANTS sequences."""
    tally = Tally(target.name)
    probe = MemoryProbe(1, target.files)
    trace_from = max(1, int(cases * (1 - TRACED_SHARE)))

    @bench_settings(cases)
    @given(target.strategy, SEEDS)
    def one_case(case: Any, seed: int) -> None:
        rng = random.Random(seed)
        for variant in (case, *(target.vary(case, rng) for _ in range(VARIANTS - 1))):
            tally.sequences += 1
            try:
                tally.inputs += target.check(variant, tally)
            except Exception as exc:  # the bar: none escapes; counted, and the run goes on
                tally.exceptions += 1
                tally.problem(f"{type(exc).__name__}: {exc}")
        tally.cases += 1
        if tally.cases == trace_from:
            tracemalloc.start()
            probe.after_case()  # the baseline: nothing traced yet

    started = time.perf_counter()
    try:
        one_case()
        tally.memory_delta = probe.delta() if tracemalloc.is_tracing() else 0
    finally:
        tracemalloc.stop()
    tally.seconds = time.perf_counter() - started
    return tally


# (name, Hypothesis cases); built in the worker process (strategies and state do not pickle).
BUDGETS = (
    ("reader: byte soup", 1_500),
    ("reader: valid messages", 500),
    ("reader: overlong", 200),
    ("tracker: interleaved calls", 400),
    ("tracker: disordered + made up", 400),
    ("tracker: gaps + Resync", 400),
    ("tracker: made-up channels", 300),
)


def make_target(name: str) -> Target:
    big = 64 * 1024
    if name == "reader: byte soup":
        return ReaderTarget(name, ami_bytes.byte_soup(), big)
    if name == "reader: valid messages":
        return ReaderTarget(name, ami_bytes.valid_streams(), big)
    if name == "reader: overlong":
        return ReaderTarget(name, ami_bytes.overlong_streams(OVERLONG_LIMIT), OVERLONG_LIMIT)
    if name == "tracker: interleaved calls":
        return TrackerTarget(name, perturb.interleaved_calls())
    if name == "tracker: disordered + made up":
        return TrackerTarget(name, perturb.disordered_calls())
    if name == "tracker: made-up channels":
        return TrackerTarget(name, perturb.wild_calls())
    return TrackerTarget(name, perturb.calls_with_gaps())


def run_named(name: str, cases: int) -> Tally:
    logging.disable(logging.CRITICAL)  # the reader logs every garbled line and dropped message
    tally = run_target(make_target(name), cases)
    print(f"{tally.target}: {tally.inputs:,} inputs in {tally.seconds:.1f} s", flush=True)
    return tally


def print_table(tallies: list[Tally], wall: float) -> None:
    head = f"{'target':<31}{'inputs':>11}{'sequences':>11}{'exceptions':>11}{'failed':>8}"
    print(f"\n{head}{'open calls':>11}{'mem delta':>11}{'seconds':>9}")
    for t in tallies:
        print(
            f"{t.target:<31}{t.inputs:>11,}{t.sequences:>11,}{t.exceptions:>11}{t.failures:>8}"
            f"{t.open_calls:>11}{t.memory_delta / 1024:>9.1f}KB{t.seconds:>9.1f}"
        )
    total, sequences = sum(t.inputs for t in tallies), sum(t.sequences for t in tallies)
    cases = sum(t.cases for t in tallies)
    print(f"{'total':<31}{total:>11,}{sequences:>11,}{'':>41}{wall:>9.1f} (wall)")
    print(f"({cases:,} Hypothesis cases, {VARIANTS} sequences each; inputs: reads / events)")
    for t in tallies:
        for problem in t.first_problems:
            print(f"  {t.target}: {problem}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--scale", type=float, default=1.0, help="budget factor (0.01: a smoke run)"
    )
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    started = time.perf_counter()
    names = [name for name, _ in BUDGETS]
    budgets = [max(4, int(cases * args.scale)) for _, cases in BUDGETS]
    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        tallies = list(pool.map(run_named, names, budgets))
    print_table(tallies, time.perf_counter() - started)
    ok = all(t.ok for t in tallies)
    print("all bars held" if ok else "SOME BARS FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
