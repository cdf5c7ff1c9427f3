"""Password hashing off the event loop: a few worker threads and a bounded wait.

argon2 (through cffi) and scrypt release the GIL, so hashing in threads leaves the event loop
free for every other request. On Linux the hashing threads also run at a lower CPU priority
(nice +10, per thread): under a sign-in storm the cores go to the event loop first, so signed-in
users are answered while the attempts wait. At most `workers` hashes run at once and `queue`
more may wait; past that a sign-in is refused at once (ServiceBusyError, 503) instead of
queueing without end.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from crm_core.errors import ServiceBusyError
from crm_core.security import hash_password, needs_rehash, verify_password

T = TypeVar("T")
HASHING_NICENESS = 10


def _lower_this_threads_priority() -> None:
    """Linux schedules threads one by one: setpriority on the thread id touches this one. Relative
    to the loop's own niceness, so a service started under `nice` still hashes below its loop."""
    with contextlib.suppress(AttributeError, OSError):
        thread = threading.get_native_id()
        below_loop = min(19, os.getpriority(os.PRIO_PROCESS, thread) + HASHING_NICENESS)
        os.setpriority(os.PRIO_PROCESS, thread, below_loop)


class HashPool:
    def __init__(self, workers: int, queue: int) -> None:
        self._executor = ThreadPoolExecutor(
            max_workers=workers, thread_name_prefix="pw-hash",
            initializer=_lower_this_threads_priority,
        )  # fmt: skip
        self._limit = workers + queue
        self._busy = 0

    def refuse_when_full(self) -> None:
        """ServiceBusyError now when no worker or place in the queue is free: a sign-in that
        would be refused costs no database work."""
        if self._busy >= self._limit:
            raise ServiceBusyError("password checking")

    async def _run(self, work: Callable[[], T]) -> T:
        self.refuse_when_full()
        self._busy += 1
        try:
            return await asyncio.get_running_loop().run_in_executor(self._executor, work)
        finally:
            self._busy -= 1

    async def hash(self, password: str) -> str:
        return await self._run(lambda: hash_password(password))

    async def verify(self, password: str, stored: str) -> tuple[bool, str | None]:
        """(matches, a new hash when the stored one uses older parameters, else None)."""

        def check() -> tuple[bool, str | None]:
            if not verify_password(password, stored):
                return False, None
            return True, hash_password(password) if needs_rehash(stored) else None

        return await self._run(check)

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
