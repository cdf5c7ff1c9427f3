"""After a (re)connect or a queue overflow: list channels and queue entries, hand them over as one
Resync, and hold live events that arrive during the listing until after it (so a Hangup seen
mid-listing is applied after the snapshot, not overwritten by it)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from panoramisk.message import Message

from cti.ami.convert import message_to_event
from cti.state.events import AmiEvent, Resync

log = logging.getLogger(__name__)

Item = AmiEvent | Resync


class ResyncGate:
    """Sits between the reader and the queue. Phases: live, dropping (desynced), holding."""

    def __init__(self, clock: Callable[[], float], hold_limit: int) -> None:
        self._clock = clock
        self._hold_limit = hold_limit
        self.dropping = False
        self._held: list[Item] | None = None
        self._ids: tuple[str, str] | None = None
        self._channels: list[AmiEvent] = []
        self._entries: list[AmiEvent] = []
        self._gap_started_at: float | None = None
        self.dropped = 0

    def begin(self, channels_id: str, queue_id: str, gap_started_at: float | None) -> None:
        self._ids = (channels_id, queue_id)
        self._channels, self._entries = [], []
        self._gap_started_at = gap_started_at

    def desync(self) -> None:
        """Events were lost: drop the rest until a new listing starts."""
        self.dropping = True

    @property
    def passes_live(self) -> bool:
        """Live events go straight on (no listing holds them, nothing is being dropped)."""
        return self._held is None and not self.dropping

    def live(self, event: AmiEvent) -> list[Item]:
        if self._held is not None:
            if len(self._held) < self._hold_limit:
                self._held.append(event)
            else:
                self.dropped += 1
            return []
        if self.dropping:
            self.dropped += 1
            return []
        return [event]

    def response(self, message: Message) -> list[Item]:
        if self._ids is None:
            return []
        channels_id, queue_id = self._ids
        action_id, name = message.get("ActionID", ""), message.get("Event", "")
        if action_id == queue_id and name == "QueueEntry":
            self._entries.append(self._plain(message))
        elif action_id == channels_id:
            return self._channel_message(message, name)
        return []

    def _channel_message(self, message: Message, name: str) -> list[Item]:
        if not name:
            if message.get("Response") != "Success":
                log.error("CoreShowChannels refused (%s): no resync", message.get("Message"))
                self._ids = None
                return []
            self._held = []
            self.dropping = False
        elif name == "CoreShowChannel":
            self._channels.append(self._plain(message))
        elif name == "CoreShowChannelsComplete":
            return self._complete()
        return []

    def _complete(self) -> list[Item]:
        held, self._held, self._ids = self._held or [], None, None
        live_from = held[0].time if held else None
        snapshot = Resync(
            tuple(self._channels),
            tuple(self._entries),
            self._clock(),
            self._gap_started_at,
            live_from,
        )
        counts = len(snapshot.channels), len(snapshot.queue_entries)
        log.info("AMI resync: %d channels, %d queue entries", *counts)
        return [snapshot, *held]

    def _plain(self, message: Message) -> AmiEvent:
        return message_to_event(message, self._clock())
