"""AmiClient: one AMI session at a time, with backoff, ping checks and a resync after each
(re)connect. Events come out in order on one bounded queue (see intake.py).

Timeouts use asyncio.timeout, not wait_for: Python 3.11's wait_for can swallow a cancellation
(when the awaited future completes at the same moment), which left stop() hanging.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Callable, Mapping
from enum import StrEnum
from functools import partial
from typing import Any

from cti.ami.backoff import Backoff
from cti.ami.config import AmiConfig
from cti.ami.convert import responses_to_dicts
from cti.ami.intake import Intake
from cti.ami.manager import SupervisedManager
from cti.ami.metrics import Counters
from cti.ami.protocol import CtiAmiProtocol
from cti.ami.resync import Item

log = logging.getLogger(__name__)


class ConnectionState(StrEnum):
    STOPPED = "stopped"
    CONNECTING = "connecting"
    CONNECTED = "connected"
    DISCONNECTED = "disconnected"


class AmiClient:
    def __init__(
        self, config: AmiConfig, *, counters: Counters | None = None,
        clock: Callable[[], float] = time.time, backoff: Backoff | None = None,
    ) -> None:  # fmt: skip
        self.config = config
        self.counters = counters or Counters()
        self.state = ConnectionState.STOPPED
        self._intake = Intake(config.queue_size, self.counters, clock)
        self.queue: asyncio.Queue[Item] = self._intake.queue
        self.disconnected_at: float | None = None
        self.last_gap_seconds: float | None = None
        self._clock = clock
        self._backoff = backoff or Backoff(config.backoff_min, config.backoff_max)
        self._manager: SupervisedManager | None = None
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._supervise(), name="ami-supervisor")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
        self.state = ConnectionState.STOPPED

    async def events(self) -> AsyncIterator[Item]:
        while True:
            yield await self.queue.get()

    async def send_action(
        self, action: Mapping[str, str], *, as_list: bool | None = None
    ) -> list[dict[str, str]]:
        """`as_list=False` for replies panoramisk mistakes for lists: QueueAdd's "Added
        interface to queue" would otherwise wait for events that never come."""
        manager = self._manager
        if manager is None or self.state is not ConnectionState.CONNECTED:
            raise ConnectionError("AMI is not connected")
        future = manager.send_action(dict(action), as_list=as_list)
        async with asyncio.timeout(self.config.action_timeout):
            result = await asyncio.shield(future)
        return responses_to_dicts(result)

    def metrics(self) -> dict[str, Any]:
        return {"state": str(self.state), "queued": self.queue.qsize(), **self.counters.as_dict()}

    # -- the connection loop ---------------------------------------------------------------
    async def _supervise(self) -> None:
        while True:
            try:
                await self._session()
            except (OSError, TimeoutError, PermissionError) as exc:
                log.warning("AMI %s:%s unavailable: %s", self.config.host, self.config.port, exc)
            self._mark_down()
            delay = self._backoff.next_delay()
            log.info("AMI reconnect in %.2f s", delay)
            await asyncio.sleep(delay)

    async def _session(self) -> None:
        self.state = ConnectionState.CONNECTING
        lost = asyncio.Event()
        manager = self._new_manager(lost)
        try:
            async with asyncio.timeout(self.config.connect_timeout):
                await manager.connect()
            await self._login(manager)
            self._manager, self.state = manager, ConnectionState.CONNECTED
            self._backoff.reset()
            self._log_gap()
            self._intake.attach(manager)
            self._intake.resync(self.disconnected_at)
            self.disconnected_at = None
            pinger = asyncio.create_task(self._ping_loop(manager, lost))
            try:
                await lost.wait()
            finally:
                pinger.cancel()
        finally:
            self._manager = None
            self._intake.attach(None)
            manager.close()

    def _new_manager(self, lost: asyncio.Event) -> SupervisedManager:
        cfg = self.config
        intake = self._intake
        factory = partial(
            CtiAmiProtocol, self.counters, intake.on_message, cfg.max_message_chars,
            intake.on_fields, cfg.variables,
        )  # fmt: skip
        manager = SupervisedManager(
            on_lost=lambda exc: lost.set(), host=cfg.host, port=cfg.port,
            username=cfg.username, secret=cfg.secret, protocol_factory=factory,
            loop=asyncio.get_running_loop(), ping_delay=3600, events="on",
        )  # fmt: skip
        manager.register_event("*", intake.on_event)
        return manager

    async def _login(self, manager: SupervisedManager) -> None:
        pending = manager.authenticated_future
        async with asyncio.timeout(self.config.connect_timeout):
            reply = await asyncio.shield(pending)
        if not reply.success:
            raise PermissionError(f"AMI login refused: {reply.get('Message', '')}")

    async def _ping_loop(self, manager: SupervisedManager, lost: asyncio.Event) -> None:
        """A half-open TCP connection answers nothing: two intervals without a Pong drop it."""
        interval = self.config.ping_interval
        while not lost.is_set():
            await asyncio.sleep(interval)
            pong = manager.send_action({"Action": "Ping"})
            try:
                async with asyncio.timeout(interval):
                    await asyncio.shield(pong)
            except TimeoutError:
                self.counters.inc("ami_ping_timeouts")
                log.warning("AMI ping unanswered for %.1f s: dropping the connection", interval)
                manager.protocol.transport.abort()
                lost.set()

    def _mark_down(self) -> None:
        if self.state is ConnectionState.CONNECTED:
            self.disconnected_at = self._clock()
        self.state = ConnectionState.DISCONNECTED

    def _log_gap(self) -> None:
        if self.disconnected_at is None:
            return
        now = self._clock()
        self.last_gap_seconds = now - self.disconnected_at
        self.counters.inc("ami_reconnects")
        log.warning(
            "AMI gap: disconnected at %s, reconnected at %s (%.1f s)",
            _iso(self.disconnected_at), _iso(now), self.last_gap_seconds,
        )  # fmt: skip


def _iso(stamp: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(stamp)) + f".{int(stamp % 1 * 1000):03d}Z"
