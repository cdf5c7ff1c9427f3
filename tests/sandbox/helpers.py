"""Helpers for the sandbox tests: collect AMI events while something happens."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from cti.sandbox.ami import AmiClient, Message
from cti.sandbox.settings import AmiAccount


class EventLog:
    def __init__(self) -> None:
        self.events: list[Message] = []

    def named(self, name: str) -> list[Message]:
        return [event for event in self.events if event.get("Event") == name]

    def names(self) -> set[str]:
        return {event.get("Event", "") for event in self.events}

    async def wait_for(self, name: str, timeout: float, **headers: str) -> Message:
        deadline = asyncio.get_running_loop().time() + timeout
        while asyncio.get_running_loop().time() < deadline:
            for event in self.named(name):
                if all(event.get(key) == value for key, value in headers.items()):
                    return event
            await asyncio.sleep(0.1)
        raise AssertionError(f"no {name} {headers} within {timeout} s")


@contextlib.asynccontextmanager
async def collecting(account: AmiAccount) -> AsyncIterator[EventLog]:
    client = await AmiClient.connect(account)
    log = EventLog()

    async def pump() -> None:
        while True:
            log.events.append(await client.events.get())

    task = asyncio.create_task(pump())
    try:
        yield log
    finally:
        task.cancel()
        await client.close()
