"""The stats part of the running bridge: calculator + publisher, seeded from the CRM at start;
fed by the ingest pipeline's agent tracker (`publisher.changes` is its sink)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable

from crm_core.services import Services
from cti.bus.base import Bus, Message
from cti.stats.calculator import QueueStats
from cti.stats.history import seed_from_db
from cti.stats.publisher import StatsPublisher
from cti.stats.queue_config import QueueConfig

log = logging.getLogger(__name__)
CallsOf = Callable[[str], tuple[str, ...]]
NAMES_REFRESH_SECONDS = 10.0


class StatsRuntime:
    def __init__(
        self, services: Services, bus: Bus, calls_of: CallsOf = lambda _ext: (),
        config: QueueConfig | None = None,
    ) -> None:  # fmt: skip
        self._services = services
        self.stats = QueueStats(calls_of=calls_of, config=config or QueueConfig())
        self.publisher = StatsPublisher(self.stats, bus)
        self.names_refresh = NAMES_REFRESH_SECONDS
        self._names_task: asyncio.Task[None] | None = None

    def queue_names(self) -> set[str]:
        """The queues configured or reported by Asterisk (QueueParams, queue events)."""
        return set(self.stats.live) | self.stats.config.names

    async def read_names(self) -> None:
        """The CRM's display name per extension, for the snapshot's agents (one name everywhere)."""
        try:
            staff = await self._services.users.directory()
        except Exception:
            log.exception("could not read the agents' names; keeping the last ones")
            return
        names = {entry.extension: entry.display_name for entry in staff}
        if names != self.stats.directory:
            self.stats.directory = names
            self.publisher.mark_changed()

    async def _names_loop(self) -> None:
        while True:
            await asyncio.sleep(self.names_refresh)
            await self.read_names()

    def current(self) -> Message:
        return self.publisher.current()

    async def start(self) -> None:
        try:
            rows = await seed_from_db(self.stats, self._services.sessions, time.time())
            log.info("queue stats seeded from %d stored calls of today", rows)
        except Exception:
            log.exception("could not seed today's queue stats from the database")
        await self.read_names()
        self._names_task = asyncio.create_task(self._names_loop(), name="stats-names")
        self.publisher.start()

    async def stop(self) -> None:
        if self._names_task is not None:
            self._names_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._names_task
        await self.publisher.stop()
