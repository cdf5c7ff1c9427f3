"""What Asterisk would list after a gap: the live channels of a (causal) event stream.

Replays events the way Asterisk's own state moves, independently of the tracker, and renders
CoreShowChannel rows for a Resync, as the AMI client hands them over after a reconnect.
"""

from __future__ import annotations

from collections.abc import Iterable

from cti.state.events import AmiEvent, Resync

_SNAPSHOT_FIELDS = ("Channel", "ChannelState", "CallerIDNum", "CallerIDName", "Exten", "Linkedid")


class World:
    def __init__(self) -> None:
        self.channels: dict[str, dict[str, str]] = {}  # uniqueid -> CoreShowChannel headers

    def replay(self, events: Iterable[AmiEvent]) -> World:
        for event in events:
            self.apply(event)
        return self

    def apply(self, event: AmiEvent) -> None:
        uid = event.get("Uniqueid")
        if event.name == "Newchannel" and uid and uid not in self.channels:
            self.channels[uid] = {"Uniqueid": uid, "BridgeId": ""}
        row = self.channels.get(uid)
        if row is None:
            return
        row.update({key: event.get(key) for key in _SNAPSHOT_FIELDS if key in event.headers})
        if event.name == "Rename":
            row["Channel"] = event.get("Newname")
        elif event.name == "BridgeEnter":
            row["BridgeId"] = event.get("BridgeUniqueid")
        elif event.name == "BridgeLeave":
            row["BridgeId"] = ""
        elif event.name == "Hangup":
            del self.channels[uid]

    def resync(self, at: float) -> Resync:
        rows = tuple(
            AmiEvent(
                "CoreShowChannel", {"Event": "CoreShowChannel", **row, "Duration": "00:00:07"}, at
            )
            for row in self.channels.values()
        )
        return Resync(rows, (), at, gap_started_at=at - 5)
