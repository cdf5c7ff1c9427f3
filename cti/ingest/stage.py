"""A pipeline stage: a bounded buffer and one task draining it into a handler.

`offer` never blocks and never loses an item: when the bounded buffer is full the item waits in
an overflow list, counted in the metrics and logged, so a slow sink (a stalled database, a slow
websocket) can never stall the AMI reader in front of it.

With `merge`, a handler that has fallen behind gets everything waiting (up to `max_merge` items)
in one call, folded by `merge`: the call log writes a backlog in a few transactions instead of
one per item.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

from cti.ami.metrics import Counters

log = logging.getLogger(__name__)
T = TypeVar("T")


class Stage(Generic[T]):
    def __init__(
        self,
        name: str,
        handler: Callable[[T], Awaitable[None]],
        metrics: Counters,
        maxsize: int = 10_000,
        merge: Callable[[list[T]], T] | None = None,
        max_merge: int = 200,
    ) -> None:
        self.name = name
        self._handler = handler
        self._metrics = metrics
        self._merge = merge
        self._max_merge = max_merge
        self._queue: asyncio.Queue[T] = asyncio.Queue(maxsize)
        self._overflow: deque[T] = deque()
        self._task: asyncio.Task[None] | None = None
        self.gate: Callable[[], bool] | None = None
        """While it says False (a standby ingest: cti.ingest.standby) items are dropped, counted."""

    def offer(self, item: T) -> None:
        if self.gate is not None and not self.gate():
            self._metrics.inc(f"{self.name}.standby_skipped")
            return
        if self._overflow or self._queue.full():
            if not self._overflow:
                log.warning("%s buffer full (%d): spilling", self.name, self._queue.maxsize)
            self._overflow.append(item)
            self._metrics.inc(f"{self.name}.buffer_full")
            return
        self._queue.put_nowait(item)

    @property
    def backlog(self) -> int:
        return self._queue.qsize() + len(self._overflow)

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name=f"stage:{self.name}")

    async def drain(self) -> None:
        """Wait until everything offered so far has been handled."""
        await self._queue.join()  # overflow items are moved in before each task_done()

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    async def _run(self) -> None:
        while True:
            items = [await self._queue.get()]
            if self._merge is not None:
                while len(items) < self._max_merge and not self._queue.empty():
                    items.append(self._queue.get_nowait())
            try:
                await self._handle(items)
            finally:
                self._refill()
                for _ in items:
                    self._queue.task_done()

    async def _handle(self, items: list[T]) -> None:
        try:
            if self._merge is not None and len(items) > 1:
                await self._handler(self._merge(items))
            else:
                await self._handler(items[0])
            self._metrics.inc(f"{self.name}.handled", len(items))
        except Exception:
            self._metrics.inc(f"{self.name}.errors")
            log.exception("%s failed on an item; going on", self.name)

    def _refill(self) -> None:
        while self._overflow and not self._queue.full():
            self._queue.put_nowait(self._overflow.popleft())
