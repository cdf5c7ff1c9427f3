"""panoramisk's AMIProtocol with our own reader, injected through Manager(protocol_factory=...).

panoramisk 1.4 decodes every TCP read on its own with errors='ignore' (a UTF-8 character split
across two reads vanishes), strips each message (losing a trailing header with an empty value),
then builds a case-insensitive Message per event and matches it against its callbacks' regexes.

Here each message is parsed once, from the bytes into the flat dict the tracker reads
(cti.ami.wire). A plain event (no ActionID) goes straight to `on_event`; only what answers an
action (responses, listing items) becomes a panoramisk Message for its action bookkeeping, which
the bridge keeps for sending actions (Login, QueueStatus, Originate ...).
"""

from __future__ import annotations

from collections.abc import Callable

from panoramisk.ami_protocol import AMIProtocol
from panoramisk.message import Message

from cti.ami.metrics import Counters
from cti.ami.wire import DEFAULT_MAX_MESSAGE_CHARS, Fields, MessageFramer

MessageHook = Callable[[Message], None]
EventHook = Callable[[Fields], None]
_ACTION_KEYS = ("ActionID", "CommandID")


class CtiAmiProtocol(AMIProtocol):  # type: ignore[misc]
    """Frames with an incremental decoder; sees every action answer first through `on_message`.

    Without `on_event` every message goes through panoramisk's dispatch (as its own protocol)."""

    def __init__(
        self,
        counters: Counters | None = None,
        on_message: MessageHook | None = None,
        max_message_chars: int = DEFAULT_MAX_MESSAGE_CHARS,
        on_event: EventHook | None = None,
        variables: frozenset[str] | None = None,
    ) -> None:
        self.counters = counters or Counters()
        self.on_message = on_message
        self.on_event = on_event
        self.framer = MessageFramer(max_message_chars, variables=variables)

    def data_received(self, data: bytes) -> None:
        framer = self.framer
        garbled, oversized, skipped = (
            framer.garbled_lines, framer.oversized_messages, framer.skipped_varsets
        )  # fmt: skip
        on_event = self.on_event
        for fields in self.framer.feed(data):
            if on_event is not None and "Event" in fields and _no_action_id(fields):
                self._plain_event(fields, on_event)
            else:
                self._through_panoramisk(fields)
        self._count(garbled, oversized)
        if framer.skipped_varsets != skipped:
            self.counters.inc("ami_varsets_skipped", framer.skipped_varsets - skipped)
        if getattr(self, "version", None) is None and self.framer.banner:
            self.version = self.framer.banner.partition("/")[2].strip()

    def _plain_event(self, fields: Fields, on_event: EventHook) -> None:
        name = fields["Event"]
        if len(name) == 8 and name.lower() == "shutdown":  # as panoramisk: Asterisk is leaving
            self.connection_lost(to_message(fields))
        on_event(fields)

    def _through_panoramisk(self, fields: Fields) -> None:
        message = to_message(fields)
        if message is None:
            self.counters.inc("ami_messages_without_type")
            return
        if self.on_message is not None:
            self.on_message(message)
        self.handle_message(message)

    def _count(self, garbled: int, oversized: int) -> None:
        if self.framer.garbled_lines != garbled:
            self.counters.inc("ami_garbled_lines", self.framer.garbled_lines - garbled)
        if self.framer.oversized_messages != oversized:
            self.counters.inc("ami_oversized_messages", self.framer.oversized_messages - oversized)


def _no_action_id(fields: Fields) -> bool:
    return _ACTION_KEYS[0] not in fields and _ACTION_KEYS[1] not in fields


def to_message(fields: Fields) -> Message | None:
    """A panoramisk Message of an Event or a Response, else None. Repeated headers are already
    newline-joined (never lists), and single-valued ones hold their first value (wire.to_fields)."""
    if "Event" not in fields and "Response" not in fields:
        return None
    return Message(fields)
