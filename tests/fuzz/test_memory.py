"""A long run of generated calls, all hung up: the tracker's memory returns to its baseline."""

from __future__ import annotations

import itertools
import tracemalloc

from hypothesis import given

from cti.state.tracker import Tracker
from tests.fuzz import perturb
from tests.fuzz.memory import MemoryProbe
from tests.fuzz.profiles import ci_settings
from tests.fuzz.tracker_checks import Ledger, run

CASES, WARMUP = 200, 40
SLACK_BYTES = 16 * 1024  # dict tables at a slightly larger working size; a leak is ~1 KB a call


def test_tracker_memory_returns_to_baseline_after_many_calls() -> None:
    tracker, ledger, probe = Tracker(), Ledger(), MemoryProbe(WARMUP)
    tags = itertools.count()

    @ci_settings(CASES)
    @given(perturb.disordered_calls() | perturb.calls_with_gaps() | perturb.wild_calls())
    def one_case(case: perturb.TrackerCase) -> None:
        items = perturb.build(case, f"m{next(tags)}")
        assert run(tracker, ledger, items, closing=True) == []
        probe.after_case()

    tracemalloc.start()
    try:
        one_case()
        held = probe.delta()
    finally:
        tracemalloc.stop()
    assert probe.cases >= WARMUP
    assert held < SLACK_BYTES, f"{held} bytes more than after {WARMUP} cases ({probe.cases} run)"
