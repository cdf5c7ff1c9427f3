"""The call tracker: `apply(event) -> list[CallEvent]`. Pure: no I/O, no clock."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from cti.state import bridging, channels, dialing, queues, transfers
from cti.state.config import TrackerConfig
from cti.state.durable import export_call, restore_call
from cti.state.events import AmiEvent, Resync
from cti.state.lifecycle import refresh
from cti.state.model import RINGING
from cti.state.records import CallEvent, CallRecord
from cti.state.registry import Registry
from cti.state.resync import apply_resync
from cti.state.snapshot import snapshot

Handler = Callable[[Registry, AmiEvent], None]

_HANDLERS: dict[str, Handler] = {
    "Newchannel": channels.on_newchannel,
    "NewCallerid": channels.on_newcallerid,
    "Hangup": channels.on_hangup,
    "Rename": channels.on_rename,
    "VarSet": channels.on_varset,
    "DialBegin": dialing.on_dial_begin,
    "DialEnd": dialing.on_dial_end,
    "DialState": dialing.on_dial_state,
    "BridgeEnter": bridging.on_bridge_enter,
    "BridgeLeave": bridging.on_bridge_leave,
    "BridgeMerge": bridging.on_bridge_merge,
    "QueueCallerJoin": queues.on_queue_caller_join,
    "QueueCallerAbandon": queues.on_queue_caller_abandon,
    "BlindTransfer": transfers.on_blind_transfer,
    "AttendedTransfer": transfers.on_attended_transfer,
    "Pickup": transfers.on_pickup,
}


@dataclass(frozen=True, slots=True)
class AgentCalls:
    """Linkedids of the calls ringing an agent's phone and of those it is on."""

    ringing: tuple[str, ...]
    active: tuple[str, ...]


class CallsOfAgent(Protocol):
    """What routing, click-to-call and the agent page ask of the tracker."""

    def agent_calls(self, agent: str) -> AgentCalls: ...

    def agents_on_calls(self) -> set[str]: ...


@dataclass(frozen=True, slots=True)
class TrackerChanges:
    """Since the last `take_changes`: the open calls that changed (exported), the calls gone,
    and the time of the last event applied (Asterisk's clock)."""

    open_calls: tuple[dict[str, Any], ...]
    gone: tuple[str, ...]
    clock: float


class Tracker:
    def __init__(self, config: TrackerConfig | None = None) -> None:
        self._reg = Registry(config or TrackerConfig())
        self._changed: set[str] = set()

    def apply(self, event: AmiEvent | Resync) -> list[CallEvent]:
        reg = self._reg
        reg.now = event.time
        if isinstance(event, Resync):
            apply_resync(reg, event)
        else:
            self._follow_channel(event)
            handler = _HANDLERS.get(event.name)
            if handler is not None:
                handler(reg, event)
        for call in reg.touched.values():
            refresh(reg, call)
        self._changed.update(reg.touched)
        reg.touched.clear()
        out, reg.out = reg.out, []
        return out

    def _follow_channel(self, event: AmiEvent) -> None:
        """Every event carries the channel's current snapshot; keep ours in step with it."""
        reg = self._reg
        channel = reg.channel(event)
        if channel is None:
            return
        linkedid = event.get("Linkedid")
        if linkedid and linkedid != channel.linkedid:
            reg.move(channel, linkedid)  # silent Linkedid switch (SIP REFER with Replaces)
        state = event.get("ChannelState")
        if state and state != channel.state:
            channel.state = state
            reg.touch(reg.call_of(channel))
        exten = event.get("Exten")
        if exten:
            channel.exten = exten

    @property
    def changed(self) -> bool:
        return bool(self._changed)

    @property
    def last_event_at(self) -> float:
        return self._reg.now

    def take_changes(self) -> TrackerChanges:
        calls, changed = self._reg.calls, sorted(self._changed)
        self._changed = set()
        open_calls = tuple(export_call(self._reg, calls[i]) for i in changed if i in calls)
        gone = tuple(linkedid for linkedid in changed if linkedid not in calls)
        return TrackerChanges(open_calls, gone, self._reg.now)

    def restore(self, states: Iterable[dict[str, Any]], clock: float = 0.0) -> int:
        """Calls exported before a restart, put back before the first AMI event; how many."""
        restored = [call for call in map(self._restore_one, states) if call is not None]
        self._reg.now = max(self._reg.now, clock)
        self._reg.touched.clear()
        return len(restored)

    def _restore_one(self, state: dict[str, Any]) -> object | None:
        try:
            return restore_call(self._reg, state)
        except (KeyError, TypeError, ValueError):
            return None

    def active_calls(self) -> list[CallRecord]:
        calls = self._reg.calls.values()
        return [snapshot(call) for call in calls if call.started and not call.suppressed]

    def agent_calls(self, agent: str) -> AgentCalls:
        ringing: list[str] = []
        active: list[str] = []
        for channel in self._reg.channels.values():
            if channel.agent == agent:
                bucket = ringing if channel.state == RINGING else active
                if channel.linkedid not in bucket:
                    bucket.append(channel.linkedid)
        return AgentCalls(tuple(ringing), tuple(active))

    def agents_on_calls(self) -> set[str]:
        """Agents whose phone rings or is on a call, queue member or not."""
        return {c.agent for c in self._reg.channels.values() if c.agent}

    def __len__(self) -> int:
        return len(self._reg.calls)
