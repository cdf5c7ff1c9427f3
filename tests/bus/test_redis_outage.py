"""Redis away for a while (a proxy cut between a web process and Redis): its subscription
delivers again by itself once Redis is back, and what was published meanwhile (by a process
that could still reach Redis) arrives too, in order: the reader goes on from the last id it saw."""

from __future__ import annotations

import asyncio
import uuid

from cti.bus.base import agent_topic
from cti.bus.redis import RedisBus
from tests.fixtures.tcpproxy import TcpProxy


async def test_a_subscription_catches_up_after_redis_comes_back(redis_url: str) -> None:
    host_port = redis_url.split("//", 1)[1].split("/", 1)[0]
    host, port = host_port.split(":")
    proxy = TcpProxy(host, int(port))
    await proxy.start()
    web = RedisBus(redis_url.replace(host_port, f"127.0.0.1:{proxy.port}"))
    ingest = RedisBus(redis_url)
    topic = agent_topic(f"blip-{uuid.uuid4().hex[:8]}")
    received: list[object] = []
    subscription = await web.subscribe({topic})

    async def listen() -> None:
        async for _, message in subscription:
            received.append(message["n"])

    listener = asyncio.create_task(listen())
    try:
        await _until(lambda: web.connected)
        await ingest.publish(topic, {"n": 1})
        await _until(lambda: received == [1])
        proxy.cut()
        await _until(lambda: not web.connected)
        for n in range(2, 7):  # while the web process cannot reach Redis
            await ingest.publish(topic, {"n": n})
        assert received == [1]
        proxy.restore()
        await _until(lambda: len(received) >= 6)
        await ingest.publish(topic, {"n": 7})
        await _until(lambda: len(received) >= 7)
        assert received == [1, 2, 3, 4, 5, 6, 7]
        assert not listener.done(), "the subscription survived the outage"
    finally:
        listener.cancel()
        await asyncio.gather(listener, return_exceptions=True)
        await web.close()
        await ingest.close()
        await proxy.stop()


async def _until(predicate: object, timeout: float = 15) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not predicate():  # type: ignore[operator]
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.05)
