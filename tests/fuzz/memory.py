"""Memory the tracker holds, measured with tracemalloc: only blocks allocated by cti/state code
count (Hypothesis and the test's own data are not the tracker's)."""

from __future__ import annotations

import gc
import tracemalloc
from pathlib import Path

import cti.state

_TRACKER_FILES = str(Path(cti.state.__file__).parent / "*")


def tracker_bytes() -> int:
    """Bytes still allocated from cti/state/*.py; tracemalloc must be tracing."""
    gc.collect()
    snapshot = tracemalloc.take_snapshot().filter_traces([tracemalloc.Filter(True, _TRACKER_FILES)])
    return sum(stat.size for stat in snapshot.statistics("filename"))


class MemoryProbe:
    """Baseline after `warmup` cases (dicts at their working size), then the change since."""

    def __init__(self, warmup: int) -> None:
        self.warmup = warmup
        self.cases = 0
        self.baseline: int | None = None
        self.last = 0

    def after_case(self) -> None:
        self.cases += 1
        if self.cases == self.warmup:
            self.baseline = tracker_bytes()

    def delta(self) -> int:
        """Bytes held now beyond the baseline (0 if the run was shorter than the warmup)."""
        self.last = tracker_bytes()
        return 0 if self.baseline is None else self.last - self.baseline
