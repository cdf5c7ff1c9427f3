"""The calculator on synthetic event streams: formulas, agent states, QueueStatus rebuild."""

from __future__ import annotations

import pytest

from cti.state.events import AmiEvent
from cti.stats.calculator import QueueStats
from tests.stats.helpers import (
    abandon,
    agent_view,
    calculator,
    complete,
    connect,
    event,
    join,
    leave,
    member,
    queue_view,
)


def hangup(linkedid: str, at: float) -> AmiEvent:
    return event("Hangup", at, Uniqueid=linkedid, Linkedid=linkedid)


def test_service_level_counts_waits_up_to_the_threshold() -> None:
    stats = calculator()
    # answered after 10 s, 20 s (within: <= 20) and 30 s; abandoned after 5 s and 25 s
    for i, wait in enumerate([10, 20, 30]):
        lid = f"a{i}"
        at = 100 + wait
        for e in [
            join("sales", lid, 100),
            leave("sales", lid, at),
            connect("sales", lid, "1001", at),
        ]:
            stats.apply(e)
        stats.apply(complete("sales", lid, "1001", 200, 60))
    for i, wait in enumerate([5, 25]):
        lid = f"b{i}"
        for e in [
            join("sales", lid, 100),
            abandon("sales", lid, 100 + wait),
            hangup(lid, 100 + wait),
        ]:
            stats.apply(e)
    sales = queue_view(stats.snapshot(300), "sales")
    assert (sales["offered"], sales["answered"], sales["abandoned"]) == (5, 3, 2)
    assert sales["sl"] == pytest.approx(2 / 3)
    assert sales["sl2"] == pytest.approx(3 / 5)
    assert sales["abandon_rate"] == pytest.approx(2 / 5)
    assert sales["asa"] == pytest.approx(20.0)  # the plain mean of 10, 20, 30
    assert sales["aht"] == pytest.approx(60.0)


def test_threshold_comes_from_queue_params() -> None:
    stats = calculator()
    stats.apply(event("QueueParams", 1, Queue="sales", ServiceLevel="5"))
    for e in [join("sales", "x", 10), connect("sales", "x", "1001", 16)]:
        stats.apply(e)
    sales = queue_view(stats.snapshot(20), "sales")
    assert (sales["service_level_seconds"], sales["sl"]) == (5.0, 0.0)


def test_waiting_callers_and_longest_wait() -> None:
    stats = calculator()
    for e in [join("support", "c1", 100), join("support", "c2", 130), join("support", "c3", 140)]:
        stats.apply(e)
    stats.apply(leave("support", "c2", 150))
    support = queue_view(stats.snapshot(160), "support")
    assert (support["waiting"], support["longest_wait"]) == (2, 60.0)


def test_agent_pause_with_reason_and_pause_time() -> None:
    stats = calculator()
    stats.apply(member("sales", "1001", 100))
    stats.apply(event("QueueMemberPause", 110, Queue="sales", Interface="PJSIP/1001",
                      MemberName="Alice", Paused="1", PausedReason="lunch"))  # fmt: skip
    snapshot = stats.snapshot(140)
    alice = agent_view(snapshot, "1001")
    assert (alice["state"], alice["paused_reason"], alice["seconds_in_state"]) == (
        "paused", "lunch", 30.0,
    )  # fmt: skip
    assert queue_view(snapshot, "sales")["agents"]["paused"] == 1
    stats.apply(event("QueueMemberPause", 170, Queue="sales", Interface="PJSIP/1001", Paused="0"))
    alice = agent_view(stats.snapshot(180), "1001")
    assert (alice["state"], alice["pause_seconds"]) == ("available", 60.0)


def test_wrap_up_after_a_support_call_then_available() -> None:
    stats = calculator()
    stats.apply(member("support", "1004", 100))
    for e in [join("support", "s1", 100), connect("support", "s1", "1004", 102),
              member("support", "1004", 102, status=2)]:  # fmt: skip
        stats.apply(e)
    assert agent_view(stats.snapshot(105), "1004")["linkedid"] == "s1"
    assert agent_view(stats.snapshot(105), "1004")["state"] == "on_call"
    stats.apply(complete("support", "s1", "1004", 110, 8))
    stats.apply(member("support", "1004", 110, status=1))
    snapshot = stats.snapshot(115)
    assert agent_view(snapshot, "1004")["state"] == "wrapup"
    assert queue_view(snapshot, "support")["agents"]["wrapup"] == 1
    assert agent_view(stats.snapshot(121), "1004")["state"] == "available"


def test_queue_status_after_reconnect_rebuilds_live_state_not_counters() -> None:
    stats = calculator()
    for e in [
        join("sales", "old", 10),
        connect("sales", "old", "1001", 12),
        member("sales", "1001", 12, status=2),
    ]:
        stats.apply(e)
    listing = [
        event("QueueParams", 0, Queue="sales", ServiceLevel="20", Calls="1", Completed="7"),
        event(
            "QueueMember",
            0,
            Queue="sales",
            Location="PJSIP/1002",
            Name="Bob",
            Status="1",
            Paused="1",
            PausedReason="training",
            InCall="0",
        ),
        event(
            "QueueEntry",
            0,
            Queue="sales",
            Uniqueid="w1",
            Linkedid="w1",
            Wait="42",
            CallerIDNum="+420601000002",
        ),
    ]
    stats.apply_status(listing, 1000)
    snapshot = stats.snapshot(1000)
    sales = queue_view(snapshot, "sales")
    assert (sales["waiting"], sales["longest_wait"]) == (1, 42.0)
    assert (sales["offered"], sales["answered"]) == (2, 1)  # kept, and the waiting one added
    assert (sales["agents"]["paused"], sales["agents"]["logged_in"]) == (1, 1)
    assert agent_view(snapshot, "1002")["paused_reason"] == "training"
    assert sales["asterisk"]["Completed"] == "7"


def test_a_new_day_starts_from_zero() -> None:
    stats = QueueStats(day_start=lambda now: now - now % 86_400)
    for e in [join("sales", "d1", 86_000), connect("sales", "d1", "1001", 86_010)]:
        stats.apply(e)
    stats.apply(join("sales", "d2", 86_500))
    sales = queue_view(stats.snapshot(86_600), "sales")
    assert (sales["offered"], sales["answered"]) == (1, 0)


def test_a_direct_call_is_the_agents_current_call_too() -> None:
    phones = {"1002": ("direct-1",)}
    stats = QueueStats(day_start=lambda now: 0.0, calls_of=lambda ext: phones.get(ext, ()))
    stats.apply(member("sales", "1001", 10))
    stats.apply(member("sales", "1002", 10, status=2))
    stats.apply(join("sales", "q-1", 20))
    stats.apply(connect("sales", "q-1", "1001", 21))
    snapshot = stats.snapshot(30)
    assert agent_view(snapshot, "1001")["linkedid"] == "q-1"
    direct = agent_view(snapshot, "1002")
    assert (direct["state"], direct["linkedid"]) == ("on_call", "direct-1")
    phones.clear()
    stats.apply(member("sales", "1002", 40, status=1))
    assert agent_view(stats.snapshot(41), "1002")["linkedid"] is None


def test_agents_carry_the_crm_name_and_unknown_members_their_interface() -> None:
    stats = calculator()
    stats.apply(event("QueueMemberStatus", 100, Queue="sales", Interface="PJSIP/1001",
                      MemberName="Alice Agent", Status="1", Paused="0", InCall="0"))  # fmt: skip
    stats.apply(event("QueueMemberStatus", 100, Queue="sales", Interface="PJSIP/1009",
                      MemberName="Temp", Status="1", Paused="0", InCall="0"))  # fmt: skip
    before = agent_view(stats.snapshot(110), "1001")  # the CRM not read yet: Asterisk's name
    assert (before["name"], before["known"]) == ("Alice Agent", None)

    stats.directory = {"1001": "Anna Horváthová"}
    snapshot = stats.snapshot(120)
    anna, stranger = agent_view(snapshot, "1001"), agent_view(snapshot, "1009")
    assert (anna["name"], anna["known"], anna["member_name"]) == (
        "Anna Horváthová", True, "Alice Agent",
    )  # fmt: skip
    assert (stranger["name"], stranger["known"], stranger["interface"]) == (
        "Temp", False, "PJSIP/1009",
    )  # fmt: skip
