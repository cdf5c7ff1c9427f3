"""A background task that calls `tick()` every `interval` seconds until stopped. A failing tick is
logged and the next one runs as usual: periodic work never dies of one bad round."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from abc import ABC, abstractmethod
from collections.abc import Callable

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


class Rounds(ABC):
    """A background task that runs `run_round()` again at once while it finds more to do, else
    waits `poll_seconds` or until `wake()`. A failing round is counted, logged, and waited out
    like an idle one: the worker never dies of one bad round."""

    task_name = "rounds"

    def __init__(self, poll_seconds: float, failed: Callable[[], None]) -> None:
        self._poll_seconds = poll_seconds
        self._round_failed = failed
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    @abstractmethod
    async def run_round(self) -> bool:
        """One round of work; True when there may be more to do right away."""

    @abstractmethod
    async def closed(self) -> None:
        """What the worker lets go of once its task has stopped."""

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name=self.task_name)

    def wake(self) -> None:
        self._wake.set()

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        await self.closed()

    async def _run(self) -> None:
        while True:
            try:
                busy = await self.run_round()
            except Exception:
                self._round_failed()
                log.exception("%s: a round failed; trying again", self.task_name)
                busy = False
            if not busy:
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(self._poll_seconds):
                        await self._wake.wait()
                self._wake.clear()
