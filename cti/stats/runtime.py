"""The stats part of the running bridge: calculator + publisher, seeded from the CRM at start."""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path

from crm_core.services import Services
from cti.ami.client import AmiClient
from cti.bus.base import Bus, Message
from cti.state.events import AmiEvent, Resync
from cti.stats.calculator import QueueStats
from cti.stats.history import seed_from_db
from cti.stats.publisher import StatsPublisher
from cti.stats.queueconf import load_wrapup

log = logging.getLogger(__name__)
QUEUES_CONF = Path(__file__).resolve().parents[2] / "dialplans" / "asterisk" / "queues.conf"
Item = AmiEvent | Resync
CallsOf = Callable[[str], tuple[str, ...]]


class StatsRuntime:
    def __init__(
        self, services: Services, bus: Bus, ami: AmiClient, calls_of: CallsOf = lambda _ext: (),
        queues_conf: Path = QUEUES_CONF,
    ) -> None:  # fmt: skip
        self._services = services
        self._ami = ami
        self.stats = QueueStats(load_wrapup(queues_conf), calls_of=calls_of)
        self.publisher = StatsPublisher(self.stats, bus, self._queue_status)

    async def _queue_status(self) -> list[dict[str, str]]:
        return await self._ami.send_action({"Action": "QueueStatus"})

    def tap(self, source: AsyncIterator[Item]) -> AsyncIterator[Item]:
        return self.publisher.tap(source)

    def current(self) -> Message:
        return self.publisher.current()

    async def start(self) -> None:
        try:
            rows = await seed_from_db(self.stats, self._services.sessions, time.time())
            log.info("queue stats seeded from %d stored calls of today", rows)
        except Exception:
            log.exception("could not seed today's queue stats from the database")
        self.publisher.start()

    async def stop(self) -> None:
        await self.publisher.stop()
