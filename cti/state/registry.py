"""Channels, bridges and calls, and the moves between them. Handlers work through this."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable

from cti.state.config import TrackerConfig
from cti.state.events import AmiEvent
from cti.state.model import Call, Channel
from cti.state.records import CallEvent


class Registry:
    def __init__(self, config: TrackerConfig) -> None:
        self.config = config
        self.channels: dict[str, Channel] = {}
        self.names: dict[str, str] = {}
        self.calls: dict[str, Call] = {}
        self.bridges: dict[str, set[str]] = {}
        self.touched: dict[str, Call] = {}
        self.out: list[CallEvent] = []
        # calls gone without a record (see lifecycle._end), until the tracking store takes them
        self.dropped: deque[str] = deque(maxlen=10_000)
        self.now = 0.0

    # -- lookup --------------------------------------------------------------------------
    def channel(self, event: AmiEvent, prefix: str = "") -> Channel | None:
        uid = event.get(f"{prefix}Uniqueid")
        if uid:
            return self.channels.get(uid)
        name = event.get(f"{prefix}Channel")
        return self.by_name(name)

    def by_name(self, name: str) -> Channel | None:
        uid = self.names.get(name)
        return None if uid is None else self.channels.get(uid)

    def call_of(self, channel: Channel | None) -> Call | None:
        return None if channel is None else self.calls.get(channel.linkedid)

    def touch(self, call: Call | None) -> None:
        if call is not None:
            self.touched[call.linkedid] = call

    # -- channels ------------------------------------------------------------------------
    def add_channel(self, uid: str, name: str, linkedid: str) -> Channel:
        agent = self.config.agent_of(name)
        channel = Channel(uid, name, linkedid, agent, self.config.is_party(name))
        self.channels[uid] = channel
        self.names[name] = uid
        self._join_call(channel)
        return channel

    def rename(self, channel: Channel, new_name: str) -> None:
        if self.names.get(channel.name) == channel.uid:
            del self.names[channel.name]
        channel.name = new_name
        channel.agent = self.config.agent_of(new_name)
        channel.party = self.config.is_party(new_name)
        self.names[new_name] = channel.uid
        self.touch(self.call_of(channel))

    def remove_channel(self, channel: Channel) -> None:
        self.leave_bridge(channel)
        self.channels.pop(channel.uid, None)
        if self.names.get(channel.name) == channel.uid:
            del self.names[channel.name]
        call = self.call_of(channel)
        if call is not None:
            call.channels.pop(channel.uid, None)
            self.touch(call)

    def move(self, channel: Channel, linkedid: str) -> None:
        """Asterisk changed the channel's Linkedid (transfers): it now belongs to another call."""
        old = self.call_of(channel)
        if old is not None:
            old.channels.pop(channel.uid, None)
            if not old.channels and not old.started:
                # A phone's dial taken over by another call before anyone was called (an
                # agent dialling a parking space joins the parked caller's call).
                old.suppressed = True
            self.touch(old)
        channel.linkedid = linkedid
        self._join_call(channel)

    def _join_call(self, channel: Channel) -> None:
        call = self.calls.get(channel.linkedid)
        if call is None:
            call = self.calls[channel.linkedid] = Call(channel.linkedid, self.now)
        call.channels[channel.uid] = None
        if call.caller_uid is None and channel.party:
            call.caller_uid = channel.uid
        self.touch(call)

    # -- bridges -------------------------------------------------------------------------
    def enter_bridge(self, channel: Channel, bridge: str) -> None:
        if channel.bridge != bridge:
            self.leave_bridge(channel)
        channel.bridge = bridge
        self.bridges.setdefault(bridge, set()).add(channel.uid)
        self.touch(self.call_of(channel))

    def leave_bridge(self, channel: Channel) -> None:
        members = self.bridges.get(channel.bridge) if channel.bridge else None
        if members is not None:
            members.discard(channel.uid)
            if not members:
                del self.bridges[channel.bridge]  # type: ignore[arg-type]
        channel.bridge = None

    def connected_parties(self, start: Channel, exclude: Iterable[str] = ()) -> list[Channel]:
        """Parties reachable from `start` through bridges and Local pairs (plumbing), in order."""
        seen, frontier = {start.uid, *exclude}, [start]
        found: list[Channel] = []
        while frontier:
            for neighbour in self._neighbours(frontier.pop(0)):
                if neighbour.uid in seen:
                    continue
                seen.add(neighbour.uid)
                (found if neighbour.party else frontier).append(neighbour)
        return found

    def _neighbours(self, channel: Channel) -> list[Channel]:
        uids = sorted(self.bridges.get(channel.bridge, ())) if channel.bridge else []
        partner = channel.local_partner_name() if channel.local else None
        if partner is not None and partner in self.names:
            uids.append(self.names[partner])
        return [self.channels[uid] for uid in uids if uid in self.channels]
