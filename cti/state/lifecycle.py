"""After each event: start, ring, answer and end the calls it touched, emitting CallEvents."""

from __future__ import annotations

from cti.state.model import RINGING, Call, Channel
from cti.state.records import CallAnswered, CallEnded, CallRinging, CallStarted
from cti.state.registry import Registry
from cti.state.snapshot import snapshot

_NOT_A_NUMBER = frozenset({"", "s", "h", "i", "t"})


def refresh(reg: Registry, call: Call) -> None:
    caller = reg.channels.get(call.caller_uid) if call.caller_uid else None
    if not call.started and not call.suppressed and caller is not None:
        _try_start(reg, call, caller)
    _update_ringing(reg, call)
    if caller is not None and not call.answered and caller.bridge is not None:
        _try_answer(reg, call, caller)
    if not call.channels:
        _end(reg, call)


def _others(reg: Registry, call: Call) -> list[Channel]:
    channels = (reg.channels.get(uid) for uid in call.channels if uid != call.caller_uid)
    return [channel for channel in channels if channel is not None and channel.party]


def _try_start(reg: Registry, call: Call, caller: Channel) -> None:
    others = _others(reg, call)
    if call.originated and not others:
        return  # an Originate's first leg alone: nobody has been called yet
    _describe(call, caller, others[0] if others else None)
    if caller.agent is not None and not (others and call.dialled):
        return  # an agent picked up the phone: wait for whom it dials
    call.started = True
    reg.out.append(CallStarted(snapshot(call)))


def _describe(call: Call, caller: Channel, other: Channel | None) -> None:
    if caller.agent is None:
        call.direction = "inbound"
        call.caller = caller.number
        call.caller_name = caller.cid_name
        call.did = caller.exten if caller.exten not in _NOT_A_NUMBER else call.did
        call.callee = call.did or ""
        return
    outbound = other is not None and other.agent is None
    call.direction = "outbound" if outbound else "internal"
    call.caller = caller.agent
    call.caller_name = caller.cid_name
    call.callee = call.dialled or _dialled(caller, other)


def _dialled(caller: Channel, other: Channel | None) -> str:
    if caller.exten not in _NOT_A_NUMBER or other is None:
        return caller.exten
    return other.agent or other.number


def _update_ringing(reg: Registry, call: Call) -> None:
    ringing = []
    for channel in _others(reg, call):
        if channel.state == RINGING:
            call.ring_seen = True
            # After a pickup the ringing channel is renamed to the picker's before it is Up.
            if channel.agent is not None and not _picked_up_by(call, channel.agent):
                call.note_rang(channel.agent)
                ringing.append(channel.agent)
    now_ringing = tuple(ringing)
    if not now_ringing:
        call.close_wave()
    if now_ringing != call.ringing and call.started:
        call.ringing = now_ringing
        reg.out.append(CallRinging(snapshot(call), now_ringing, reg.now))


def _try_answer(reg: Registry, call: Call, caller: Channel) -> None:
    parties = reg.connected_parties(caller)
    agents = [party.agent for party in parties if party.agent is not None]
    if call.direction == "outbound":
        if not any(party.agent is None for party in parties):
            return
    elif not parties:
        return
    call.answered_at = reg.now
    call.answered_by = agents[0] if agents and call.direction != "outbound" else None
    if call.answered_by is not None and not _picked_up_by(call, call.answered_by):
        if call.answered_by not in call.agents_rang:
            call.rang_by_answer = call.answered_by
        call.note_rang(call.answered_by)  # an auto-answering phone never reports ringing
    if call.started:
        reg.out.append(CallAnswered(snapshot(call), reg.now))


def _picked_up_by(call: Call, agent: str) -> bool:
    return any(t.kind == "pickup" and t.to == agent for t in call.transfers)


def _end(reg: Registry, call: Call) -> None:
    reg.calls.pop(call.linkedid, None)
    if call.suppressed or (not call.started and (call.originated or call.caller_uid is None)):
        reg.dropped.append(call.linkedid)  # never a business call: no record to end
        return
    if not call.started:
        call.started = True
        reg.out.append(CallStarted(snapshot(call)))
    if call.ringing:
        call.ringing = ()
        reg.out.append(CallRinging(snapshot(call), (), reg.now))
    reg.out.append(CallEnded(snapshot(call, ended_at=reg.now)))
