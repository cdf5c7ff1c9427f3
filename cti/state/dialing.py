"""Dial events: who dials whom, how the caller's dial ended, SIP 302 forwards."""

from __future__ import annotations

import re

from cti.state.events import AmiEvent
from cti.state.model import Call, Channel
from cti.state.records import Transfer
from cti.state.registry import Registry
from cti.state.transfers import record_transfer


def on_dial_begin(reg: Registry, event: AmiEvent) -> None:
    dest = reg.channel(event, "Dest")
    call = reg.call_of(dest)
    if call is None:
        return
    # Originate: the first leg is dialled by no channel at all (Originate of PJSIP/1001) or by
    # a Local half (Originate of Local/1001@agents): the agent's own leg, not whom the call is to.
    if dest is not None and dest.uid == call.caller_uid and not _party(reg.channel(event)):
        call.originated = True
    elif not call.dialled and dest is not None and dest.party:
        call.dialled = _dialled_number(event) or dest.agent or ""
    if call.abandoned and not call.answered and _from_caller(reg, event, call.caller_uid):
        # app_queue reports a queue timeout as QueueCallerAbandon too; a caller the dialplan
        # then dials on (the fallback) did not give up.
        call.abandoned = False
    reg.touch(call)


def _from_caller(reg: Registry, event: AmiEvent, caller_uid: str | None) -> bool:
    dialler = reg.channel(event)
    return dialler is not None and dialler.uid == caller_uid


_NUMBER = re.compile(r"\+?\d{2,}")
_NOT_A_NUMBER = frozenset({"", "s", "h", "i", "t"})


def _dialled_number(event: AmiEvent) -> str:
    """What the dialling channel asked for: its extension, else the number in the dial string."""
    exten = event.get("Exten")
    if exten not in _NOT_A_NUMBER:
        return exten
    match = _NUMBER.search(event.get("DialString"))
    return match.group(0) if match else ""


def _party(channel: Channel | None) -> bool:
    return channel is not None and channel.party


def _dials_for_caller(reg: Registry, dialler: Channel, call: Call) -> bool:
    """The caller itself, or a Local half whose other side is bridged with the caller (the
    Local;1 of an Originate of Local/1001@agents dials the number for agent 1001)."""
    if dialler.uid == call.caller_uid:
        return True
    if dialler.party or call.caller_uid is None:
        return False
    return any(party.uid == call.caller_uid for party in reg.connected_parties(dialler))


def on_dial_end(reg: Registry, event: AmiEvent) -> None:
    if event.get("Forward"):
        on_dial_state(reg, event)  # before DialState (Asterisk 14) DialEnd told of a SIP 302
        return
    dialler = reg.channel(event)
    call = reg.call_of(dialler)
    if call is None or dialler is None or not _dials_for_caller(reg, dialler, call):
        return
    status = event.get("DialStatus")
    if status == "CANCEL" and call.dial_status == "ANSWER":
        return  # a ring-all loser, hung up because another target answered
    call.dial_status = status
    if status == "CANCEL" and not call.answered:
        call.abandoned = True  # the caller hung up while the target rang
    reg.touch(call)


def on_dial_state(reg: Registry, event: AmiEvent) -> None:
    forward = event.get("Forward")
    dest = reg.channel(event, "Dest")
    call = reg.call_of(reg.channel(event)) or reg.call_of(dest)
    if not forward or call is None:
        return
    source = dest.agent if dest is not None else None
    record_transfer(reg, call, Transfer("forward", source, forward, reg.now))
