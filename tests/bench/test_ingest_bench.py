"""bench/ingest.py at its smallest (--quick, SQLite), so the bench cannot rot.

Asserts only that it runs to the end and that every call of its streams lands in the call log
exactly once. Its speed and latency bars are not asserted: a timed test hides a figure behind a
flaky pass/fail; run the bench itself to read them.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_quick_ingest_bench_writes_every_call_exactly_once(tmp_path: Path) -> None:
    figures_file = tmp_path / "figures.json"
    command = [sys.executable, str(ROOT / "bench" / "ingest.py"), "--quick", "--backend",
               "sqlite", "--json", str(figures_file)]  # fmt: skip
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    figures = json.loads(figures_file.read_text())
    assert figures["broken"] == []
    for phase in ("sqlite.throughput", "sqlite.latency"):
        calls, rows = figures[phase]["calls"], figures[phase]["rows"]
        assert calls > 0
        assert rows == {
            "rows": calls, "distinct": calls, "ended": calls, "missing": 0, "unexpected": 0,
        }, phase  # fmt: skip
    assert figures["sqlite.latency"]["samples"] > 0
    assert figures["sqlite.latency"]["lost"] == 0
