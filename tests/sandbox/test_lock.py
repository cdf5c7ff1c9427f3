"""The sandbox lock: exclusive between processes, no self-deadlock under `flock` or nesting."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from cti.sandbox.lock import inherited_lock, sandbox_lock

HOLD = """
import sys, time
from cti.sandbox.lock import sandbox_lock
with sandbox_lock(sys.argv[1]):
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def test_a_second_process_waits_for_the_holder(tmp_path: Path) -> None:
    path = str(tmp_path / "lock")
    with subprocess.Popen(
        [sys.executable, "-c", HOLD, path, "1.5"], stdout=subprocess.PIPE, text=True
    ) as holder:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "held"
        started = time.monotonic()
        with sandbox_lock(path):
            waited = time.monotonic() - started
        holder.wait(timeout=10)
    assert waited > 0.8


def test_nested_blocks_and_flock_children_do_not_wait_for_themselves(tmp_path: Path) -> None:
    path = str(tmp_path / "lock")
    with sandbox_lock(path), sandbox_lock(path):
        pass
    child = subprocess.run(
        ["flock", path, sys.executable, "-c", HOLD, path, "0"],
        capture_output=True,
        text=True,
        timeout=20,
    )
    assert child.stdout.strip() == "held"
    assert not inherited_lock(path)
