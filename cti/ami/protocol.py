"""panoramisk's AMIProtocol with a correct reader, injected through Manager(protocol_factory=...).

panoramisk 1.4 decodes every TCP read on its own with errors='ignore' (a UTF-8 character split
across two reads vanishes) and strips each message, losing a trailing header with an empty value.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from panoramisk.ami_protocol import AMIProtocol
from panoramisk.message import Message

from cti.ami.metrics import Counters
from cti.ami.wire import DEFAULT_MAX_MESSAGE_CHARS, Headers, MessageFramer

MessageHook = Callable[[Message], None]
# Headers panoramisk reads as one string (message.id, event.lower(), resp.message.lower() ...): a
# repeat of one (never sent by Asterisk) made a list that crashed the reader; the first one counts.
SINGLE_VALUED = frozenset(
    {"event", "response", "actionid", "commandid", "message", "subevent", "eventlist"}
)


class CtiAmiProtocol(AMIProtocol):  # type: ignore[misc]
    """Frames with an incremental decoder; sees every message first through `on_message`."""

    def __init__(
        self,
        counters: Counters | None = None,
        on_message: MessageHook | None = None,
        max_message_chars: int = DEFAULT_MAX_MESSAGE_CHARS,
    ) -> None:
        self.counters = counters or Counters()
        self.on_message = on_message
        self.framer = MessageFramer(max_message_chars)

    def data_received(self, data: bytes) -> None:
        garbled, oversized = self.framer.garbled_lines, self.framer.oversized_messages
        for headers in self.framer.feed(data):
            message = to_message(headers)
            if message is None:
                self.counters.inc("ami_messages_without_type")
                continue
            if self.on_message is not None:
                self.on_message(message)
            self.handle_message(message)
        self._count(garbled, oversized)
        if getattr(self, "version", None) is None and self.framer.banner:
            self.version = self.framer.banner.partition("/")[2].strip()

    def _count(self, garbled: int, oversized: int) -> None:
        self.counters.inc("ami_garbled_lines", self.framer.garbled_lines - garbled)
        self.counters.inc("ami_oversized_messages", self.framer.oversized_messages - oversized)


def to_message(headers: Headers) -> Message | None:
    """A panoramisk Message (repeated headers become lists, as panoramisk does), or None.

    Names are case-insensitive, as in panoramisk; a repeated single-valued header is ignored."""
    fields: dict[str, Any] = {}
    names: dict[str, str] = {}
    for raw_key, value in headers:
        key = names.setdefault(raw_key.lower(), raw_key)
        if key in fields and key.lower() in SINGLE_VALUED:
            continue
        if key in fields:
            previous = fields[key]
            fields[key] = [*previous, value] if isinstance(previous, list) else [previous, value]
        else:
            fields[key] = value
    if "Event" not in fields and "Response" not in fields:
        return None
    return Message(fields)
