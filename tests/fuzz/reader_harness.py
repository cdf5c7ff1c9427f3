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
from cti.ami.resync import Item
from cti.ami.wire import Fields, MessageFramer
from tests.fuzz.ami_bytes import (
    CHANNELS_ACTION_ID,
    PENDING_ACTION_IDS,
    QUEUE_ACTION_ID,
    WireCase,
)

# Ends a resync listing a case may have opened: the gate holds live events until it ends, as
# Asterisk always ends one (a listing left open would hold up to queue_size events).
_LISTING_DONE = f"\r\n\r\nEvent: CoreShowChannelsComplete\r\nActionID: {CHANNELS_ACTION_ID}\r\n\r\n"
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
        """Events with an ActionID that answer no pending action (plain ones skip panoramisk)."""
        self.read_path.intake.on_event(self, message)  # type: ignore[arg-type]

    def connection_lost(self, exc: object) -> None:
        self.read_path.connection_losses += 1


class ReadPath:
    def __init__(self, max_message_chars: int = 64 * 1024) -> None:
        from cti.ami.intake import Intake  # imports panoramisk; kept next to its only use

        self.counters = Counters()
        # A small queue: overflows (and the resync they ask for) happen, held events stay few.
        self.intake = Intake(queue_size=100, counters=self.counters, clock=lambda: 0.0)
        self.protocol = CtiAmiProtocol(
            self.counters, self.intake.on_message, max_message_chars, self.intake.on_fields
        )
        self.protocol.connection_made(_Transport())
        self.protocol.factory = _Manager(self)
        self.connection_losses = 0
        self._expect_replies()

    def _expect_replies(self) -> None:
        """Outstanding actions and a resync listing, so generated replies with their ActionIDs
        reach panoramisk's action bookkeeping and the resync gate."""
        for action_id in PENDING_ACTION_IDS:
            if action_id not in self.protocol.responses:
                action = _action({"Action": "Ping", "ActionID": action_id})
                self.protocol.responses[action_id] = action
        if self.intake._gate._ids is None:
            self.intake._gate.begin(CHANNELS_ACTION_ID, QUEUE_ACTION_ID, None)

    def feed(self, chunks: list[bytes]) -> list[Item]:
        """Feed the reads; returns what reached the queue (drained), as AmiClient would get it."""
        for chunk in chunks:
            self.protocol.data_received(chunk)
        self.protocol.data_received(_LISTING_DONE.encode())
        delivered = []
        while not self.intake.queue.empty():
            delivered.append(self.intake.queue.get_nowait())
        self._expect_replies()
        return delivered

    def buffered_chars(self) -> int:
        return len(self.protocol.framer._buffer)


def _action(fields: dict[str, str]) -> Action:
    async def build() -> Action:
        return Action(fields)

    return _LOOP.run_until_complete(build())


def frame(
    chunks: list[bytes], max_message_chars: int = 64 * 1024, fast: bool = True
) -> list[Fields]:
    """What a fresh framer gives; `fast=False`: every message on the tolerant path."""
    framer = MessageFramer(max_message_chars, fast=fast)
    return [fields for chunk in chunks for fields in framer.feed(chunk)]


def whole_and_split(case: WireCase, max_message_chars: int = 64 * 1024) -> tuple[Any, Any]:
    """The same bytes in one read and in the case's reads must give the same messages."""
    return frame([case.data], max_message_chars), frame(case.chunks(), max_message_chars)
