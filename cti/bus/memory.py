"""In-process bus: every subscriber owns a bounded queue.

A slow subscriber loses its oldest messages; it never slows the publisher. The retained state is
two dicts in the same process.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import AsyncIterator, Sequence
from typing import Any

from cti.bus.base import Message, Retain

log = logging.getLogger(__name__)

_CLOSED = ("", {"__closed__": True})


class MemorySubscription:
    def __init__(self, bus: MemoryBus, topics: set[str], maxsize: int) -> None:
        self._bus = bus
        self.topics = topics
        self.queue: asyncio.Queue[tuple[str, Message]] = asyncio.Queue(maxsize)
        self.dropped = 0

    def deliver(self, topic: str, message: Message) -> None:
        if self.queue.full():
            self.queue.get_nowait()
            self.dropped += 1
            log.warning("bus subscriber on %s is slow: dropped %d", self.topics, self.dropped)
        self.queue.put_nowait((topic, message))

    async def __aiter__(self) -> AsyncIterator[tuple[str, Message]]:
        while True:
            item = await self.queue.get()
            if item is _CLOSED:
                return
            yield item

    async def close(self) -> None:
        self._bus.unsubscribe(self)
        while self.queue.full():
            self.queue.get_nowait()
        self.queue.put_nowait(_CLOSED)


class RetainedState:
    """The retained state kept in this process (the memory bus's; a web process never has it)."""

    def __init__(self) -> None:
        self.values: dict[str, Message] = {}
        self.maps: dict[str, dict[str, Message]] = defaultdict(dict)

    def apply(self, changes: Sequence[Retain]) -> None:
        for change in changes:
            if change.field is None:
                if change.value is None:
                    self.values.pop(change.key, None)
                else:
                    self.values[change.key] = change.value
            elif change.value is None:
                self.maps.get(change.key, {}).pop(change.field, None)
            else:
                self.maps[change.key][change.field] = change.value


class MemoryBus:
    def __init__(self, subscriber_queue_size: int = 1000) -> None:
        self._subscribers: dict[str, set[MemorySubscription]] = defaultdict(set)
        self._queue_size = subscriber_queue_size
        self._state = RetainedState()

    async def publish(self, topic: str, message: Message, retain: Sequence[Retain] = ()) -> None:
        self._state.apply(retain)
        self.deliver(topic, message)

    def deliver(self, topic: str, message: Message) -> None:
        for subscription in tuple(self._subscribers.get(topic, ())):
            subscription.deliver(topic, message)

    async def subscribe(self, topics: set[str]) -> MemorySubscription:
        subscription = MemorySubscription(self, topics, self._queue_size)
        for topic in topics:
            self._subscribers[topic].add(subscription)
        return subscription

    def unsubscribe(self, subscription: MemorySubscription) -> None:
        for topic in subscription.topics:
            self._subscribers[topic].discard(subscription)
            if not self._subscribers[topic]:
                del self._subscribers[topic]

    async def retain(self, changes: Sequence[Retain]) -> None:
        self._state.apply(changes)

    async def retained(self, key: str) -> Message | None:
        return self._state.values.get(key)

    async def retained_map(self, key: str) -> dict[str, Message]:
        return dict(self._state.maps.get(key, {}))

    async def ping(self) -> None:
        return None

    def status(self) -> dict[str, Any]:
        return {"kind": "memory"}

    async def close(self) -> None:
        for subscriptions in list(self._subscribers.values()):
            for subscription in list(subscriptions):
                await subscription.close()
