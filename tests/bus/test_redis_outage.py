"""Redis away for a while (a proxy cut between the bridge and Redis): publishing fails fast and
says so, and a subscription delivers again by itself once Redis is back."""

from __future__ import annotations

import asyncio
import json

from redis.asyncio import Redis

from cti.bus.base import agent_topic
from cti.bus.redis import RedisBus
from tests.fixtures.tcpproxy import TcpProxy


async def test_a_subscription_delivers_again_after_redis_comes_back(redis_url: str) -> None:
    host_port = redis_url.split("//", 1)[1].split("/", 1)[0]
    host, port = host_port.split(":")
    proxy = TcpProxy(host, int(port))
    await proxy.start()
    bus = RedisBus(redis_url.replace(host_port, f"127.0.0.1:{proxy.port}"))
    direct = Redis.from_url(redis_url)
    topic = agent_topic("1007")
    received: list[dict[str, object]] = []
    subscription = await bus.subscribe({topic})

    async def listen() -> None:
        async for _, message in subscription:
            received.append(message)

    listener = asyncio.create_task(listen())
    try:
        await asyncio.sleep(0.2)
        await bus.publish(topic, {"n": 1})
        await _until(lambda: len(received) == 1)
        proxy.cut()
        await asyncio.sleep(2)
        proxy.restore()
        for n in range(2, 40):  # published by another process once Redis is reachable again
            await direct.publish(f"cti:{topic}", json.dumps({"n": n}))
            if len(received) > 1:
                break
            await asyncio.sleep(0.25)
        await _until(lambda: len(received) > 1)
        assert not listener.done(), "the subscription survived the outage"
    finally:
        listener.cancel()
        await asyncio.gather(listener, return_exceptions=True)
        await bus.close()
        await direct.aclose()
        await proxy.stop()


async def _until(predicate: object, timeout: float = 15) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not predicate():  # type: ignore[operator]
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.05)
