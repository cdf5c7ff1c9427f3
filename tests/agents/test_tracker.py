"""The agent tracker: agent and queue membership as one pure state machine beside the call
tracker, fed once by the ingest pipeline (recorded sandbox streams, tests/scenarios/*.ami).

The differential tests feed every recorded stream two ways: as before the tracker (each of the
three state machines given every raw event: the registry, the live stats, the event log) and
through the tracker's changes; the registry, the stats' snapshot and the event log's writes must
be the same."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from cti.agents.event_log import AgentEventLog
from cti.agents.feed import AgentFeed
from cti.agents.registry import MEMBER_EVENTS, REMOVED, AgentRegistry, Member
from cti.agents.tracker import (
    QUEUE_EVENTS,
    AgentChange,
    AgentTracker,
    Listed,
    Listing,
    ListingWanted,
    MemberLeft,
    MemberSet,
    QueueActivity,
)
from cti.ami.metrics import Counters
from cti.ami.recorded import load_events
from cti.ingest.pipeline import IngestPipeline
from cti.state.config import TrackerConfig
from cti.state.events import AmiEvent, Resync
from cti.state.records import CallEvent
from cti.state.tracker import Tracker
from cti.stats.calculator import QueueStats
from cti.stats.publisher import StatsPublisher

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
RECORDED = sorted(SCENARIOS.glob("*.ami"))
T = 1_700_000_000.0


def fixed_day(_now: float) -> float:
    return 0.0


class Offers:
    """Stands in for the event log's Stage: what it was offered, in order (no database)."""

    def __init__(self) -> None:
        self.items: list[Any] = []

    def offer(self, item: Any) -> None:
        self.items.extend((e.extension, e.queue, str(e.kind), e.reason, e.at) for e in item)


def event_log() -> tuple[AgentEventLog, Offers]:
    log = AgentEventLog(None, Counters())  # type: ignore[arg-type]  # never started: no writes
    offers = Offers()
    log.stage = offers  # type: ignore[assignment]
    return log, offers


class Bus:
    async def publish(self, *_args: object, **_kwargs: object) -> None:
        return None


def stream() -> list[AmiEvent]:
    """Every recorded stream, one after the other, as one long stream of a day."""
    return [event for path in RECORDED for event in load_events(path)]


def listing_replies() -> list[dict[str, str]]:
    """A QueueStatus answer as Asterisk gives it (params, members, a waiting caller)."""
    return [
        {"Event": "QueueParams", "Queue": "sales", "ServiceLevel": "30", "Calls": "1"},
        {"Event": "QueueMember", "Queue": "sales", "Name": "Bob Agent", "Location": "PJSIP/1002",
         "StateInterface": "PJSIP/1002", "Status": "1", "Paused": "1", "PausedReason": "lunch",
         "Membership": "static"},
        {"Event": "QueueMember", "Queue": "support", "Name": "Dan", "Location": "Local/1004@agents",
         "StateInterface": "PJSIP/1004", "Status": "6", "Paused": "0", "InCall": "0"},
        {"Event": "QueueEntry", "Queue": "sales", "Uniqueid": "9.1", "Linkedid": "9.1",
         "CallerIDNum": "0900123456", "Wait": "12"},
        {"Event": "QueueStatusComplete"},
    ]  # fmt: skip


def before(items: Iterable[AmiEvent | Listing]) -> tuple[list[Member], dict[str, Any], list[Any]]:
    """As the bridge did before the agent tracker: the three state machines each given every
    raw event (agents tap, stats tap, the event log hanging off the agents tap)."""
    registry, stats = AgentRegistry(), QueueStats(day_start=fixed_day)
    log, offers = event_log()
    last = 0.0
    for item in items:
        if isinstance(item, Listing):
            members = [
                Member.from_headers(e.headers) for e in item.events if e.name == "QueueMember"
            ]
            registry.replace(members)
            stats.apply_status(item.events, item.at)
            log.listing(members, at=item.at)
            continue
        if registry.apply(item):
            log.member_event(item)
        stats.apply(item)
        last = max(last, item.time)
    return registry.members(), stats.snapshot(last + 60), offers.items


def through_tracker(
    items: Iterable[AmiEvent | Listing],
) -> tuple[list[Member], dict[str, Any], list[Any], list[AgentChange]]:
    """The tracker applies each item once; the stats and the event log read its changes."""
    tracker, stats = AgentTracker(), QueueStats(day_start=fixed_day)
    publisher = StatsPublisher(stats, Bus())  # type: ignore[arg-type]
    log, offers = event_log()
    seen: list[AgentChange] = []
    last = 0.0
    for item in items:
        changes = tracker.apply(item)
        seen += changes
        publisher.changes(changes)
        log.changes(changes)
        if isinstance(item, AmiEvent):
            last = max(last, item.time)
    return tracker.members(), stats.snapshot(last + 60), offers.items, seen


def test_every_recorded_stream_gives_the_same_registry_stats_and_event_log() -> None:
    events = stream()
    assert len(events) > 5000
    assert any(e.name == "QueueMemberStatus" for e in events)
    members, snapshot, logged = before(events)
    t_members, t_snapshot, t_logged, changes = through_tracker(events)
    assert t_members == members
    assert members  # the agents of the sandbox's queues
    assert t_snapshot == snapshot
    assert {q["name"] for q in snapshot["queues"]} >= {"sales", "support"}
    assert t_logged == logged
    assert any(kind == "login" for _e, _q, kind, _r, _at in logged)
    assert any(kind == "pause" for _e, _q, kind, _r, _at in logged)  # QueueMemberPause recorded
    # one change per event the three read, none for the rest of the stream but the caller's
    # DialBegin or Hangup after each of the two recorded QueueCallerAbandons
    read = [e for e in events if e.name in {*MEMBER_EVENTS, REMOVED, *QUEUE_EVENTS}]
    settled = [c.event.name for c in changes if c.event.name in ("DialBegin", "Hangup")]  # type: ignore[union-attr]
    assert sorted(settled) == ["DialBegin", "Hangup"]
    assert len(changes) == len(read) + len(settled)


def test_a_listing_in_the_middle_of_the_streams_gives_the_same_too() -> None:
    events = stream()
    middle = len(events) // 2
    listing = Listing.of_replies(listing_replies(), events[middle].time)
    items: list[AmiEvent | Listing] = [*events[:middle], listing, *events[middle:]]
    members, snapshot, logged = before(items)
    t_members, t_snapshot, t_logged, changes = through_tracker(items)
    assert (t_members, t_snapshot, t_logged) == (members, snapshot, logged)
    listed = [c for c in changes if isinstance(c, Listed)]
    assert [m.interface for m in listed[0].members] == ["PJSIP/1002", "Local/1004@agents"]
    assert listed[0].members[1].state_interface == "PJSIP/1004"


def test_typed_changes_of_a_recorded_abandon() -> None:
    tracker = AgentTracker()
    events = load_events(SCENARIOS / "queue_abandoned.ami")
    changes = [(e, tracker.apply(e)) for e in events]
    abandon = next(e for e in events if e.name == "QueueCallerAbandon")
    caller = abandon.get("Uniqueid")
    activity = [e.name for e, c in changes if c and isinstance(c[0], QueueActivity)]
    # the caller joined, abandoned and hung up (the hang-up settles the abandon); nothing else
    assert activity == ["QueueCallerJoin", "QueueCallerAbandon", "QueueCallerLeave", "Hangup"]
    hangup = next(e for e, c in changes if c and e.name == "Hangup")
    assert hangup.get("Uniqueid") == caller
    other_hangups = [e for e, c in changes if e.name == "Hangup" and not c]
    assert other_hangups  # the agents' ringing channels' hang-ups are no queue activity
    assert all(
        e.name.startswith("QueueMember") for e, c in changes if c and isinstance(c[0], MemberSet)
    )


def test_a_timeout_is_settled_by_the_callers_next_dial() -> None:
    tracker = AgentTracker()
    events = load_events(SCENARIOS / "queue_timeout_fallback.ami")
    names = [e.name for e in events for c in tracker.apply(e) if isinstance(c, QueueActivity)]
    assert "QueueCallerAbandon" in names
    assert names[names.index("QueueCallerAbandon") + 1 :].count("DialBegin") == 1


def test_members_added_paused_removed_and_a_resync() -> None:
    tracker = AgentTracker()
    base = {"Queue": "support", "Interface": "PJSIP/1007", "MemberName": "Gina", "Status": "1"}
    added = AmiEvent("QueueMemberAdded", base, T)
    paused = AmiEvent("QueueMemberPause", base | {"Paused": "1", "PausedReason": "lunch"}, T)
    (set_,) = tracker.apply(added)
    assert isinstance(set_, MemberSet)
    assert (set_.member.name, set_.member.paused) == ("Gina", False)
    (pause,) = tracker.apply(paused)
    assert isinstance(pause, MemberSet)
    assert pause.member.pause_reason == "lunch"
    assert tracker.registry.of_interface("pjsip/1007")[0].paused
    (left,) = tracker.apply(AmiEvent("QueueMemberRemoved", base, T))
    assert isinstance(left, MemberLeft)
    assert (left.queue, left.interface) == ("support", "PJSIP/1007")
    assert tracker.members() == []
    resync = Resync((), (), T)
    assert tracker.apply(resync) == (ListingWanted(resync),)
    assert tracker.apply(AmiEvent("Newchannel", {"Uniqueid": "1.1"}, T)) == ()
    assert tracker.apply(AmiEvent("Hangup", {"Uniqueid": "1.1"}, T)) == ()


class QueueStatusAsterisk:
    """Answers QueueStatus as Asterisk does and counts the actions it was sent."""

    def __init__(self) -> None:
        self.actions: list[str] = []

    async def send_action(
        self, action: Mapping[str, str], *, as_list: bool | None = None
    ) -> list[dict[str, str]]:
        self.actions.append(action["Action"])
        return listing_replies()


async def test_the_pipeline_feeds_the_tracker_once_and_one_listing_reaches_every_sink() -> None:
    metrics = Counters()
    agents = AgentTracker()
    pipeline = IngestPipeline(Tracker(TrackerConfig()), metrics, agents)
    ami = QueueStatusAsterisk()
    feed = AgentFeed(agents.registry, ami, agents)
    feed.deliver_to(pipeline.feed_listing)
    stats = QueueStats(day_start=fixed_day)
    publisher = StatsPublisher(stats, Bus())  # type: ignore[arg-type]
    log, offers = event_log()
    calls: list[CallEvent] = []
    pipeline.add_listener(calls.extend)
    got: list[AgentChange] = []

    def broken(_changes: object) -> None:
        raise RuntimeError("a sink's bug")

    pipeline.add_agent_sink("broken", broken)
    pipeline.add_agent_sink("agents", feed.changes)
    pipeline.add_agent_sink("stats", publisher.changes)
    pipeline.add_agent_sink("agentlog", log.changes)
    pipeline.add_agent_sink("seen", got.extend)

    events = load_events(SCENARIOS / "queue_ringall_one_answers.ami")
    for event in events:
        pipeline.feed(event)
    assert calls  # the call tracker got the same events: a call rang, was answered, ended
    assert sum(isinstance(c, QueueActivity) for c in got) == sum(
        e.name.startswith(("QueueCaller", "AgentConnect", "AgentComplete")) for e in events
    )
    assert metrics.get("broken.errors") > 0  # counted, the other sinks still fed

    pipeline.feed(Resync((), (), T))  # a (re)connect: the listing reader sends QueueStatus
    await asyncio.wait_for(feed.refreshed.wait(), 5)
    assert ami.actions == ["QueueStatus"]  # one listing for the registry, stats and event log
    assert feed.refreshed.is_set()
    assert [m.interface for m in agents.members()] == ["PJSIP/1002", "Local/1004@agents"]
    sales = next(q for q in stats.snapshot(T)["queues"] if q["name"] == "sales")
    assert (sales["waiting"], sales["service_level_seconds"]) == (1, 30.0)
    assert ("1002", "sales", "pause", "lunch") in [item[:4] for item in offers.items]
