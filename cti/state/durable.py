"""What the tracker knows of one open call, as plain JSON-able data, and back.

A bridge killed mid-traffic restores these at start, before the AMI resync, so a call it was
following keeps the facts it had seen (who rang, who answered, the queue, transfers) instead of
being adopted afresh from a channel listing that no longer shows them.
"""

from __future__ import annotations

from typing import Any

from cti.state.model import Call, Channel
from cti.state.records import Transfer
from cti.state.registry import Registry

FORMAT = 1
# Every slot of a Call is kept; these few are not plain values and are written apart.
_STRUCTURED = frozenset({"linkedid", "channels", "agents_rang", "ringing", "transfers"})
_CALL_FIELDS = tuple(name for name in Call.__slots__ if name not in _STRUCTURED)
_CHANNEL_FIELDS = (
    "uid", "name", "linkedid", "state", "number", "cid_name", "exten", "bridge", "left_linkedid"
)  # fmt: skip


def export_call(reg: Registry, call: Call) -> dict[str, Any]:
    data: dict[str, Any] = {name: getattr(call, name) for name in _CALL_FIELDS}
    data["format"] = FORMAT
    data["linkedid"] = call.linkedid
    data["agents_rang"] = list(call.agents_rang)
    data["ringing"] = list(call.ringing)
    data["transfers"] = [transfer.as_dict() for transfer in call.transfers]
    channels = (reg.channels.get(uid) for uid in call.channels)
    data["channels"] = [_export_channel(c) for c in channels if c is not None]
    return data


def _export_channel(channel: Channel) -> dict[str, Any]:
    return {name: getattr(channel, name) for name in _CHANNEL_FIELDS}


def restore_call(reg: Registry, data: dict[str, Any]) -> Call | None:
    """Rebuild one exported call in `reg`; data of another format is ignored (None).

    Raises KeyError/TypeError/ValueError on damaged data, before anything is put in `reg`.
    """
    if data.get("format") != FORMAT or data.get("linkedid") in reg.calls:
        return None
    call = Call(str(data["linkedid"]), float(data["started_at"]))
    for name in _CALL_FIELDS:
        if name in data:  # a field added since the state was saved keeps its default
            setattr(call, name, data[name])
    call.agents_rang = [str(agent) for agent in data["agents_rang"]]
    call.ringing = tuple(str(agent) for agent in data["ringing"])
    call.transfers = [_transfer(item) for item in data["transfers"]]
    channels = [_channel(reg, call, item) for item in data["channels"]]
    reg.calls[call.linkedid] = call
    for channel, bridge in channels:
        if channel.uid in reg.channels:
            continue
        reg.channels[channel.uid] = channel
        reg.names[channel.name] = channel.uid
        call.channels[channel.uid] = None
        if bridge:
            reg.enter_bridge(channel, bridge)
    return call


def _channel(reg: Registry, call: Call, item: dict[str, Any]) -> tuple[Channel, str]:
    name = str(item["name"])
    agent, party = reg.config.agent_of(name), reg.config.is_party(name)
    channel = Channel(str(item["uid"]), name, call.linkedid, agent, party)
    channel.state, channel.number = str(item["state"]), str(item["number"])
    channel.cid_name, channel.exten = str(item["cid_name"]), str(item["exten"])
    channel.left_linkedid = item.get("left_linkedid") or None  # absent in states saved before
    return channel, str(item.get("bridge") or "")


def _transfer(item: dict[str, Any]) -> Transfer:
    return Transfer(item["kind"], item.get("from"), item.get("to"), float(item["at"]))
