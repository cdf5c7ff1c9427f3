"""In-process bus: every subscriber owns a bounded queue.

A slow subscriber loses its oldest messages; it never slows the publisher.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import AsyncIterator

from cti.bus.base import Message

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


class MemoryBus:
    def __init__(self, subscriber_queue_size: int = 1000) -> None:
        self._subscribers: dict[str, set[MemorySubscription]] = defaultdict(set)
        self._queue_size = subscriber_queue_size

    async def publish(self, topic: str, message: Message) -> None:
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

    async def close(self) -> None:
        for subscriptions in list(self._subscribers.values()):
            for subscription in list(subscriptions):
                await subscription.close()
