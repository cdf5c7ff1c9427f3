"""Redis pub/sub bus, for running the ingest and web workers as separate processes."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

from redis.asyncio import Redis
from redis.asyncio.client import PubSub

from cti.bus.base import Message

_PREFIX = "cti:"


class RedisSubscription:
    def __init__(self, pubsub: PubSub) -> None:
        self._pubsub = pubsub

    async def __aiter__(self) -> AsyncIterator[tuple[str, Message]]:
        async for raw in self._pubsub.listen():
            if raw.get("type") != "message":
                continue
            topic = _decode(raw["channel"]).removeprefix(_PREFIX)
            yield topic, json.loads(raw["data"])

    async def close(self) -> None:
        await self._pubsub.aclose()  # type: ignore[no-untyped-call]


class RedisBus:
    def __init__(self, url: str) -> None:
        self._redis: Redis = Redis.from_url(url)

    async def publish(self, topic: str, message: Message) -> None:
        await self._redis.publish(_PREFIX + topic, json.dumps(message, default=str))

    async def subscribe(self, topics: set[str]) -> RedisSubscription:
        pubsub = self._redis.pubsub()
        await pubsub.subscribe(*(_PREFIX + topic for topic in topics))
        return RedisSubscription(pubsub)

    async def close(self) -> None:
        await self._redis.aclose()


def _decode(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)
