"""The calculator on recorded AMI streams from the sandbox (golden input)."""

from __future__ import annotations

import pytest

from tests.stats.helpers import agent_view, calculator, queue_view, recorded

QUEUE_SCENARIOS = [
    "queue_ringall_one_answers",
    "queue_abandoned",
    "queue_timeout_fallback",
    "queue_answered_first_agent",
]


def test_all_queue_scenarios_give_todays_figures() -> None:
    stats = calculator()
    last = 0.0
    for name in QUEUE_SCENARIOS:
        for event in recorded(name):
            stats.apply(event)
            last = max(last, event.time)
    snapshot = stats.snapshot(last + 30)

    sales = queue_view(snapshot, "sales")
    assert (sales["offered"], sales["answered"], sales["abandoned"]) == (3, 1, 1)
    assert sales["timed_out"] == 1
    assert sales["waiting"] == 0
    assert sales["sl"] == 1.0  # answered after ~3 s, threshold 20 s
    assert sales["sl2"] == 1.0  # the abandon after 6 s was within 20 s too
    assert sales["abandon_rate"] == 0.5
    assert sales["asa"] == pytest.approx(3.0, abs=0.05)  # join -> AgentConnect, from timestamps
    assert sales["aht"] == 4.0  # TalkTime, no wrap-up in sales

    support = queue_view(snapshot, "support")
    assert (support["offered"], support["answered"], support["abandoned"]) == (1, 1, 0)
    assert support["asa"] == pytest.approx(2.0, abs=0.05)
    assert support["aht"] == 14.0  # 4 s talk + 10 s wrap-up

    bob = agent_view(snapshot, "1002")
    assert (bob["handled"], bob["talk_seconds"], bob["state"]) == (1, 4.0, "available")
    assert bob["name"] == "Bob Agent"
    assert agent_view(snapshot, "1004")["handled"] == 1


def test_replaying_a_stream_twice_counts_each_call_once() -> None:
    stats = calculator()
    events = recorded("queue_ringall_one_answers")
    for event in [*events, *events]:
        stats.apply(event)
    sales = queue_view(stats.snapshot(events[-1].time), "sales")
    assert (sales["offered"], sales["answered"]) == (1, 1)
    assert agent_view(stats.snapshot(events[-1].time), "1002")["handled"] == 1


def test_ringing_then_on_call_during_a_recorded_call() -> None:
    stats = calculator()
    events = recorded("queue_ringall_one_answers")
    connect_at = next(e for e in events if e.name == "AgentConnect").time
    for event in events:
        if event.time > connect_at + 0.01:
            break
        stats.apply(event)
    snapshot = stats.snapshot(connect_at + 1)
    bob = agent_view(snapshot, "1002")
    assert bob["state"] == "on_call"
    assert bob["linkedid"] == events[0].get("Linkedid") or bob["linkedid"]
    sales = queue_view(snapshot, "sales")
    assert sales["agents"]["on_call"] == 1
    assert sales["agents"]["available"] == 2
    assert sales["agents"]["logged_in"] == 3


def test_a_queue_timeout_to_the_fallback_is_not_an_abandon() -> None:
    stats = calculator()
    events = recorded("queue_timeout_fallback")
    for event in events:
        stats.apply(event)
    sales = queue_view(stats.snapshot(events[-1].time), "sales")
    assert (sales["offered"], sales["answered"], sales["abandoned"], sales["timed_out"]) == (
        1, 0, 0, 1,
    )  # fmt: skip
    assert sales["sl2"] is None  # nothing answered or abandoned: no ratio, not 0 %
