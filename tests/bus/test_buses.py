"""Both buses deliver a message to the subscribers of its topic only, in order."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from cti.bus.base import Bus, Subscription, agent_topic
from cti.bus.factory import create_bus


@pytest_asyncio.fixture(params=["memory", "redis"])
async def bus(request: pytest.FixtureRequest) -> AsyncIterator[Bus]:
    url = "memory://" if request.param == "memory" else request.getfixturevalue("redis_url")
    created = create_bus(url)
    yield created
    await created.close()


async def _take(subscription: Subscription, count: int) -> list[tuple[str, dict[str, object]]]:
    received = []
    async for item in subscription:
        received.append(item)
        if len(received) == count:
            break
    return received


async def test_messages_reach_only_their_topic_in_order(bus: Bus) -> None:
    mine = await bus.subscribe({agent_topic("1001")})
    other = await bus.subscribe({agent_topic("1002")})
    await asyncio.sleep(0.05)  # redis: the SUBSCRIBE is in effect
    for number in range(3):
        await bus.publish(agent_topic("1001"), {"n": number, "name": "José Ščasný"})
    received = await asyncio.wait_for(_take(mine, 3), 5)
    assert received == [("agent.1001", {"n": n, "name": "José Ščasný"}) for n in range(3)]
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(_take(other, 1), 0.3)
    await mine.close()
    await other.close()


async def test_one_subscription_may_follow_several_extensions(bus: Bus) -> None:
    both = await bus.subscribe({agent_topic("1001"), agent_topic("1003")})
    await asyncio.sleep(0.05)
    await bus.publish(agent_topic("1003"), {"n": 1})
    await bus.publish(agent_topic("1001"), {"n": 2})
    received = await asyncio.wait_for(_take(both, 2), 5)
    assert received == [("agent.1003", {"n": 1}), ("agent.1001", {"n": 2})]
    await both.close()


def test_an_unknown_bus_url_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="memory:// or redis://"):
        create_bus("kafka://somewhere")
