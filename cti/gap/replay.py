"""CEL rows -> the AMI events the tracker would have seen, so a gap is settled by the same rules.

CEL says less than AMI; what is inferred here, and why:
- a party channel started in a call that already has a caller was dialled by it (DialBegin), and
  rang unless its hangup says it never could (busy, rejected, unreachable);
- the caller's HANGUP carries DIALSTATUS: that is its DialEnd;
- a caller that hangs up itself right after its Queue application ended, never bridged, gave up
  in the queue (QueueCallerAbandon);
- a channel whose name changes under the same uniqueid was renamed (a pickup's masquerade).
Every event carries REPLAY_HEADER, so the record says it was settled from the PBX's log.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from cti.gap.cel_file import CelRow, row_time
from cti.state.events import REPLAY_HEADER, AmiEvent

_NEVER_RANG_CAUSES = frozenset({"1", "3", "17", "20", "21", "27", "34", "38"})
_ABANDON_WITHIN_SECONDS = 1.0
# CEL and AMI stamp one action a few hundred microseconds apart, in either order: rows this
# long before the tracker's last event are replayed too where replaying is harmless.
OVERLAP_SECONDS = 1.0


def _extra(row: CelRow) -> dict[str, Any]:
    try:
        extra = json.loads(row.get("eventextra") or "{}")
    except ValueError:
        return {}
    return extra if isinstance(extra, dict) else {}


@dataclass
class _Seen:
    """What the rows say of each channel before replay starts (look-ahead)."""

    causes: dict[str, str] = field(default_factory=dict)
    bridged: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, rows: list[CelRow]) -> _Seen:
        seen = cls()
        for row in rows:
            uid, kind = str(row.get("uniqueid", "")), row.get("eventtype")
            if kind == "HANGUP":
                seen.causes[uid] = str(_extra(row).get("hangupcause", ""))
            elif kind == "BRIDGE_ENTER":
                seen.bridged.add(uid)
        return seen


@dataclass(frozen=True)
class KnownChannels:
    """What the tracker already follows: channel names by uniqueid, its open calls, each open
    call's caller (linkedid -> uniqueid, name, exten), dialled channels not seen ringing yet
    (uniqueid -> linkedid), and calls known to have ended (never replayed)."""

    names: dict[str, str] = field(default_factory=dict)
    open_calls: set[str] = field(default_factory=set)
    callers: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    unrung: dict[str, str] = field(default_factory=dict)
    finished: set[str] = field(default_factory=set)


class CelReplay:
    """Translate rows in order; `events` is the tracker's input for them."""

    def __init__(self, rows: Iterable[CelRow], known: KnownChannels, since: float) -> None:
        self.rows = sorted(rows, key=lambda row: row_time(row) or 0.0)
        self._since = since
        self._known = known
        self._seen = _Seen.of(self.rows)
        self._new_calls = (
            {
                str(row.get("linkedid"))
                for row in self.rows
                if row.get("eventtype") == "CHAN_START"
                and row.get("uniqueid") == row.get("linkedid")
            }
            - known.finished
            - known.open_calls
        )
        self._names = dict(known.names)  # uniqueid -> channel name
        self._callers: dict[str, CelRow] = {  # linkedid -> the caller's CHAN_START
            linkedid: {"uniqueid": uid, "channame": name, "exten": exten, "linkedid": linkedid}
            for linkedid, (uid, name, exten) in known.callers.items()
        }
        self._extens: dict[str, str] = {}  # uniqueid -> the extension it last was at
        self._queue_left: dict[str, float] = {}  # caller uniqueid -> when its Queue ended
        self.events: list[AmiEvent] = []

    def run(self) -> list[AmiEvent]:
        self._ring_the_unrung()
        for row in filter(self._wanted, self.rows):
            self._rename_if_needed(row)
            handler = _HANDLERS.get(str(row.get("eventtype")))
            if handler is not None:
                handler(self, row)
        return self.events

    def _wanted(self, row: CelRow) -> bool:
        """Rows of open calls and of calls begun in the rows, not known to have ended (a
        replayed transfer is dropped by the tracker as a repeat)."""
        linkedid = str(row.get("linkedid", ""))
        return linkedid in self._known.open_calls or linkedid in self._new_calls

    def _ring_the_unrung(self) -> None:
        """A dialled channel the tracker knew before it rang, still there in the rows."""
        first = row_time(self.rows[0]) if self.rows else None
        for uid, linkedid in self._known.unrung.items():
            if first is None or self._seen.causes.get(uid) in _NEVER_RANG_CAUSES:
                continue
            row = {"eventtime": first, "channame": self._names.get(uid, ""), "uniqueid": uid}
            self._emit("Newstate", row | {"linkedid": linkedid}, ChannelState="5")

    # -- building events ------------------------------------------------------------------
    def _emit(self, name: str, row: CelRow, **headers: str) -> None:
        stamp = row_time(row) or 0.0
        base = {
            "Event": name,
            "Timestamp": f"{stamp:.6f}",
            "Channel": str(row.get("channame", "")),
            "Uniqueid": str(row.get("uniqueid", "")),
            "Linkedid": str(row.get("linkedid", "")),
            REPLAY_HEADER: "cel",
        }
        self.events.append(AmiEvent(name, base | headers, stamp))

    def _rename_if_needed(self, row: CelRow) -> None:
        uid, name = str(row.get("uniqueid", "")), str(row.get("channame", ""))
        if row.get("exten") not in ("", "s", None):
            self._extens[uid] = str(row["exten"])
        old = self._names.get(uid)
        if old is not None and name and old != name:
            self._emit("Rename", row, Channel=old, Newname=name)
        if name:
            self._names[uid] = name

    # -- one method per CEL event type ----------------------------------------------------
    def chan_start(self, row: CelRow) -> None:
        uid, linkedid = str(row.get("uniqueid", "")), str(row.get("linkedid", ""))
        caller = self._callers.get(linkedid)
        known = uid in self._known.names  # the tracker saw it start; its ringing is known too
        number, name, exten = (str(row.get(k, "")) for k in ("num", "name", "exten"))
        if not known:
            self._emit(
                "Newchannel", row, ChannelState="0", CallerIDNum=number, CallerIDName=name,
                Exten=exten,
            )  # fmt: skip
        if uid == linkedid or caller is None:
            self._callers.setdefault(linkedid, row)
            return
        self._dialled_by(caller, row)
        if known:
            return
        if self._seen.causes.get(uid) not in _NEVER_RANG_CAUSES or uid in self._seen.bridged:
            self._emit("Newstate", row, ChannelState="5")

    def _dialled_by(self, caller: CelRow, dest: CelRow) -> None:
        uid = str(caller.get("uniqueid", ""))
        exten = self._extens.get(uid) or str(caller.get("exten", ""))
        headers = {
            "Channel": str(caller.get("channame", "")),
            "Uniqueid": uid,
            "Exten": exten,
            "DestChannel": str(dest.get("channame", "")),
            "DestUniqueid": str(dest.get("uniqueid", "")),
            "DestLinkedid": str(dest.get("linkedid", "")),
        }
        self._emit("DialBegin", dest, **headers)

    def answer(self, row: CelRow) -> None:
        self._emit("Newstate", row, ChannelState="6")

    def bridge_enter(self, row: CelRow) -> None:
        bridge = str(_extra(row).get("bridge_id", ""))
        self._emit("BridgeEnter", row, BridgeUniqueid=bridge)

    def bridge_exit(self, row: CelRow) -> None:
        bridge = str(_extra(row).get("bridge_id", ""))
        self._emit("BridgeLeave", row, BridgeUniqueid=bridge)

    def app_start(self, row: CelRow) -> None:
        if str(row.get("appname", "")).lower() == "queue":
            queue = str(row.get("appdata", "")).split(",", 1)[0]
            self._emit("QueueCallerJoin", row, Queue=queue)

    def app_end(self, row: CelRow) -> None:
        if str(row.get("appname", "")).lower() == "queue":
            self._queue_left[str(row.get("uniqueid", ""))] = row_time(row) or 0.0

    def hangup(self, row: CelRow) -> None:
        uid, extra = str(row.get("uniqueid", "")), _extra(row)
        caller = self._callers.get(str(row.get("linkedid", "")))
        is_caller = caller is not None and str(caller.get("uniqueid")) == uid
        if is_caller and extra.get("dialstatus"):
            self._emit("DialEnd", row, DialStatus=str(extra["dialstatus"]))
        if is_caller and self._gave_up_in_queue(row, uid, extra):
            self._emit("QueueCallerAbandon", row)
        self._emit("Hangup", row, Cause=str(extra.get("hangupcause", "")))

    def _gave_up_in_queue(self, row: CelRow, uid: str, extra: dict[str, Any]) -> bool:
        left = self._queue_left.get(uid)
        if left is None or uid in self._seen.bridged:
            return False
        by_itself = extra.get("hangupsource") in ("", row.get("channame"))
        return by_itself and (row_time(row) or 0.0) - left <= _ABANDON_WITHIN_SECONDS

    def blind_transfer(self, row: CelRow) -> None:
        extra = _extra(row)
        self._emit(
            "BlindTransfer", row,
            TransfererUniqueid=str(row.get("uniqueid", "")),
            TransfereeUniqueid=str(extra.get("transferee_channel_uniqueid", "")),
            Extension=str(extra.get("extension", "")),
        )  # fmt: skip

    def attended_transfer(self, row: CelRow) -> None:
        extra = _extra(row)
        self._emit(
            "AttendedTransfer", row,
            OrigTransfererUniqueid=str(row.get("uniqueid", "")),
            SecondTransfererUniqueid=str(extra.get("channel2_uniqueid", "")),
            TransfereeUniqueid=str(extra.get("transferee_channel_uniqueid", "")),
            TransferTargetUniqueid=str(extra.get("transfer_target_channel_uniqueid", "")),
        )  # fmt: skip

    def pickup(self, row: CelRow) -> None:
        picker = str(_extra(row).get("pickup_channel", ""))
        self._emit(
            "Pickup", row, Channel=picker, Uniqueid="",
            TargetChannel=str(row.get("channame", "")),
            TargetUniqueid=str(row.get("uniqueid", "")),
        )  # fmt: skip

    def forward(self, row: CelRow) -> None:
        self._emit("DialState", row, Forward=str(_extra(row).get("forward", "")))


_HANDLERS = {
    "CHAN_START": CelReplay.chan_start,
    "ANSWER": CelReplay.answer,
    "BRIDGE_ENTER": CelReplay.bridge_enter,
    "BRIDGE_EXIT": CelReplay.bridge_exit,
    "APP_START": CelReplay.app_start,
    "APP_END": CelReplay.app_end,
    "HANGUP": CelReplay.hangup,
    "BLINDTRANSFER": CelReplay.blind_transfer,
    "ATTENDEDTRANSFER": CelReplay.attended_transfer,
    "PICKUP": CelReplay.pickup,
    "FORWARD": CelReplay.forward,
}


def replay(
    rows: Iterable[CelRow], since: float, known: KnownChannels | None = None
) -> list[AmiEvent]:
    """Events for `rows` (those after `since - OVERLAP_SECONDS`) given what the tracker knows."""
    return CelReplay(rows, known or KnownChannels(), since).run()
