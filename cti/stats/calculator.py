"""QueueStats: the pure calculator. Feed it AMI events in order; ask it for a snapshot."""

from __future__ import annotations

from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from cti.state.events import AmiEvent
from cti.stats.agents import agent_view, derive, extension_of, member_state, track_pause
from cti.stats.day import local_day_start
from cti.stats.figures import day_figures
from cti.stats.model import Agent, AgentState, Member, QueueDay, QueueLive, Waiting
from cti.stats.queue_config import QueueConfig, parameters_view

Handler = Callable[["QueueStats", AmiEvent, float], None]
_RECENT_JOINS = 2000
_CALLER_NEXT = frozenset({"DialBegin", "Hangup"})


def _num(event: AmiEvent, key: str) -> float:
    try:
        return float(event.get(key) or 0)
    except ValueError:
        return 0.0


class QueueStats:
    def __init__(
        self,
        wrapup: Mapping[str, float] | None = None,
        day_start: Callable[[float], float] = local_day_start,
        calls_of: Callable[[str], tuple[str, ...]] = lambda _extension: (),
        config: QueueConfig | None = None,
    ) -> None:
        # what AMI does not report (queue wrap-up), or reports only once asked (threshold)
        self.config = config or QueueConfig.of_wrapup(wrapup or {})
        self.wrapup = self.config.wrapup
        # the calls an agent's phone is on, queue or not (the call tracker knows them all)
        self.calls_of = calls_of
        self._day_start_of = day_start
        self.day_start = 0.0
        self.days: dict[str, QueueDay] = defaultdict(QueueDay)
        self.live: dict[str, QueueLive] = defaultdict(QueueLive)
        for queue, level in self.config.service_level.items():
            self.live[queue].service_level = level
        self.agents: dict[str, Agent] = {}
        # the CRM's display name per extension (StatsRuntime reads it); None until first read
        self.directory: dict[str, str] | None = None
        # callers who left a queue with the call-back key, their places kept (the dialler sets it)
        self.virtual: dict[str, list[dict[str, Any]]] = {}
        self._joins: OrderedDict[tuple[str, str], float] = OrderedDict()
        # QueueCallerAbandon also fires when Queue() times out: it is an abandon only if the
        # caller's channel hangs up next, a timeout if it goes on to dial someone (the fallback).
        self.pending: dict[
            str, tuple[str, str, float]
        ] = {}  # caller uniqueid -> (queue, lid, wait)

    # -- input ------------------------------------------------------------------------------
    def apply(self, event: AmiEvent) -> bool:
        """Apply one event; True when it changed something a supervisor sees."""
        handler = _HANDLERS.get(event.name)
        if handler is None:
            return False
        if event.name in _CALLER_NEXT and event.get("Uniqueid") not in self.pending:
            return False
        now = event.time
        self._roll_day(now)
        handler(self, event, now)
        return True

    def apply_status(self, events: Iterable[AmiEvent], now: float) -> None:
        """A QueueStatus listing: replaces waiting callers and members of the queues it names."""
        self._roll_day(now)
        listed = list(events)
        for queue in {e.get("Queue") for e in listed if e.name == "QueueParams"}:
            self.live[queue].waiting.clear()
            self.live[queue].members.clear()
        for event in listed:
            if event.name == "QueueParams":
                self._params(event)
            elif event.name == "QueueMember":
                self._member(event, now)
            elif event.name == "QueueEntry":
                self._entry(event, now)
        self.refresh(now)

    def seed(self, queue: str, calls: Iterable[tuple[str, str | None, str, float, float]]) -> None:
        """Today's stored calls of `queue`: (linkedid, disposition, answered_by, wait, talk)."""
        day = self.days[queue]
        for linkedid, disposition, agent, wait, talk in calls:
            day.offered.add(linkedid)
            if disposition == "answered":
                day.answered.setdefault(linkedid, wait)
                day.talk.setdefault(linkedid, talk)
                self._count_handled(agent, linkedid, talk)
            elif disposition == "abandoned":
                day.abandoned.setdefault(linkedid, wait)

    def start_day(self, now: float) -> float:
        self._roll_day(now)
        return self.day_start

    # -- output -----------------------------------------------------------------------------
    def refresh(self, now: float) -> None:
        """Re-derive every agent's state (wrap-up ends by the clock, not by an event)."""
        for extension, agent in self.agents.items():
            state = derive(self._memberships(extension).values(), agent, now)
            if state is not agent.state:
                agent.state, agent.since = state, now

    def snapshot(self, now: float) -> dict[str, Any]:
        self.refresh(now)
        names = sorted(set(self.days) | set(self.live) | set(self.virtual))
        return {
            "type": "snapshot",
            "at": now,
            "day_start": self.day_start,
            "queues": [self._queue_view(name, now) for name in names],
            "agents": [
                agent_view(agent, self._memberships(ext), now, self.calls_of(ext), self.directory)
                for ext, agent in sorted(self.agents.items())
            ],
        }

    def _queue_view(self, name: str, now: float) -> dict[str, Any]:
        live, threshold = self.live[name], self.live[name].service_level
        waits = sorted(now - w.joined_at for w in live.waiting.values())
        counts = {str(state): 0 for state in AgentState} | {"logged_in": 0}
        for extension, member in live.members.items():
            state = member_state(member, self._agent(extension, now))
            counts[str(state)] += 1
            counts["logged_in"] += state is not AgentState.OFFLINE
        return {
            "name": name,
            **parameters_view(name, live, self.config),
            "waiting": len(waits),
            "longest_wait": waits[-1] if waits else 0.0,
            "callers": [
                {"linkedid": w.linkedid, "caller": w.caller, "waited": now - w.joined_at}
                for w in sorted(live.waiting.values(), key=lambda w: w.joined_at)
            ],
            "virtual_callers": list(self.virtual.get(name, ())),
            "agents": counts,
            "paused_reasons": sorted({m.reason for m in live.members.values() if m.paused}),
            "asterisk": dict(live.asterisk),
            **day_figures(self.days[name], threshold, self.wrapup.get(name, 0.0)),
        }

    # -- helpers ----------------------------------------------------------------------------
    def _roll_day(self, now: float) -> None:
        start = self._day_start_of(now)
        if start <= self.day_start:
            return
        self.day_start = start
        self.days.clear()
        for agent in self.agents.values():
            agent.handled, agent.talk_seconds, agent.pause_seconds = 0, 0.0, 0.0
            agent.counted.clear()
            if agent.paused_since is not None:
                agent.paused_since = max(agent.paused_since, start)

    def _agent(self, extension: str, now: float, name: str = "") -> Agent:
        agent = self.agents.get(extension)
        if agent is None:
            agent = self.agents[extension] = Agent(extension, name, since=now)
        if name:
            agent.name = name
        return agent

    def _memberships(self, extension: str) -> dict[str, Member]:
        return {
            q: live.members[extension] for q, live in self.live.items() if extension in live.members
        }

    def wrapup_after(self, queue: str, extension: str) -> float:
        """The wrap-up Asterisk gives `extension` after a call of `queue`: the member's own if
        it has one, else the queue's."""
        member = self.live[queue].members.get(extension)
        return (member.wrapup if member else 0.0) or self.wrapup.get(queue, 0.0)

    def _count_handled(self, extension: str, linkedid: str, talk: float) -> None:
        if not extension:
            return
        agent = self.agents.get(extension) or self._agent(extension, self.day_start)
        if linkedid not in agent.counted:
            agent.counted.add(linkedid)
            agent.handled += 1
            agent.talk_seconds += talk

    def _params(self, event: AmiEvent) -> None:
        live = self.live[event.get("Queue")]
        live.asterisk = dict(event.headers)
        live.service_level = _num(event, "ServiceLevel") or live.service_level

    def _member(self, event: AmiEvent, now: float) -> None:
        interface = event.get("Interface") or event.get("Location")
        extension = extension_of(interface)
        agent = self._agent(extension, now, event.get("MemberName") or event.get("Name"))
        agent.interface = interface or agent.interface
        member = self.live[event.get("Queue")].members.setdefault(extension, Member())
        member.status = int(_num(event, "Status"))
        member.paused = event.get("Paused") == "1"
        member.reason = event.get("PausedReason") if member.paused else ""
        member.in_call = event.get("InCall") == "1"
        member.wrapup = _num(event, "Wrapuptime")
        track_pause(agent, any(m.paused for m in self._memberships(extension).values()), now)

    def _entry(self, event: AmiEvent, now: float) -> None:
        queue, uniqueid = event.get("Queue"), event.get("Uniqueid")
        linkedid = event.get("Linkedid") or uniqueid
        joined = now - _num(event, "Wait")
        self.live[queue].waiting[uniqueid] = Waiting(linkedid, event.get("CallerIDNum"), joined)
        self.days[queue].offered.add(linkedid)
        self._remember_join(queue, uniqueid, joined)

    def _remember_join(self, queue: str, uniqueid: str, joined: float) -> None:
        self._joins[(queue, uniqueid)] = joined
        while len(self._joins) > _RECENT_JOINS:
            self._joins.popitem(last=False)

    def _wait(self, event: AmiEvent, now: float) -> float:
        joined = self._joins.pop((event.get("Queue"), event.get("Uniqueid")), None)
        return now - joined if joined is not None else _num(event, "HoldTime")


def _caller_join(stats: QueueStats, event: AmiEvent, now: float) -> None:
    stats._entry(event, now)


def _caller_leave(stats: QueueStats, event: AmiEvent, now: float) -> None:
    stats.live[event.get("Queue")].waiting.pop(event.get("Uniqueid"), None)


def _abandon(stats: QueueStats, event: AmiEvent, now: float) -> None:
    queue, linkedid = event.get("Queue"), event.get("Linkedid") or event.get("Uniqueid")
    stats.days[queue].offered.add(linkedid)
    stats.pending[event.get("Uniqueid")] = (queue, linkedid, stats._wait(event, now))


def _caller_goes_on(stats: QueueStats, event: AmiEvent, now: float) -> None:
    pending = stats.pending.pop(event.get("Uniqueid"), None)
    if pending is not None:
        queue, linkedid, _wait = pending
        stats.days[queue].timed_out.add(linkedid)


def _caller_hangup(stats: QueueStats, event: AmiEvent, now: float) -> None:
    pending = stats.pending.pop(event.get("Uniqueid"), None)
    if pending is not None:
        queue, linkedid, wait = pending
        stats.days[queue].abandoned.setdefault(linkedid, wait)


def _connect(stats: QueueStats, event: AmiEvent, now: float) -> None:
    day = stats.days[event.get("Queue")]
    linkedid = event.get("Linkedid") or event.get("Uniqueid")
    day.offered.add(linkedid)
    day.answered.setdefault(linkedid, stats._wait(event, now))
    agent = stats._agent(extension_of(event.get("Interface")), now, event.get("MemberName"))
    agent.linkedid = linkedid
    stats.refresh(now)


def _complete(stats: QueueStats, event: AmiEvent, now: float) -> None:
    queue, linkedid = event.get("Queue"), event.get("Linkedid") or event.get("Uniqueid")
    day, talk = stats.days[queue], _num(event, "TalkTime")
    day.offered.add(linkedid)
    day.answered.setdefault(linkedid, _num(event, "HoldTime"))
    day.talk.setdefault(linkedid, talk)
    extension = extension_of(event.get("Interface"))
    stats._count_handled(extension, linkedid, talk)
    agent = stats._agent(extension, now)
    agent.linkedid = None
    agent.wrapup_until = now + stats.wrapup_after(queue, extension)
    stats.refresh(now)


def _member_event(stats: QueueStats, event: AmiEvent, now: float) -> None:
    stats._member(event, now)
    stats.refresh(now)


def _removed(stats: QueueStats, event: AmiEvent, now: float) -> None:
    extension = extension_of(event.get("Interface"))
    stats.live[event.get("Queue")].members.pop(extension, None)
    if extension in stats.agents:
        paused = any(m.paused for m in stats._memberships(extension).values())
        track_pause(stats.agents[extension], paused, now)
    stats.refresh(now)


def _pause(stats: QueueStats, event: AmiEvent, now: float) -> None:
    extension = extension_of(event.get("Interface"))
    member = stats.live[event.get("Queue")].members.setdefault(extension, Member())
    member.paused = event.get("Paused") == "1"
    member.reason = (event.get("PausedReason") or event.get("Reason")) if member.paused else ""
    paused = any(m.paused for m in stats._memberships(extension).values())
    track_pause(stats._agent(extension, now, event.get("MemberName")), paused, now)
    stats.refresh(now)


def _params(stats: QueueStats, event: AmiEvent, now: float) -> None:
    stats._params(event)


_HANDLERS: dict[str, Handler] = {
    "QueueCallerJoin": _caller_join,
    "QueueCallerLeave": _caller_leave,
    "QueueCallerAbandon": _abandon,
    "AgentConnect": _connect,
    "AgentComplete": _complete,
    "QueueMemberStatus": _member_event,
    "QueueMemberAdded": _member_event,
    "QueueMember": _member_event,
    "QueueMemberRemoved": _removed,
    "QueueMemberPause": _pause,
    "QueueParams": _params,
    "QueueEntry": _caller_join,
    "DialBegin": _caller_goes_on,
    "Hangup": _caller_hangup,
}
