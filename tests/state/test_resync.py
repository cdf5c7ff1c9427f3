"""After an AMI gap: calls that ended meanwhile are closed as lost, new ones are adopted."""

from __future__ import annotations

from cti.state.events import AmiEvent, Resync
from cti.state.records import LOST_IN_GAP, CallEnded, CallStarted
from cti.state.tracker import Tracker
from tests.state.builder import Chan, block
from tests.state.flows import queue_ring_all_answered


def listing(*chans: Chan, bridge: str = "", at: float = 1_700_000_100.0) -> Resync:
    rows = []
    for chan in chans:
        headers = {"Event": "CoreShowChannel", **block(chan), "BridgeId": bridge}
        headers["Duration"] = "00:01:40"
        rows.append(AmiEvent("CoreShowChannel", headers, at))
    return Resync(tuple(rows), (), at, gap_started_at=at - 30)


def test_call_gone_during_gap_ends_with_marker() -> None:
    stream, _ = queue_ring_all_answered()
    tracker = Tracker()
    for event in stream.events[:15]:  # talking, then the link drops
        tracker.apply(event)
    out = tracker.apply(listing())
    [ended] = [e for e in out if isinstance(e, CallEnded)]
    assert ended.call.note == LOST_IN_GAP
    assert ended.call.disposition == "answered"
    assert ended.call.ended_at == 1_700_000_100.0
    assert tracker.active_calls() == []


def test_call_alive_across_gap_is_kept() -> None:
    stream, _ = queue_ring_all_answered()
    tracker = Tracker()
    for event in stream.events[:8]:
        tracker.apply(event)
    caller = Chan("PJSIP/trunk-00000001", "1700000000.1", "1700000000.1", state="6")
    agent = Chan("PJSIP/1002-00000003", "1700000000.3", "1700000000.1", state="6")
    out = tracker.apply(listing(caller, agent, bridge="br-1"))
    assert not [e for e in out if isinstance(e, CallEnded)]
    [call] = tracker.active_calls()
    assert call.answered_by == "1002"
    assert call.agents_rang == ("1001", "1002")


def test_unknown_call_is_adopted_and_backdated() -> None:
    tracker = Tracker()
    caller = Chan("PJSIP/trunk-00000009", "9.1", "9.1", number="+420601000009", state="6")
    agent = Chan("PJSIP/1003-0000000a", "9.2", "9.1", state="6")
    out = tracker.apply(listing(caller, agent, bridge="br-9"))
    [started] = [e for e in out if isinstance(e, CallStarted)]
    assert started.call.caller == "+420601000009"
    assert started.call.started_at == 1_700_000_000.0
    [call] = tracker.active_calls()
    assert call.answered_by == "1003"


def test_adopted_call_is_inbound_whichever_channel_is_listed_first() -> None:
    """The agent's leg listed before the trunk's must not turn an inbound call outbound."""
    tracker = Tracker()
    agent = Chan("PJSIP/1004-0000000b", "9.2", "9.1", number="1004", state="6")
    caller = Chan("PJSIP/trunk-00000009", "9.1", "9.1", number="+421905000111", state="6")
    caller.exten = "0800123456"
    out = tracker.apply(listing(agent, caller, bridge="br-9"))
    [started] = [e for e in out if isinstance(e, CallStarted)]
    assert started.call.direction == "inbound"
    assert started.call.caller == "+421905000111"
    assert started.call.callee == "0800123456"
    assert started.call.reconstructed
    [call] = tracker.active_calls()
    assert call.answered_by == "1004"


def test_adopted_call_waiting_in_a_queue_names_the_queue() -> None:
    tracker = Tracker()
    caller = Chan("PJSIP/trunk-0000000c", "9.5", "9.5", number="+420601000005", state="6")
    [row] = listing(caller).channels
    headers = dict(row.headers) | {"Application": "Queue", "Data": "support,t,,,300"}
    waiting = Resync((AmiEvent("CoreShowChannel", headers, row.received_at),), (), row.received_at)
    tracker.apply(waiting)
    [call] = tracker.active_calls()
    assert call.queue == "support"
    assert call.direction == "inbound"
