"""The call-back scheduler: every `interval` it asks crm_core for due call-backs, claims each
notification once (in the database, so a restart neither loses nor repeats one) and pushes
`callback_due` to the assignee's pages. Auto-dial ones are dialled when the agent is free.

It runs as its own task beside the ingest and only talks to the database and the bus, so a slow
database delays notifications, never the AMI reader."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime

from crm_core.services.dto.callbacks import DueCallback, DueQuery
from crm_core.services.due_callbacks import DueCallbacks
from cti.bus.base import Bus, agent_topic
from cti.callbacks.autodial import AutoDialer, message
from cti.periodic import Periodic

Clock = Callable[[], float]


class CallbackScheduler(Periodic):
    task_name = "callback-scheduler"

    def __init__(
        self, due: DueCallbacks, bus: Bus, dialer: AutoDialer | None, interval: float,
        clock: Clock = time.time,
    ) -> None:  # fmt: skip
        self.due, self.bus, self.dialer, self.interval, self.clock = (
            due, bus, dialer, interval, clock,
        )  # fmt: skip
        self.notified = 0

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
