"""Which agent calls are up, and the two channels of each: pure, fed every AMI event inline.

A bridge holding an agent's channel and one other channel is a conversation: its agent side is
the agent's channel, its caller side the other. The watch says when one starts (`Talking`) and
when the agent's or the caller's channel hangs up (`HungUp`); the live transcript does the rest
on its own task.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cti.state.events import AmiEvent, Resync


@dataclass(frozen=True, slots=True)
class Talking:
    linkedid: str
    extension: str
    agent_channel: str
    agent_uniqueid: str
    caller_channel: str
    caller_uniqueid: str = ""


@dataclass(frozen=True, slots=True)
class HungUp:
    agent_uniqueid: str


LiveNote = Talking | HungUp


@dataclass
class _Bridge:
    channels: dict[str, str] = field(default_factory=dict)  # uniqueid -> channel name
    linkedid: str = ""


class LiveWatch:
    def __init__(self, agent_channel_regex: str) -> None:
        self._agent = re.compile(agent_channel_regex)
        self._bridges: dict[str, _Bridge] = {}
        self.talking: dict[str, Talking] = {}  # agent channel's uniqueid -> its conversation
        self._callers: dict[str, str] = {}  # the caller channel's uniqueid -> the agent's

    def apply(self, item: AmiEvent | Resync) -> list[LiveNote]:
        if isinstance(item, Resync):
            alive = {channel.get("Uniqueid") for channel in item.channels}
            gone = [uid for uid in self.talking if uid not in alive]
            return [note for uid in gone for note in self._hung_up(uid)]
        name = item.name
        if name == "BridgeEnter":
            return self._entered(item)
        if name == "BridgeLeave":
            bridge = self._bridges.get(item.get("BridgeUniqueid"))
            if bridge is not None:
                bridge.channels.pop(item.get("Uniqueid"), None)
            return []
        if name == "BridgeDestroy":
            self._bridges.pop(item.get("BridgeUniqueid"), None)
            return []
        if name == "Hangup":
            return self._hung_up(item.get("Uniqueid"))
        return []

    def _entered(self, event: AmiEvent) -> list[LiveNote]:
        bridge = self._bridges.setdefault(event.get("BridgeUniqueid"), _Bridge())
        bridge.channels[event.get("Uniqueid")] = event.get("Channel")
        bridge.linkedid = bridge.linkedid or event.get("Linkedid")
        if len(bridge.channels) != 2:
            return []
        (uid_a, chan_a), (uid_b, chan_b) = bridge.channels.items()
        pairs = [(uid_a, chan_a, uid_b, chan_b), (uid_b, chan_b, uid_a, chan_a)]
        for uid, channel, other_uid, other in pairs:
            match = self._agent.search(channel)
            if match is None or uid in self.talking:
                continue
            if any(t.caller_channel == channel for t in self.talking.values()):
                continue  # an agent-to-agent call: transcribed once, from its first agent
            extension = match.group(1) if match.groups() else channel
            talking = Talking(event.get("Linkedid") or bridge.linkedid, extension, channel,
                              uid, other, other_uid)  # fmt: skip
            self.talking[uid] = talking
            self._callers[other_uid] = uid
            return [talking]
        return []

    def _hung_up(self, uniqueid: str) -> list[LiveNote]:
        """The agent's channel, or the caller's (the call is ending: its copies end with it)."""
        agent = self._callers.pop(uniqueid, uniqueid)
        talking = self.talking.pop(agent, None)
        if talking is None:
            return []
        self._callers.pop(talking.caller_uniqueid, None)
        return [HungUp(agent)]

    def is_talking(self, agent_uniqueid: str) -> bool:
        return agent_uniqueid in self.talking
