"""Transfers and pickups. The record follows the caller; `from` is the transferring agent."""

from __future__ import annotations

from cti.state.events import AmiEvent
from cti.state.model import UP, Call, Channel
from cti.state.records import CallTransferred, Transfer, TransferKind
from cti.state.registry import Registry
from cti.state.snapshot import snapshot

REPEAT_WITHIN_SECONDS = 2.0


def record_transfer(reg: Registry, call: Call, transfer: Transfer) -> None:
    if any(_repeats(transfer, earlier) for earlier in call.transfers):
        return  # the same transfer told twice (after a gap: by AMI and by the PBX's log)
    call.transfers.append(transfer)
    reg.touch(call)
    if call.started:
        reg.out.append(CallTransferred(snapshot(call), transfer))


def _repeats(transfer: Transfer, earlier: Transfer) -> bool:
    """Told again, maybe with less known (a party already gone): None matches anything."""
    if transfer.kind != earlier.kind or abs(transfer.at - earlier.at) > REPEAT_WITHIN_SECONDS:
        return False
    return _agrees(transfer.from_agent, earlier.from_agent) and _agrees(transfer.to, earlier.to)


def _agrees(one: str | None, other: str | None) -> bool:
    return one is None or other is None or one == other


def on_blind_transfer(reg: Registry, event: AmiEvent) -> None:
    if event.get("Result", "Success") != "Success":
        return
    transferer = reg.channel(event, "Transferer")
    call = reg.call_of(reg.channel(event, "Transferee")) or reg.call_of(transferer)
    if call is None:
        return
    if _just_parked(reg, call):
        return  # a blind transfer to the parking lot's extension: that park, told already
    source = transferer.agent if transferer is not None else None
    record_transfer(reg, call, Transfer("blind", source, event.get("Extension") or None, reg.now))


def _just_parked(reg: Registry, call: Call) -> bool:
    last = call.transfers[-1] if call.transfers else None
    return last is not None and last.kind == "park" and reg.now - last.at <= REPEAT_WITHIN_SECONDS


def on_attended_transfer(reg: Registry, event: AmiEvent) -> None:
    if event.get("Result", "Success") != "Success":
        return
    transferer = reg.channel(event, "OrigTransferer")
    call = reg.call_of(reg.channel(event, "Transferee")) or reg.call_of(transferer)
    if call is None:
        return
    target = _target(reg, event, call)
    kind: TransferKind = "attended" if target is None or target.state == UP else "blonde"
    source = transferer.agent if transferer is not None else None
    to = None if target is None else target.agent or target.number
    record_transfer(reg, call, Transfer(kind, source, to, reg.now))
    if target is not None and target.linkedid != call.linkedid:
        # SIP REFER/Replaces: the target joins the caller's call; Asterisk 22 tells us later,
        # older versions never do (they keep sending the consultation's Linkedid).
        target.left_linkedid = target.linkedid
        reg.move(target, call.linkedid)


def _target(reg: Registry, event: AmiEvent, call: Call) -> Channel | None:
    """The party the caller is handed to, seen through any Local pair (AMI Atxfer)."""
    named = reg.channel(event, "TransferTarget")
    if named is not None and named.party:
        return named
    transferers = [reg.channel(event, prefix) for prefix in ("OrigTransferer", "SecondTransferer")]
    # Early Asterisk 13 names neither the transferee nor the target: the caller is the transferee.
    transferee = reg.channel(event, "Transferee") or reg.channels.get(call.caller_uid or "")
    exclude = {c.uid for c in (*transferers, transferee) if c is not None}
    start = reg.channel(event, "SecondTransferer")
    if named is not None:
        # Atxfer names the Local half bridged with the caller: the target is on the far side.
        exclude.add(named.uid)
        start = reg.by_name(named.local_partner_name() or "")
    parties = reg.connected_parties(start, exclude) if start is not None else []
    if not parties and event.get("DestType") == "App" and start is not None:
        parties = _dialled_by(reg, start, exclude)  # blonde: the caller takes over the dial
    if not parties and named is None and transferee is not None:
        parties = reg.connected_parties(transferee, exclude)  # whoever the caller now talks to
    return parties[0] if parties else None


def _dialled_by(reg: Registry, dialler: Channel, exclude: set[str]) -> list[Channel]:
    """The parties a channel still dials: the others of its call (REFER with Replaces while
    the target rings moves the transferee into the dialling channel's place)."""
    call = reg.call_of(dialler)
    others = (reg.channels.get(uid) for uid in call.channels) if call is not None else ()
    return [c for c in others if c is not None and c.party and c.uid not in exclude]


def on_pickup(reg: Registry, event: AmiEvent) -> None:
    picker = reg.channel(event)
    target = reg.channel(event, "Target")
    # Under load the picked channel's Hangup can be told before the Pickup: its call and
    # agent are then taken from the event's Target fields.
    call = reg.call_of(target) or reg.calls.get(event.get("TargetLinkedid"))
    helper = reg.call_of(picker)
    if call is None:
        return
    if helper is not None and helper is not call and not helper.started:
        helper.suppressed = True  # the picker's own dial of *8 is not a business call
    source = target.agent if target is not None else reg.config.agent_of(event.get("TargetChannel"))
    to = picker.agent if picker is not None else reg.config.agent_of(event.get("Channel"))
    record_transfer(reg, call, Transfer("pickup", source, to, reg.now))
    if to is not None and to == call.rang_by_answer:
        # Asterisk may report the Pickup after the picker's bridge: its answer is not a ring.
        call.agents_rang.remove(to)
        call.wave_start = min(call.wave_start, len(call.agents_rang))
        call.rang_by_answer = None
