"""The call tracker: `apply(event) -> list[CallEvent]`. Pure: no I/O, no clock."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from cti.state import bridging, channels, dialing, parking, queues, transfers
from cti.state.config import TrackerConfig
from cti.state.durable import export_call, restore_call
from cti.state.events import REPLAY_HEADER, AmiEvent, Resync
from cti.state.lifecycle import refresh
from cti.state.model import RINGING, Call
from cti.state.records import SETTLED_FROM_LOG, CallEnded, CallEvent, CallRecord
from cti.state.registry import Registry
from cti.state.resync import apply_resync
from cti.state.snapshot import snapshot

Handler = Callable[[Registry, AmiEvent], None]
RECENTLY_ENDED = 5_000

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
    "ParkedCall": parking.on_parked_call,
    "UnParkedCall": parking.on_unparked_call,
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
    """Since the last `take_changes`: the open calls that changed (exported), the calls that
    went away without a record (a pickup's helper, a never-started originate), and the time of
    the last event applied (Asterisk's clock). A call that ended with a record is in neither:
    storing its end is what forgets it."""

    open_calls: tuple[dict[str, Any], ...]
    dropped: tuple[str, ...]
    clock: float


def _mark_settled(calls: Iterable[Call]) -> None:
    for call in calls:
        call.reconstructed = True
        call.note = call.note or SETTLED_FROM_LOG


class Tracker:
    def __init__(self, config: TrackerConfig | None = None) -> None:
        self._reg = Registry(config or TrackerConfig())
        self._changed: set[str] = set()
        self._clock = 0.0  # Asterisk's time of the last event that changed a call
        self._recently_ended: deque[str] = deque(maxlen=RECENTLY_ENDED)

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
            if event.get(REPLAY_HEADER):
                _mark_settled(reg.touched.values())
        for call in reg.touched.values():
            refresh(reg, call)
        if reg.touched:
            self._clock = max(self._clock, reg.now)
        self._changed.update(linkedid for linkedid in reg.touched if linkedid in reg.calls)
        reg.touched.clear()
        out, reg.out = reg.out, []
        for ended in (e for e in out if isinstance(e, CallEnded)):
            self._recently_ended.append(ended.call.linkedid)
            self._changed.discard(ended.call.linkedid)
        return out

    def _follow_channel(self, event: AmiEvent) -> None:
        """Every event carries the channel's current snapshot; keep ours in step with it."""
        reg = self._reg
        channel = reg.channel(event)
        if channel is None:
            return
        linkedid = event.get("Linkedid")
        if linkedid and linkedid not in (channel.linkedid, channel.left_linkedid):
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
        """Asterisk's time of the last event that changed a call: the PBX's log after it is
        news to the tracker. (Replies to actions carry our clock and change no call.)"""
        return self._clock

    def take_changes(self) -> TrackerChanges:
        calls, changed = self._reg.calls, sorted(self._changed)
        self._changed = set()
        open_calls = tuple(export_call(self._reg, calls[i]) for i in changed if i in calls)
        dropped = tuple(self._reg.dropped)
        self._reg.dropped.clear()
        return TrackerChanges(open_calls, dropped, self._clock)

    def recently_ended(self) -> set[str]:
        """Linkedids of the last RECENTLY_ENDED calls ended (in memory only)."""
        return set(self._recently_ended)

    def restore(self, states: Iterable[dict[str, Any]], clock: float = 0.0) -> int:
        """Calls exported before a restart, put back before the first AMI event; how many."""
        restored = [call for call in map(self._restore_one, states) if call is not None]
        self._reg.now = max(self._reg.now, clock)
        self._clock = max(self._clock, clock)
        self._reg.touched.clear()
        return len(restored)

    def _restore_one(self, state: dict[str, Any]) -> object | None:
        try:
            return restore_call(self._reg, state)
        except (KeyError, TypeError, ValueError):
            return None

    def open_linkedids(self) -> set[str]:
        return set(self._reg.calls)

    def callers(self) -> dict[str, tuple[str, str, str]]:
        """Open calls' callers: linkedid -> (uniqueid, channel name, exten)."""
        found = {}
        for linkedid, call in self._reg.calls.items():
            caller = self._reg.channels.get(call.caller_uid or "")
            if caller is not None:
                found[linkedid] = (caller.uid, caller.name, caller.exten)
        return found

    def callback_calls(self) -> dict[str, str]:
        """Open queue call-back calls: the linkedid they call back -> their own linkedid."""
        return {c.callback_of: c.linkedid for c in self._reg.calls.values() if c.callback_of}

    def channel_names(self) -> dict[str, str]:
        return {uid: channel.name for uid, channel in self._reg.channels.items()}

    def unrung_dialled(self) -> dict[str, str]:
        """Parties dialled by a call's caller that have not rung yet: uniqueid -> linkedid."""
        found = {}
        for linkedid, call in self._reg.calls.items():
            for uid in call.channels:
                channel = self._reg.channels.get(uid)
                if channel and channel.party and uid != call.caller_uid and channel.state == "0":
                    found[uid] = linkedid
        return found

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
