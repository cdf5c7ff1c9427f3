"""The reader's side of AmiClient: synchronous callbacks that must never wait.

Every event goes on one bounded queue, in wire order: a plain event arrives as the dict parsed
from the bytes (`on_fields`) and is queued as it is; action answers come as panoramisk Messages.
A full queue means events are lost, so the queue is cleared, counted, and state is rebuilt with
a resync instead of blocking the socket (Asterisk drops a manager session whose writes block).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

from panoramisk.actions import Action
from panoramisk.message import Message

from cti.ami.convert import message_to_event
from cti.ami.manager import SupervisedManager
from cti.ami.metrics import Counters
from cti.ami.resync import Item, ResyncGate
from cti.ami.wire import Fields
from cti.state.events import AmiEvent

log = logging.getLogger(__name__)


class Intake:
    def __init__(self, queue_size: int, counters: Counters, clock: Callable[[], float]) -> None:
        self.queue: asyncio.Queue[Item] = asyncio.Queue(queue_size)
        self.counters = counters
        self._clock = clock
        self._gate = ResyncGate(clock, queue_size)
        self._manager: SupervisedManager | None = None

    def attach(self, manager: SupervisedManager | None) -> None:
        self._manager = manager

    def resync(self, gap_started_at: float | None) -> None:
        """List queue entries, then channels; the gate turns the answers into one Resync."""
        if self._manager is None:
            return
        queue_status = Action({"Action": "QueueStatus"})
        channels = Action({"Action": "CoreShowChannels"})
        self._gate.begin(channels.id, queue_status.id, gap_started_at)
        for action in (queue_status, channels):
            self._manager.send_action(action).add_done_callback(_quiet)

    def on_message(self, message: Message) -> None:
        """Sees every message first (action answers included)."""
        for item in self._gate.response(message):
            self._push(item)

    def on_fields(self, fields: Fields) -> None:
        """A plain event, straight from the reader (the hot path: no copy, no panoramisk)."""
        self.counters.inc("ami_events")
        event = AmiEvent(fields["Event"], fields, self._clock())
        if self._gate.passes_live:
            self._push(event)
        else:
            for item in self._gate.live(event):
                self._push(item)

    def on_event(self, manager: SupervisedManager, message: Message) -> None:
        """The callback registered for '*': events panoramisk dispatches (an ActionID on them)."""
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
        self.resync(gap_started_at=self._clock())


def _quiet(future: asyncio.Future[Any]) -> None:
    """Resync answers flow through the gate; retrieve the outcome so nothing is logged."""
    if not future.cancelled():
        future.exception()
