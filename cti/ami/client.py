"""AmiClient: one AMI session at a time, events in order on one bounded queue, never blocking.

The reader (panoramisk's protocol) only parses and puts events on the queue; a full queue means
events are lost, so the queue is cleared and state is rebuilt by a resync instead.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Callable, Mapping
from enum import StrEnum
from functools import partial
from typing import Any

from panoramisk.actions import Action
from panoramisk.message import Message

from cti.ami.backoff import Backoff
from cti.ami.config import AmiConfig
from cti.ami.convert import message_to_event, responses_to_dicts
from cti.ami.manager import SupervisedManager
from cti.ami.metrics import Counters
from cti.ami.protocol import CtiAmiProtocol
from cti.ami.resync import Item, ResyncGate

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
        self.queue: asyncio.Queue[Item] = asyncio.Queue(config.queue_size)
        self.disconnected_at: float | None = None
        self.last_gap_seconds: float | None = None
        self._clock = clock
        self._backoff = backoff or Backoff(config.backoff_min, config.backoff_max)
        self._gate = ResyncGate(clock, config.queue_size)
        self._manager: SupervisedManager | None = None
        self._lost = asyncio.Event()
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

    async def send_action(self, action: Mapping[str, str]) -> list[dict[str, str]]:
        manager = self._manager
        if manager is None or self.state is not ConnectionState.CONNECTED:
            raise ConnectionError("AMI is not connected")
        future = manager.send_action(dict(action))
        result = await asyncio.wait_for(asyncio.shield(future), self.config.action_timeout)
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
        self._lost = lost = asyncio.Event()
        manager = self._new_manager(lost)
        try:
            await asyncio.wait_for(manager.connect(), self.config.connect_timeout)
            await self._login(manager)
            self._manager, self.state = manager, ConnectionState.CONNECTED
            self._backoff.reset()
            self._log_gap()
            self._request_resync()
            pinger = asyncio.create_task(self._ping_loop(manager, lost))
            try:
                await lost.wait()
            finally:
                pinger.cancel()
        finally:
            self._manager = None
            manager.close()

    def _new_manager(self, lost: asyncio.Event) -> SupervisedManager:
        cfg = self.config
        factory = partial(CtiAmiProtocol, self.counters, self._on_message, cfg.max_message_chars)
        manager = SupervisedManager(
            on_lost=lambda exc: lost.set(), host=cfg.host, port=cfg.port,
            username=cfg.username, secret=cfg.secret, protocol_factory=factory,
            loop=asyncio.get_running_loop(), ping_delay=3600, events="on",
        )  # fmt: skip
        manager.register_event("*", self._on_event)
        return manager

    async def _login(self, manager: SupervisedManager) -> None:
        pending = manager.authenticated_future
        reply = await asyncio.wait_for(asyncio.shield(pending), self.config.connect_timeout)
        if not reply.success:
            raise PermissionError(f"AMI login refused: {reply.get('Message', '')}")

    async def _ping_loop(self, manager: SupervisedManager, lost: asyncio.Event) -> None:
        """A half-open TCP connection answers nothing: two intervals without a Pong drop it."""
        interval = self.config.ping_interval
        while not lost.is_set():
            await asyncio.sleep(interval)
            pong = manager.send_action({"Action": "Ping"})
            try:
                await asyncio.wait_for(asyncio.shield(pong), interval)
            except TimeoutError:
                self.counters.inc("ami_ping_timeouts")
                log.warning("AMI ping unanswered for %.1f s: dropping the connection", interval)
                manager.protocol.transport.abort()
                lost.set()

    def _mark_down(self) -> None:
        if self.state is ConnectionState.CONNECTED or self.disconnected_at is None:
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

    # -- resync and the reader's callbacks (synchronous: they must never wait) ---------------
    def _request_resync(self) -> None:
        manager = self._manager
        if manager is None:
            return
        queue_status, channels = (
            Action({"Action": "QueueStatus"}),
            Action({"Action": "CoreShowChannels"}),
        )
        self._gate.begin(channels.id, queue_status.id, self.disconnected_at)
        self.disconnected_at = None
        for action in (queue_status, channels):
            manager.send_action(action).add_done_callback(_quiet)

    def _on_message(self, message: Message) -> None:
        for item in self._gate.response(message):
            self._push(item)

    def _on_event(self, manager: SupervisedManager, message: Message) -> None:
        self.counters.inc("ami_events")
        for item in self._gate.live(message_to_event(message, self._clock())):
            self._push(item)

    def _push(self, item: Item) -> None:
        try:
            self.queue.put_nowait(item)
        except asyncio.QueueFull:
            self._overflow()

    def _overflow(self) -> None:
        dropped = self.queue.qsize() + 1
        while not self.queue.empty():
            self.queue.get_nowait()
        self.counters.inc("ami_queue_overflows")
        self.counters.inc("ami_events_dropped", dropped)
        log.error("AMI event queue full: dropped %d events, resyncing", dropped)
        self._gate.desync()
        self.disconnected_at = self.disconnected_at or self._clock()
        self._request_resync()


def _quiet(future: asyncio.Future[Any]) -> None:
    """Resync results flow through the gate; only retrieve the outcome so nothing is logged."""
    if not future.cancelled():
        future.exception()


def _iso(stamp: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(stamp)) + f".{int(stamp % 1 * 1000):03d}Z"
