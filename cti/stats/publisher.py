"""Feeds QueueStats from the agent tracker's changes and publishes coalesced snapshots on the bus.

`changes` is an agent sink of the ingest pipeline, inline in the ingest task (dict updates only);
publishing runs in its own task at most once per `interval` (0.5 s), and at least every
`heartbeat` seconds while anyone may watch. The QueueStatus listing read after every (re)connect
(a `Listed` change) rebuilds the live state (members, waiting callers, service level thresholds).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Sequence

from cti.agents.tracker import AgentChange, Listed, ListingWanted
from cti.bus.base import SUPERVISOR_SNAPSHOT, SUPERVISOR_TOPIC, Bus, Message, Retain
from cti.stats.calculator import QueueStats

log = logging.getLogger(__name__)


class StatsPublisher:
    def __init__(
        self,
        stats: QueueStats,
        bus: Bus,
        interval: float = 0.5,
        heartbeat: float = 5.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.stats = stats
        self._bus = bus
        self.interval = interval
        self.heartbeat = heartbeat
        self._clock = clock
        self._dirty = asyncio.Event()
        self._runner: asyncio.Task[None] | None = None
        self.published = 0

    def changes(self, changes: Sequence[AgentChange]) -> None:
        """The pipeline's agent sink: every queue and member event, and each listing."""
        changed = False
        for change in changes:
            if isinstance(change, ListingWanted):
                continue
            try:
                if isinstance(change, Listed):
                    self.stats.apply_status(change.listing.events, change.listing.at)
                    changed = True
                else:
                    changed = self.stats.apply(change.event) or changed
            except Exception:
                log.exception("queue stats failed on %s; skipping it", change)
        if changed:
            self._dirty.set()

    def mark_changed(self) -> None:
        """Something outside the AMI stream changed what supervisors see: publish soon."""
        self._dirty.set()

    def current(self) -> Message:
        return self.stats.snapshot(self._clock())

    def start(self) -> None:
        self._runner = asyncio.create_task(self._run(), name="stats-publisher")

    async def stop(self) -> None:
        if self._runner is not None:
            self._runner.cancel()
            await asyncio.gather(self._runner, return_exceptions=True)

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
