"""Rebuild state after an AMI gap from CoreShowChannel (and QueueEntry) events.

A call first seen here is classified by its channels, never by the order Asterisk lists them:
the caller is the channel that started the call (its Uniqueid is the call's Linkedid), else an
external party (a trunk) rather than an agent's phone.
"""

from __future__ import annotations

from cti.state.events import AmiEvent, Resync
from cti.state.model import Call, Channel
from cti.state.records import FIRST_SEEN_AT_RESYNC, LOST_IN_GAP
from cti.state.registry import Registry

_QUEUE_APP = "queue"


def apply_resync(reg: Registry, resync: Resync) -> None:
    present = {event.get("Uniqueid"): event for event in resync.channels if event.get("Uniqueid")}
    _drop_vanished(reg, set(present))
    known = {linkedid for linkedid, call in reg.calls.items() if call.channels}
    for event in present.values():
        _adopt_or_update(reg, event)
    for linkedid, call in reg.calls.items():
        if not call.channels:
            _end_unseen(reg, call)  # restored from a record alone, and not live any more
        elif linkedid not in known:
            _classify_adopted(reg, call, present)
    for entry in resync.queue_entries:
        waiting = reg.call_of(reg.channel(entry))
        if waiting is not None and waiting.queue is None:
            waiting.queue = entry.get("Queue") or None


def _drop_vanished(reg: Registry, present: set[str]) -> None:
    for channel in [c for uid, c in reg.channels.items() if uid not in present]:
        call = reg.call_of(channel)
        reg.remove_channel(channel)
        if call is not None and not call.channels:
            call.note = LOST_IN_GAP
            call.reconstructed = True


def _end_unseen(reg: Registry, call: Call) -> None:
    call.reconstructed = True
    call.note = call.note or LOST_IN_GAP
    reg.touch(call)


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


def _classify_adopted(reg: Registry, call: Call, listed: dict[str, AmiEvent]) -> None:
    parties = [c for c in (reg.channels.get(uid) for uid in call.channels) if c and c.party]
    caller = _caller_among(call, parties)
    if caller is not None:
        call.caller_uid = caller.uid
    call.queue = call.queue or _queue_of(call, listed)
    call.reconstructed = True
    call.note = FIRST_SEEN_AT_RESYNC


def _caller_among(call: Call, parties: list[Channel]) -> Channel | None:
    for channel in parties:
        if channel.uid == call.linkedid:
            return channel
    external = [channel for channel in parties if channel.agent is None]
    candidates = external or parties
    return candidates[0] if candidates else None


def _queue_of(call: Call, listed: dict[str, AmiEvent]) -> str | None:
    """`Application: Queue`, `Data: sales,t,...` on a channel of the call: it waits in `sales`."""
    for uid in call.channels:
        event = listed.get(uid)
        if event is not None and event.get("Application").lower() == _QUEUE_APP:
            return event.get("Data").split(",", 1)[0] or None
    return None


def _backdate(reg: Registry, linkedid: str, duration: str) -> None:
    """An adopted call started `Duration` (HH:MM:SS) before the snapshot, not at it."""
    call = reg.calls.get(linkedid)
    parts = duration.split(":")
    if call is None or len(parts) != 3 or not all(p.isdigit() for p in parts):
        return
    hours, minutes, seconds = (int(p) for p in parts)
    call.started_at = min(call.started_at, reg.now - (hours * 3600 + minutes * 60 + seconds))
