"""Rebuild state after an AMI gap from CoreShowChannel (and QueueEntry) events."""

from __future__ import annotations

from cti.state.events import AmiEvent, Resync
from cti.state.records import LOST_IN_GAP
from cti.state.registry import Registry


def apply_resync(reg: Registry, resync: Resync) -> None:
    present = {event.get("Uniqueid"): event for event in resync.channels if event.get("Uniqueid")}
    _drop_vanished(reg, set(present))
    for event in present.values():
        _adopt_or_update(reg, event)
    for entry in resync.queue_entries:
        call = reg.call_of(reg.channel(entry))
        if call is not None and call.queue is None:
            call.queue = entry.get("Queue") or None


def _drop_vanished(reg: Registry, present: set[str]) -> None:
    for channel in [c for uid, c in reg.channels.items() if uid not in present]:
        call = reg.call_of(channel)
        reg.remove_channel(channel)
        if call is not None and not call.channels:
            call.note = LOST_IN_GAP


def _adopt_or_update(reg: Registry, event: AmiEvent) -> None:
    uid, linkedid = event.get("Uniqueid"), event.get("Linkedid") or event.get("Uniqueid")
    channel = reg.channels.get(uid)
    if channel is None:
        channel = reg.add_channel(uid, event.get("Channel"), linkedid)
        channel.number = event.get("CallerIDNum")
        channel.cid_name = event.get("CallerIDName")
        channel.exten = event.get("Exten")
        _backdate(reg, linkedid, event.get("Duration"))
    elif channel.linkedid != linkedid:
        reg.move(channel, linkedid)
    channel.state = event.get("ChannelState") or channel.state
    bridge = event.get("BridgeId")
    if bridge:
        reg.enter_bridge(channel, bridge)
    elif channel.bridge is not None:
        reg.leave_bridge(channel)
    reg.touch(reg.call_of(channel))


def _backdate(reg: Registry, linkedid: str, duration: str) -> None:
    """An adopted call started `Duration` (HH:MM:SS) before the snapshot, not at it."""
    call = reg.calls.get(linkedid)
    parts = duration.split(":")
    if call is None or len(parts) != 3 or not all(p.isdigit() for p in parts):
        return
    hours, minutes, seconds = (int(p) for p in parts)
    call.started_at = min(call.started_at, reg.now - (hours * 3600 + minutes * 60 + seconds))
