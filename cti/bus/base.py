"""The bus protocol: publish JSON-able messages on topics, subscribe to a set of topics."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, Protocol

Message = dict[str, Any]


class Subscription(Protocol):
    """An open subscription; iterate it for messages, close it when the client leaves."""

    def __aiter__(self) -> AsyncIterator[tuple[str, Message]]: ...

    async def close(self) -> None: ...


class Bus(Protocol):
    async def publish(self, topic: str, message: Message) -> None: ...

    async def subscribe(self, topics: set[str]) -> Subscription: ...

    async def close(self) -> None: ...


def agent_topic(extension: str) -> str:
    return f"agent.{extension}"


SUPERVISOR_TOPIC = "supervisor"
