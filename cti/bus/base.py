"""The bus protocol: publish JSON-able messages on topics, subscribe to a set of topics, and keep
what a (re)connecting browser is shown (`Retain`: the current pops, agent states, the supervisor's
snapshot) beside the messages, so any web process can answer it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

Message = dict[str, Any]


class BusUnavailableError(Exception):
    """The bus (Redis) cannot be reached now: a browser is told to try again, an API call 503s."""


@dataclass(frozen=True)
class Retain:
    """One change of the retained state, applied with the message it comes with.

    `field` None: the whole `key` is `value`; else `key` is a map and `field` one entry of it.
    `value` None removes the key or the entry."""

    key: str
    field: str | None = None
    value: Message | None = None


class Subscription(Protocol):
    """An open subscription; iterate it for messages, close it when the client leaves."""

    def __aiter__(self) -> AsyncIterator[tuple[str, Message]]: ...

    async def close(self) -> None: ...


class Bus(Protocol):
    async def publish(
        self, topic: str, message: Message, retain: Sequence[Retain] = ()
    ) -> None: ...

    async def subscribe(self, topics: set[str]) -> Subscription: ...

    async def retain(self, changes: Sequence[Retain]) -> None:
        """Change the retained state without a message (a pop the agent dismissed)."""
        ...

    async def retained(self, key: str) -> Message | None: ...

    async def retained_map(self, key: str) -> dict[str, Message]: ...

    async def ping(self) -> None:
        """Raises when the bus cannot be reached (readiness)."""
        ...

    def status(self) -> dict[str, Any]: ...

    async def close(self) -> None: ...


def agent_topic(extension: str) -> str:
    return f"agent.{extension}"


SUPERVISOR_TOPIC = "supervisor"
SUPERVISOR_ALERTS_TOPIC = "supervisor.alerts"
"""Frames every supervisor gets one by one (never coalesced like the snapshots)."""
SUPERVISOR_LIVE_TOPIC = "supervisor.live"
"""The live transcripts' lines for supervisors (cti/live/), one by one, in order."""
SUPERVISOR_SNAPSHOT = "supervisor"  # retained key of the last supervisor snapshot


def agent_state_key(extension: str) -> str:
    return f"agent_state.{extension}"


def pops_key(extension: str) -> str:
    return f"pops.{extension}"
