"""The AMI read path as AmiClient wires it, minus the socket: CtiAmiProtocol -> Intake -> queue.

`ReadPath` is long-lived (one per run, like one connection); `frame` runs a fresh MessageFramer.
Both count what they saw and catch nothing: an exception escaping them is a finding.
"""

from __future__ import annotations

import asyncio
from collections import deque
from typing import Any

from panoramisk.actions import Action
from panoramisk.message import Message

from cti.ami.metrics import Counters
from cti.ami.protocol import CtiAmiProtocol
from cti.ami.wire import Headers, MessageFramer
from tests.fuzz.ami_bytes import (
    CHANNELS_ACTION_ID,
    PENDING_ACTION_IDS,
    QUEUE_ACTION_ID,
    WireCase,
)

_LOOP = asyncio.new_event_loop()  # only so panoramisk Actions get a Future; never run


class _Transport:
    def write(self, data: bytes) -> None:
        pass

    def close(self) -> None:
        pass


class _Manager:
    """What AMIProtocol asks of panoramisk's Manager; events go to the Intake, as in AmiClient."""

    def __init__(self, read_path: ReadPath) -> None:
        self.read_path = read_path
        self.forgetable_actions = ("ping",)
        self.awaiting_actions: deque[Any] = deque()

    def dispatch(self, message: Message) -> None:
        self.read_path.intake.on_event(self, message)  # type: ignore[arg-type]

    def connection_lost(self, exc: object) -> None:
        self.read_path.connection_losses += 1


class ReadPath:
    def __init__(self, max_message_chars: int = 64 * 1024) -> None:
        from cti.ami.intake import Intake  # imports panoramisk; kept next to its only use

        self.counters = Counters()
        self.intake = Intake(queue_size=10_000, counters=self.counters, clock=lambda: 0.0)
        self.protocol = CtiAmiProtocol(self.counters, self.intake.on_message, max_message_chars)
        self.protocol.connection_made(_Transport())
        self.protocol.factory = _Manager(self)
        self.connection_losses = 0
        self.intake._gate.begin(CHANNELS_ACTION_ID, QUEUE_ACTION_ID, None)
        self._send_pending()

    def _send_pending(self) -> None:
        """Outstanding actions, so generated replies with their ActionIDs complete them."""
        for action_id in PENDING_ACTION_IDS:
            self.protocol.responses[action_id] = _action({"Action": "Ping", "ActionID": action_id})

    def feed(self, chunks: list[bytes]) -> int:
        """Feed the reads; returns how many items reached the queue (drained afterwards)."""
        for chunk in chunks:
            self.protocol.data_received(chunk)
        delivered = self.intake.queue.qsize()
        while not self.intake.queue.empty():
            self.intake.queue.get_nowait()
        if len(self.protocol.responses) < len(PENDING_ACTION_IDS):
            self._send_pending()
        return delivered

    def buffered_chars(self) -> int:
        return len(self.protocol.framer._buffer)


def _action(fields: dict[str, str]) -> Action:
    async def build() -> Action:
        return Action(fields)

    return _LOOP.run_until_complete(build())


def frame(chunks: list[bytes], max_message_chars: int = 64 * 1024) -> list[Headers]:
    framer = MessageFramer(max_message_chars)
    return [headers for chunk in chunks for headers in framer.feed(chunk)]


def whole_and_split(case: WireCase, max_message_chars: int = 64 * 1024) -> tuple[Any, Any]:
    """The same bytes in one read and in the case's reads must give the same messages."""
    return frame([case.data], max_message_chars), frame(case.chunks(), max_message_chars)
