"""Feeds QueueStats from the AMI stream and publishes coalesced snapshots on the bus.

The tap runs inline in the ingest task (dict updates only); publishing runs in its own task at
most once per `interval` (0.5 s), and at least every `heartbeat` seconds while anyone may watch.
After every (re)connect (a Resync in the stream) it asks Asterisk for QueueStatus and rebuilds
the live state (members, waiting callers, service level thresholds) from the answer.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable

from cti.bus.base import SUPERVISOR_SNAPSHOT, SUPERVISOR_TOPIC, Bus, Message, Retain
from cti.state.events import AmiEvent, Resync
from cti.stats.calculator import QueueStats

log = logging.getLogger(__name__)
Item = AmiEvent | Resync
QueueStatusFetch = Callable[[], Awaitable[list[dict[str, str]]]]


class StatsPublisher:
    def __init__(
        self,
        stats: QueueStats,
        bus: Bus,
        fetch_status: QueueStatusFetch | None = None,
        interval: float = 0.5,
        heartbeat: float = 5.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.stats = stats
        self._bus = bus
        self._fetch = fetch_status
        self.interval = interval
        self.heartbeat = heartbeat
        self._clock = clock
        self._dirty = asyncio.Event()
        self._tasks: set[asyncio.Task[None]] = set()
        self._runner: asyncio.Task[None] | None = None
        self.published = 0

    async def tap(self, source: AsyncIterator[Item]) -> AsyncIterator[Item]:
        async for item in source:
            self.observe(item)
            yield item

    def observe(self, item: Item) -> None:
        if isinstance(item, Resync):
            self._spawn(self.refresh_status())
            return
        try:
            changed = self.stats.apply(item)
        except Exception:
            log.exception("queue stats failed on %s; skipping it", item.name)
            return
        if changed:
            self._dirty.set()

    def mark_changed(self) -> None:
        """Something outside the AMI stream changed what supervisors see: publish soon."""
        self._dirty.set()

    async def refresh_status(self) -> None:
        if self._fetch is None:
            return
        try:
            replies = await self._fetch()
        except (ConnectionError, TimeoutError) as exc:
            log.warning("QueueStatus for the stats failed: %s", exc)
            return
        now = self._clock()
        self.stats.apply_status([AmiEvent.from_headers(r, now) for r in replies], now)
        self._dirty.set()

    def current(self) -> Message:
        return self.stats.snapshot(self._clock())

    def start(self) -> None:
        self._runner = asyncio.create_task(self._run(), name="stats-publisher")

    async def stop(self) -> None:
        tasks = [*self._tasks, *([self._runner] if self._runner else [])]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def _run(self) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._dirty.wait(), self.heartbeat)
            self._dirty.clear()
            await self._publish()
            await asyncio.sleep(self.interval)

    async def _publish(self) -> None:
        try:
            snapshot = self.current()
            retained = Retain(SUPERVISOR_SNAPSHOT, value=snapshot)
            await self._bus.publish(SUPERVISOR_TOPIC, snapshot, (retained,))
            self.published += 1
        except Exception:
            log.exception("publishing queue stats failed")

    def _spawn(self, coroutine: Awaitable[None]) -> None:
        task: asyncio.Task[None] = asyncio.ensure_future(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
