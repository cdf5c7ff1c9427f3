"""Redis pub/sub bus, for running the ingest and web workers as separate processes."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from typing import Any

from redis.asyncio import Redis
from redis.asyncio.client import PubSub
from redis.exceptions import ConnectionError, TimeoutError

from cti.bus.base import Message

log = logging.getLogger(__name__)
_PREFIX = "cti:"
FIRST_RETRY_SECONDS = 0.2
MAX_RETRY_SECONDS = 5.0
SOCKET_SECONDS = 3.0


class RedisSubscription:
    """Delivers the topics' messages; when Redis goes away it subscribes again by itself, with
    a growing delay (what was published meanwhile is not replayed: pub/sub keeps nothing)."""

    def __init__(self, pubsub: PubSub, channels: tuple[str, ...]) -> None:
        self._pubsub = pubsub
        self._channels = channels
        self._closed = False

    async def __aiter__(self) -> AsyncIterator[tuple[str, Message]]:
        delay = FIRST_RETRY_SECONDS
        while not self._closed:
            try:
                async for raw in self._pubsub.listen():
                    delay = FIRST_RETRY_SECONDS
                    if raw.get("type") == "message":
                        topic = _decode(raw["channel"]).removeprefix(_PREFIX)
                        yield topic, json.loads(raw["data"])
            except (ConnectionError, TimeoutError, OSError) as exc:
                log.warning("Redis subscription lost (%s); again in %.1f s", exc, delay)
            if self._closed:
                return
            await asyncio.sleep(delay)
            delay = min(delay * 2, MAX_RETRY_SECONDS)
            await self._resubscribe()

    async def _resubscribe(self) -> None:
        """listen() ends when nothing is subscribed (a SUBSCRIBE that failed): try again."""
        try:
            await self._pubsub.aclose()  # type: ignore[no-untyped-call]  # a fresh connection next
            await self._pubsub.subscribe(*self._channels)
        except (ConnectionError, TimeoutError, OSError) as exc:
            log.info("Redis still away (%s)", exc)

    async def close(self) -> None:
        self._closed = True
        await self._pubsub.aclose()  # type: ignore[no-untyped-call]


class RedisBus:
    def __init__(self, url: str) -> None:
        # Bounded waits: a Redis that is away costs a publish a few seconds, never a hang.
        self._redis: Redis = Redis.from_url(
            url, socket_timeout=SOCKET_SECONDS, socket_connect_timeout=SOCKET_SECONDS,
        )  # fmt: skip

    async def publish(self, topic: str, message: Message) -> None:
        await self._redis.publish(_PREFIX + topic, json.dumps(message, default=str))

    async def subscribe(self, topics: set[str]) -> RedisSubscription:
        pubsub = self._redis.pubsub()
        channels = tuple(_PREFIX + topic for topic in sorted(topics))
        await pubsub.subscribe(*channels)
        return RedisSubscription(pubsub, channels)

    async def close(self) -> None:
        await self._redis.aclose()


def _decode(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)
