"""Conferences: a party from outside the call joins a mixing bridge the caller is in (ConfBridge,
or a bridge Asterisk turned into a mix for a third party). The record shows it in `transfers`
(`conference`: from the call's agent in the room, to the party added); the added party's own
leg (an Originate) is no record."""

from __future__ import annotations

from cti.state.events import AmiEvent
from cti.state.model import Call, Channel
from cti.state.records import Transfer
from cti.state.registry import Registry
from cti.state.transfers import record_transfer

MIXING = "softmix"  # BridgeTechnology of every multi-party bridge since Asterisk 12


def on_bridge_enter(reg: Registry, event: AmiEvent) -> None:
    bridge, joiner = event.get("BridgeUniqueid"), reg.channel(event)
    if event.get("BridgeTechnology") != MIXING or joiner is None or not bridge:
        return
    added = _party_behind(reg, joiner)
    if added is None:
        return
    for call in _calls_in(reg, bridge):
        if call.linkedid != joiner.linkedid and call.answered:
            host = _host(reg, call, bridge)
            to = added.agent or added.number or None
            record_transfer(reg, call, Transfer("conference", host, to, reg.now))


def _party_behind(reg: Registry, joiner: Channel) -> Channel | None:
    """The joiner, or the party of its own call behind a Local channel (Local/NUMBER@outbound)."""
    if joiner.party:
        return joiner
    own = reg.call_of(joiner)
    return reg.channels.get(own.caller_uid) if own is not None and own.caller_uid else None


def _calls_in(reg: Registry, bridge: str) -> list[Call]:
    """The calls whose caller is in the bridge."""
    found: list[Call] = []
    for uid in sorted(reg.bridges.get(bridge, ())):
        call = reg.call_of(reg.channels.get(uid))
        if call is not None and call.caller_uid == uid and call not in found:
            found.append(call)
    return found


def _host(reg: Registry, call: Call, bridge: str) -> str | None:
    members = (reg.channels.get(uid) for uid in sorted(reg.bridges.get(bridge, ())))
    agents = [c.agent for c in members if c and c.agent and c.linkedid == call.linkedid]
    return agents[0] if agents else call.answered_by
