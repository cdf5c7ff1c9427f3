"""A bus that counts its open subscriptions: each is one browser's websocket (/ws/agent or
/ws/supervisor are the only subscribers), so the count is the websocket clients."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator, Sequence
from typing import Any

from cti.bus.base import SUPERVISOR_TOPIC, Bus, Message, Retain, Subscription


def kind_of(topics: set[str]) -> str:
    return "supervisor" if SUPERVISOR_TOPIC in topics else "agent"


class _Counted:
    def __init__(self, inner: Subscription, kind: str, clients: Counter[str]) -> None:
        self._inner, self._kind, self._clients = inner, kind, clients
        self._open = True

    def __aiter__(self) -> AsyncIterator[tuple[str, Message]]:
        return self._inner.__aiter__()

    async def close(self) -> None:
        if self._open:
            self._open = False
            self._clients[self._kind] -= 1
        await self._inner.close()


class CountingBus:
    def __init__(self, inner: Bus) -> None:
        self._inner = inner
        self.clients: Counter[str] = Counter({"agent": 0, "supervisor": 0})

    async def publish(self, topic: str, message: Message, retain: Sequence[Retain] = ()) -> None:
        await self._inner.publish(topic, message, retain)

    async def subscribe(self, topics: set[str]) -> Subscription:
        subscription = await self._inner.subscribe(topics)
        kind = kind_of(topics)
        self.clients[kind] += 1
        return _Counted(subscription, kind, self.clients)

    async def retain(self, changes: Sequence[Retain]) -> None:
        await self._inner.retain(changes)

    async def retained(self, key: str) -> Message | None:
        return await self._inner.retained(key)

    async def retained_map(self, key: str) -> dict[str, Message]:
        return await self._inner.retained_map(key)

    async def ping(self) -> None:
        await self._inner.ping()

    def status(self) -> dict[str, Any]:
        return self._inner.status()

    def start(self) -> None:
        start = getattr(self._inner, "start", None)
        if start is not None:
            start()

    async def close(self) -> None:
        await self._inner.close()
