"""Memory the tracker (or the reader) holds, by tracemalloc: only blocks allocated by cti/state
(cti/ami) code count; Hypothesis and the test's own data are not theirs."""

from __future__ import annotations

import gc
import tracemalloc
from pathlib import Path

import cti.ami
import cti.state

TRACKER_FILES = str(Path(cti.state.__file__).parent / "*")
READER_FILES = str(Path(cti.ami.__file__).parent / "*")


def held_bytes(files: str = TRACKER_FILES) -> int:
    """Bytes still allocated from `files` (a glob); tracemalloc must be tracing."""
    gc.collect()
    snapshot = tracemalloc.take_snapshot().filter_traces([tracemalloc.Filter(True, files)])
    return sum(stat.size for stat in snapshot.statistics("filename"))


class MemoryProbe:
    """Baseline after `warmup` cases (dicts at their working size), then the change since."""

    def __init__(self, warmup: int, files: str = TRACKER_FILES) -> None:
        self.files = files
        self.warmup = warmup
        self.cases = 0
        self.baseline: int | None = None
        self.last = 0

    def after_case(self) -> None:
        self.cases += 1
        if self.cases == self.warmup:
            self.baseline = held_bytes(self.files)

    def delta(self) -> int:
        """Bytes held now beyond the baseline (0 if the run was shorter than the warmup)."""
        self.last = held_bytes(self.files)
        return 0 if self.baseline is None else self.last - self.baseline
