"""Open-call states in the database: a restarted bridge resumes its calls, never re-creates or
re-opens one, whatever order the state writer and the call log commit in."""

from __future__ import annotations

import json

from crm_core.services import Services
from cti.ami.metrics import Counters
from cti.ingest.calllog import CallLogWriter
from cti.ingest.tracking_store import TrackingStore
from cti.state.events import Resync
from cti.state.records import CallEnded, CallStarted
from cti.state.tracker import Tracker
from tests.state.scenarios import load

SCENARIO = "queue_ringall_one_answers"


def _feed(tracker: Tracker, events: list) -> list:  # type: ignore[type-arg]
    return [out for event in events for out in tracker.apply(event)]


async def test_restart_resumes_the_open_call_and_ends_it_once(services: Services) -> None:
    scenario = load(SCENARIO)
    events, half = scenario.events, len(scenario.events) // 2
    first = Tracker(scenario.config)
    store = TrackingStore(first, services.call_states, Counters())
    calllog = CallLogWriter(services, Counters())
    await calllog.handle(_feed(first, events[:half]))
    await store._save(first.take_changes())
    # killed here; a new process starts on the same database
    second = Tracker(scenario.config)
    assert await TrackingStore(second, services.call_states, Counters()).restore() == 1
    out = _feed(second, events[half:])
    assert not [e for e in out if isinstance(e, CallStarted)], "a resumed call is not new"
    [ended] = [e for e in out if isinstance(e, CallEnded)]
    await calllog.handle(out)
    control = [e for e in _feed(Tracker(scenario.config), events) if isinstance(e, CallEnded)]
    assert ended.call.answered_by == control[0].call.answered_by
    assert ended.call.agents_rang == control[0].call.agents_rang
    assert (await services.call_states.load()).states == [], "the end removed the state"


async def test_a_late_state_write_never_reopens_an_ended_call(services: Services) -> None:
    scenario = load(SCENARIO)
    tracker = Tracker(scenario.config)
    _feed(tracker, scenario.events[:10])
    stale = tracker.take_changes()  # taken while the call was open ...
    calllog = CallLogWriter(services, Counters())
    await calllog.handle(_feed(tracker, scenario.events[10:]))  # ... the call log ends it first
    await services.call_states.save(stale.open_calls, (), stale.clock)
    assert (await services.call_states.load()).states == []


async def test_a_record_left_open_without_state_is_closed_at_the_first_resync(
    services: Services,
) -> None:
    scenario = load(SCENARIO)
    tracker = Tracker(scenario.config)
    out = _feed(tracker, scenario.events[:12])
    await CallLogWriter(services, Counters()).handle(out)  # started, no state ever saved
    restarted = Tracker(scenario.config)
    assert await TrackingStore(restarted, services.call_states, Counters()).restore() == 1
    [ended] = [
        e for e in restarted.apply(Resync((), (), 1_800_000_000.0)) if isinstance(e, CallEnded)
    ]
    assert ended.call.reconstructed
    assert ended.call.direction == "inbound"
    assert ended.call.disposition is not None
    assert len(restarted) == 0


async def test_saved_state_round_trips_through_json(services: Services) -> None:
    scenario = load(SCENARIO)
    tracker = Tracker(scenario.config)
    _feed(tracker, scenario.events[:10])
    changes = tracker.take_changes()
    await services.call_states.save(changes.open_calls, (), changes.clock)
    stored = await services.call_states.load()
    assert stored.states == json.loads(json.dumps(list(changes.open_calls)))
    assert stored.clock == changes.clock
