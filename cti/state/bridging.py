"""Bridges: who is connected with whom. Answering is judged from these (see lifecycle)."""

from __future__ import annotations

from cti.state import conference
from cti.state.events import AmiEvent
from cti.state.registry import Registry


def on_bridge_enter(reg: Registry, event: AmiEvent) -> None:
    channel = reg.channel(event)
    bridge = event.get("BridgeUniqueid")
    if channel is not None and bridge:
        reg.enter_bridge(channel, bridge)
        conference.on_bridge_enter(reg, event)


def on_bridge_leave(reg: Registry, event: AmiEvent) -> None:
    channel = reg.channel(event)
    if channel is not None and channel.bridge == event.get("BridgeUniqueid"):
        reg.leave_bridge(channel)
        reg.touch(reg.call_of(channel))


def on_bridge_merge(reg: Registry, event: AmiEvent) -> None:
    source, target = event.get("FromBridgeUniqueid"), event.get("ToBridgeUniqueid")
    for uid in sorted(reg.bridges.get(source, ())):
        channel = reg.channels.get(uid)
        if channel is not None and target:
            reg.enter_bridge(channel, target)
