"""A background task that calls `tick()` every `interval` seconds until stopped. A failing tick is
logged and the next one runs as usual: periodic work never dies of one bad round."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from abc import ABC, abstractmethod

log = logging.getLogger(__name__)


class Periodic(ABC):
    interval: float
    task_name = "periodic"
    _task: asyncio.Task[None] | None = None

    @abstractmethod
    async def tick(self) -> object: ...

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name=self.task_name)

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
                log.exception("%s: a round failed; trying again", self.task_name)
            await asyncio.sleep(self.interval)
