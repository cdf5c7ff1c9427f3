"""One user of the sandbox's SIP ports at a time.

Test sessions, `bench/faults.py` rounds and recordings serialise on one lock file. A process
started under `flock /tmp/cti-asterisk.lock …` already holds it through an inherited file
descriptor; taking it again on a new descriptor would wait for ever, so that case is detected,
and so is a block of this process nested in another one holding it.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager

LOCK_PATH = "/tmp/cti-asterisk.lock"
_held_here: set[str] = set()


@contextmanager
def sandbox_lock(path: str = LOCK_PATH) -> Iterator[None]:
    """Hold the lock for the block, unless an ancestor (`flock`) already holds it."""
    if path in _held_here or inherited_lock(path):
        yield
        return
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        _held_here.add(path)
        try:
            yield
        finally:
            _held_here.discard(path)
            fcntl.flock(handle, fcntl.LOCK_UN)


def inherited_lock(path: str = LOCK_PATH) -> bool:
    """Does a descriptor this process inherited point at the lock file?"""
    for fd in os.listdir("/proc/self/fd"):
        try:
            if os.readlink(f"/proc/self/fd/{fd}") == path:
                return True
        except OSError:
            continue
    return False
