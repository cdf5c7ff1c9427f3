"""A directed pickup is one record whose only rung agent is the one picked from, also when
Asterisk reports the Pickup (and the picked channel's hangup) after the picker's bridge, as
it did once under load on the sandbox, or the picked channel's hangup before the Pickup."""

from __future__ import annotations

from cti.state.events import AmiEvent
from tests.state.helpers import ended_records
from tests.state.scenarios import load


def _record(events: list[AmiEvent]) -> dict[str, object]:
    [record] = ended_records(events, load("pickup_directed").config)
    return record.as_dict()


def _picked_channel_leaving(event: AmiEvent) -> bool:
    return event.name in {"SoftHangupRequest", "Hangup"} and event.get("Uniqueid") == (
        "1796197664.1"
    )


def _told_after_the_bridge(events: list[AmiEvent]) -> list[AmiEvent]:
    late = [e for e in events if e.name == "Pickup" or _picked_channel_leaving(e)]
    rest = [e for e in events if e not in late]
    bridged = [i for i, e in enumerate(rest) if e.name == "BridgeEnter"][1] + 1
    return rest[:bridged] + late + rest[bridged:]


def test_pickup_as_recorded() -> None:
    record = _record(list(load("pickup_directed").events))
    assert record["agents_rang"] == ["1001"]
    assert record["answered_by"] == "1004"


def test_pickup_told_after_the_pickers_bridge() -> None:
    events = _told_after_the_bridge(list(load("pickup_directed").events))
    assert [e.name for e in events].index("Pickup") > [e.name for e in events].index("BridgeEnter")
    record = _record(events)
    assert record["agents_rang"] == ["1001"]
    assert record["answered_by"] == "1004"
    assert [(t["kind"], t["from"], t["to"]) for t in record["transfers"]] == [  # type: ignore[attr-defined]
        ("pickup", "1001", "1004")
    ]


def test_pickup_told_after_the_picked_channel_hung_up() -> None:
    events = list(load("pickup_directed").events)
    pickup = next(e for e in events if e.name == "Pickup")
    events.remove(pickup)
    hangup = next(i for i, e in enumerate(events) if e.name == "Hangup")
    assert _picked_channel_leaving(events[hangup])
    events.insert(hangup + 1, pickup)
    record = _record(events)
    assert record["agents_rang"] == ["1001"]
    assert [(t["kind"], t["from"], t["to"]) for t in record["transfers"]] == [  # type: ignore[attr-defined]
        ("pickup", "1001", "1004")
    ]
