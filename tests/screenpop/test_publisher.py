"""Who gets which pop: ringing agents get the card, the others lose it when one answers."""

from __future__ import annotations

import asyncio
import dataclasses
from typing import Any

import pytest

from cti.bus.base import agent_topic
from cti.bus.memory import MemoryBus, MemorySubscription
from cti.screenpop.publisher import ScreenPopPublisher
from cti.screenpop.registry import PopRegistry
from cti.state.records import (
    CallAnswered,
    CallEnded,
    CallRecord,
    CallRinging,
    CallStarted,
    CallTransferred,
    Transfer,
)

CARD = {"contact": {"first_name": "José", "last_name": "Ščasný"}}
BASE = CallRecord(
    linkedid="1700000000.1", direction="inbound", caller="+421900123456", caller_name="José",
    callee="100", did="100", queue="sales", agents_rang=(), answered_by=None, disposition=None,
    started_at=1.0, answered_at=None, ended_at=None, wait_seconds=None, talk_seconds=None,
    transfers=(), recording=None, route_reason=None,
)  # fmt: skip


class Screens:
    def __init__(self, bus: MemoryBus) -> None:
        self.bus = bus
        self.subscriptions: dict[str, MemorySubscription] = {}

    async def open(self, *agents: str) -> None:
        for agent in agents:
            self.subscriptions[agent] = await self.bus.subscribe({agent_topic(agent)})

    def received(self, agent: str) -> list[tuple[str, Any]]:
        queue = self.subscriptions[agent].queue
        items = []
        while not queue.empty():
            _, message = queue.get_nowait()
            items.append((message["type"], message.get("reason") or message.get("card")))
        return items


@pytest.fixture
async def setup() -> tuple[ScreenPopPublisher, Screens, list[str]]:
    looked_up: list[str] = []

    async def lookup(number: str) -> dict[str, Any] | None:
        looked_up.append(number)
        return CARD if number == "+421900123456" else None

    bus = MemoryBus()
    screens = Screens(bus)
    await screens.open("1001", "1002", "1003")
    return ScreenPopPublisher(bus, lookup, PopRegistry()), screens, looked_up


def _call(**changes: Any) -> CallRecord:
    return dataclasses.replace(BASE, **changes)


async def test_ring_all_pops_every_ringing_agent_and_withdraws_on_answer(
    setup: tuple[ScreenPopPublisher, Screens, list[str]],
) -> None:
    publisher, screens, looked_up = setup
    ringing = _call(agents_rang=("1001", "1002", "1003"))
    await publisher.handle([CallStarted(BASE), CallRinging(ringing, ("1001", "1002", "1003"), 2.0)])
    answered = _call(agents_rang=ringing.agents_rang, answered_by="1002", answered_at=5.0)
    await publisher.handle([CallRinging(answered, (), 5.0), CallAnswered(answered, 5.0)])
    ended = dataclasses.replace(answered, disposition="answered", ended_at=30.0)
    await publisher.handle([CallEnded(ended)])

    assert screens.received("1001") == [("ring", CARD), ("withdraw", "answered by 1002")]
    assert screens.received("1003") == [("ring", CARD), ("withdraw", "answered by 1002")]
    assert screens.received("1002") == [("ring", CARD), ("answered", CARD), ("ended", CARD)]
    assert looked_up == ["+421900123456"], "the card is looked up once per call"


async def test_an_unknown_caller_pops_with_no_card_and_abandon_withdraws(
    setup: tuple[ScreenPopPublisher, Screens, list[str]],
) -> None:
    publisher, screens, _ = setup
    stranger = _call(caller="+442079460958")
    await publisher.handle([CallRinging(stranger, ("1001",), 2.0)])
    ended = dataclasses.replace(stranger, disposition="abandoned", ended_at=9.0)
    await publisher.handle([CallRinging(ended, (), 9.0), CallEnded(ended)])
    assert screens.received("1001") == [("ring", None), ("withdraw", "call abandoned")]
    assert screens.received("1002") == []


async def test_the_pop_follows_a_blind_transfer(
    setup: tuple[ScreenPopPublisher, Screens, list[str]],
) -> None:
    publisher, screens, _ = setup
    answered = _call(agents_rang=("1001",), answered_by="1001", answered_at=3.0)
    await publisher.handle([CallRinging(BASE, ("1001",), 2.0)])
    await publisher.handle([CallRinging(answered, (), 3.0), CallAnswered(answered, 3.0)])
    transfer = Transfer("blind", "1001", "1002", 10.0)
    moved = dataclasses.replace(answered, transfers=(transfer,))
    await publisher.handle([CallTransferred(moved, transfer), CallRinging(moved, ("1002",), 10.0)])
    await publisher.handle([CallRinging(moved, (), 12.0)])
    ended = dataclasses.replace(moved, disposition="answered", ended_at=40.0)
    await publisher.handle([CallEnded(ended)])
    assert screens.received("1001") == [
        ("ring", CARD), ("answered", CARD), ("withdraw", "transferred to 1002"),
    ]  # fmt: skip
    assert screens.received("1002") == [("ring", CARD), ("ended", CARD)]


async def test_parking_hands_the_pop_to_the_retriever_and_a_conference_host_keeps_it(
    setup: tuple[ScreenPopPublisher, Screens, list[str]],
) -> None:
    publisher, screens, _ = setup
    answered = _call(agents_rang=("1001",), answered_by="1001", answered_at=3.0)
    await publisher.handle([CallRinging(BASE, ("1001",), 2.0)])
    await publisher.handle([CallRinging(answered, (), 3.0), CallAnswered(answered, 3.0)])
    steps = [
        Transfer("park", "1001", "701", 10.0),
        Transfer("retrieve", "701", "1002", 14.0),
        Transfer("conference", "1002", "1003", 20.0),
    ]
    for transfer in steps:
        await publisher.handle([CallTransferred(answered, transfer)])
    await publisher.handle([CallEnded(dataclasses.replace(answered, ended_at=40.0))])
    assert screens.received("1001") == [
        ("ring", CARD), ("answered", CARD), ("withdraw", "transferred to 701"),
    ]  # fmt: skip
    assert screens.received("1002") == [("answered", CARD), ("ended", CARD)]
    assert screens.received("1003") == [("answered", CARD), ("ended", CARD)]


async def test_a_reconnecting_screen_gets_what_rings_now(
    setup: tuple[ScreenPopPublisher, Screens, list[str]],
) -> None:
    publisher, _, _ = setup
    await publisher.handle([CallRinging(BASE, ("1001", "1002"), 2.0)])
    assert [m["type"] for m in publisher.registry.current({"1001"})] == ["ring"]
    assert publisher.registry.current({"1003"}) == []
    answered = _call(answered_by="1002", answered_at=4.0)
    await publisher.handle([CallRinging(answered, (), 4.0), CallAnswered(answered, 4.0)])
    assert publisher.registry.current({"1001"}) == []
    assert [m["type"] for m in publisher.registry.current({"1002"})] == ["answered"]


async def test_the_answer_may_come_in_a_later_event_than_the_ring_stop(
    setup: tuple[ScreenPopPublisher, Screens, list[str]],
) -> None:
    """Asterisk: Newstate Up of the agent's channel, then BridgeEnter: two AMI events."""
    publisher, screens, _ = setup
    await publisher.handle([CallRinging(BASE, ("1001", "1002"), 2.0)])
    await publisher.handle([CallRinging(BASE, ("1001",), 4.0)])
    await publisher.handle([CallRinging(BASE, (), 4.1)])
    answered = _call(answered_by="1002", answered_at=4.2)
    await publisher.handle([CallAnswered(answered, 4.2)])
    assert screens.received("1002") == [("ring", CARD), ("answered", CARD)]
    assert screens.received("1001") == [("ring", CARD), ("withdraw", "answered by 1002")]


async def test_a_phone_that_stops_ringing_unanswered_loses_the_pop_after_a_grace(
    setup: tuple[ScreenPopPublisher, Screens, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("cti.screenpop.publisher.STOPPED_RINGING_GRACE", 0.05)
    publisher, screens, _ = setup
    await publisher.handle([CallRinging(BASE, ("1001",), 2.0)])
    await publisher.handle([CallRinging(BASE, (), 17.0)])  # rrmemory: the queue moves on
    assert screens.received("1001") == [("ring", CARD)]
    await asyncio.sleep(0.2)
    assert screens.received("1001") == [("withdraw", "stopped ringing")]
    await publisher.handle([CallRinging(BASE, ("1002",), 18.0)])
    assert screens.received("1002") == [("ring", CARD)]


async def test_cards_looked_up_ahead_one_query_for_the_unknown_and_pops_in_order() -> None:
    """A backlog of rings: the cards are asked for before the stage gets there; one query tells
    which numbers a card holds, only those are looked up; each call's pops keep their order."""
    looked_up: list[str] = []
    asked: list[list[str]] = []

    async def lookup(number: str) -> dict[str, Any] | None:
        looked_up.append(number)
        return CARD if number == "+421900123456" else None

    async def held(numbers: Any) -> set[str]:
        asked.append(list(numbers))
        return {number for number in numbers if number == "+421900123456"}

    bus = MemoryBus()
    screens = Screens(bus)
    await screens.open("1001", "1002")
    publisher = ScreenPopPublisher(bus, lookup, PopRegistry(), held_numbers=held)
    strangers = [_call(linkedid=f"17.{n}", caller=f"+4420794609{n:02d}") for n in range(5)]
    batches = [[CallRinging(call, ("1002",), 2.0)] for call in strangers]
    batches.append([CallRinging(BASE, ("1001",), 2.0)])
    for batch in batches:
        publisher.look_ahead(batch)  # inline, as the ingest task does, before the stage
    for batch in batches:
        await publisher.handle(batch)
    assert screens.received("1001") == [("ring", CARD)]
    assert screens.received("1002") == [("ring", None)] * 5
    assert len(asked) == 1, "one question for all the numbers waiting"
    assert sorted(asked[0]) == sorted([c.caller for c in strangers] + [BASE.caller])
    assert looked_up == ["+421900123456"], "only the number a card holds is looked up"
    ended = dataclasses.replace(BASE, disposition="abandoned", ended_at=9.0)
    await publisher.handle([CallRinging(ended, (), 9.0), CallEnded(ended)])
    assert screens.received("1001") == [("withdraw", "call abandoned")]
    publisher.close()


async def test_a_card_late_ahead_pops_without_it_and_the_next_pop_has_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("cti.screenpop.publisher.CARD_WAIT", 0.05)
    release = asyncio.Event()

    async def slow(number: str) -> dict[str, Any] | None:
        await release.wait()
        return CARD

    bus = MemoryBus()
    screens = Screens(bus)
    await screens.open("1001")
    publisher = ScreenPopPublisher(bus, slow, PopRegistry())
    ring = [CallRinging(BASE, ("1001",), 2.0)]
    publisher.look_ahead(ring)
    await publisher.handle(ring)  # the card is late: the ring goes out without it
    assert screens.received("1001") == [("ring", None)]
    assert publisher.lookups_failed == 1
    release.set()
    answered = _call(agents_rang=("1001",), answered_by="1001", answered_at=3.0)
    await publisher.handle([CallRinging(answered, (), 3.0), CallAnswered(answered, 3.0)])
    assert screens.received("1001") == [("answered", CARD)], "the same lookup, arrived since"
    publisher.close()
