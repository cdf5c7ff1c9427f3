"""What the tracker consumes: plain AMI events and resync snapshots, free of any AMI library."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

# Set on events rebuilt from the PBX's own log (CEL) after a gap; the calls they touch are
# marked reconstructed.
REPLAY_HEADER = "CtiReplay"


@dataclass(frozen=True, slots=True, eq=False)
class AmiEvent:
    """One AMI event. Repeated header names (ChanVariable) are joined with a newline."""

    name: str
    headers: Mapping[str, str]
    received_at: float

    def get(self, key: str, default: str = "") -> str:
        return self.headers.get(key, default)

    @property
    def time(self) -> float:
        """Asterisk's own clock (manager.conf timestampevents=yes) when present, else ours."""
        stamp = self.headers.get("Timestamp")
        if stamp:
            try:
                value = float(stamp)
            except ValueError:
                return self.received_at
            if math.isfinite(value):
                return value
        return self.received_at

    @classmethod
    def from_headers(cls, headers: Mapping[str, str], received_at: float = 0.0) -> AmiEvent:
        return cls(headers.get("Event", ""), dict(headers), received_at)


@dataclass(frozen=True, slots=True, eq=False)
class Resync:
    """The state Asterisk reported right after a (re)connect: CoreShowChannel and QueueEntry events.

    Calls the tracker knows that are missing here ended while the bridge was not listening.
    """

    channels: tuple[AmiEvent, ...]
    queue_entries: tuple[AmiEvent, ...]
    received_at: float
    gap_started_at: float | None = None
    # Asterisk's time of the first live event held back during the listing: the PBX's log
    # before it is what the bridge missed.
    live_from: float | None = None

    @property
    def time(self) -> float:
        return self.received_at
