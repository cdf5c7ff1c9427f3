"""Channel lifecycle: Newchannel, Hangup, Rename, caller ID and channel variables."""

from __future__ import annotations

import re

from cti.state.events import REPLAY_HEADER, AmiEvent
from cti.state.model import DOWN, Channel
from cti.state.registry import Registry

_UNKNOWN = frozenset({"", "<unknown>", "<Unknown>"})
# Channel variables the dialplan sets for the call record.
_RECORDING_VARS = frozenset({"MIXMONITOR_FILENAME", "CTI_RECORDING"})
_ROUTE_REASON_VAR = "CTI_ROUTE_REASON"
_QUEUE_CALLBACK_VAR = "CTI_QUEUE_CALLBACK"  # cti-queue-callback: the caller pressed the key
_CALLBACK_OF_VAR = "CTI_CALLBACK_OF"  # set by the bridge's Originate of a queue call-back
# Every VarSet the tracker reads: the AMI reader may drop the rest unparsed.
VARIABLES_READ = _RECORDING_VARS | {_ROUTE_REASON_VAR, _QUEUE_CALLBACK_VAR, _CALLBACK_OF_VAR}
# AMI writes a VarSet's value C-escaped: the reason "owner O'Brien" arrives as "owner O\'Brien".
_C_ESCAPE = re.compile(r"\\([abfnrtv\\'\"?])")
_C_CONTROL = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}


def on_newchannel(reg: Registry, event: AmiEvent) -> None:
    uid, name = event.get("Uniqueid"), event.get("Channel")
    if not uid or not name or uid in reg.channels:
        return
    channel = reg.add_channel(uid, name, event.get("Linkedid") or uid)
    channel.state = event.get("ChannelState", "0")
    channel.exten = event.get("Exten")
    call = reg.call_of(channel)
    if call is not None and _created_down(channel, event):
        # A call that begins with a channel the PBX creates Down (not a phone or trunk ringing
        # in) is an Originate's: its first leg is not whom the call is to.
        call.originated = True
    on_newcallerid(reg, event)


def _created_down(channel: Channel, event: AmiEvent) -> bool:
    """The call's first channel, created Down; CEL's CHAN_START (a replay) tells no state."""
    first = channel.uid == channel.linkedid
    return first and channel.state == DOWN and not event.get(REPLAY_HEADER)


def on_newcallerid(reg: Registry, event: AmiEvent) -> None:
    channel = reg.channel(event)
    if channel is None:
        return
    number, name = event.get("CallerIDNum"), event.get("CallerIDName")
    if number not in _UNKNOWN:
        channel.number = number
    if name not in _UNKNOWN:
        channel.cid_name = name


def on_hangup(reg: Registry, event: AmiEvent) -> None:
    channel = reg.channel(event)
    if channel is None:
        return
    call = reg.call_of(channel)
    if call is not None and call.caller_uid == channel.uid:
        call.caller_cause = event.get("Cause")
    reg.remove_channel(channel)


def on_rename(reg: Registry, event: AmiEvent) -> None:
    channel = reg.channel(event) or reg.by_name(event.get("Channel"))
    new_name = event.get("Newname")
    if channel is not None and new_name:
        reg.rename(channel, new_name)


def on_varset(reg: Registry, event: AmiEvent) -> None:
    call = reg.call_of(reg.channel(event))
    if call is None:
        return
    variable, value = event.get("Variable"), event.get("Value")
    if variable in _RECORDING_VARS and value:
        call.recording = value
    elif variable == _ROUTE_REASON_VAR and value:
        call.route_reason = _unescaped(value)
    elif variable == _QUEUE_CALLBACK_VAR and call.caller_uid == event.get("Uniqueid"):
        call.callback_requested = value or call.queue or ""
    elif variable == _CALLBACK_OF_VAR and value:
        call.callback_of = value


def _unescaped(value: str) -> str:
    return _C_ESCAPE.sub(lambda match: _C_CONTROL.get(match[1], match[1]), value)
