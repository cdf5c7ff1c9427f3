"""The call-back scheduler: every `interval` it asks crm_core for due call-backs, claims each
notification once (in the database, so a restart neither loses nor repeats one) and pushes
`callback_due` to the assignee's pages. Auto-dial ones are dialled when the agent is free.

It runs as its own task beside the ingest and only talks to the database and the bus, so a slow
database delays notifications, never the AMI reader."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime

from crm_core.services.dto.callbacks import DueCallback, DueQuery
from crm_core.services.due_callbacks import DueCallbacks
from cti.bus.base import Bus, agent_topic
from cti.callbacks.autodial import AutoDialer, message

log = logging.getLogger(__name__)
Clock = Callable[[], float]


class CallbackScheduler:
    def __init__(
        self, due: DueCallbacks, bus: Bus, dialer: AutoDialer | None, interval: float,
        clock: Clock = time.time,
    ) -> None:  # fmt: skip
        self.due, self.bus, self.dialer, self.interval, self.clock = (
            due, bus, dialer, interval, clock,
        )  # fmt: skip
        self.notified = 0
        self._task: asyncio.Task[None] | None = None

    async def tick(self) -> None:
        now = datetime.fromtimestamp(self.clock(), UTC)
        for callback in await self.due.due(DueQuery(now=now)):
            if await self.due.claim_notified(callback.id, now):
                self.notified += 1
                await self.publish(callback, message("callback_due", callback))
        if self.dialer is not None:
            for callback in await self.due.awaiting_dial(DueQuery(now=now)):
                await self.dialer.attempt(callback, now)

    async def publish(self, callback: DueCallback, body: dict[str, object]) -> None:
        for extension in callback.extensions:
            await self.bus.publish(agent_topic(extension), body)

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="callback-scheduler")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        while True:
            try:
                await self.tick()
            except Exception:
                log.exception("call-back scheduler: tick failed; trying again")
            await asyncio.sleep(self.interval)
