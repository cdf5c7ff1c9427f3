"""A small asyncio AMI client for the sandbox's own tools (simulator, recorder, load bench).

The bridge has its own connection layer (cti.ami); this one stays independent so the sandbox
can drive Asterisk while that layer is under test.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
from typing import Self

from cti.sandbox.settings import AmiAccount

Message = dict[str, str]
TERMINATOR = b"\r\n\r\n"


def parse_message(block: bytes) -> Message:
    message: Message = {}
    for line in block.decode("utf-8", errors="replace").split("\r\n"):
        key, sep, value = line.partition(":")
        if sep:
            message.setdefault(key.strip(), value.strip())
    return message


def encode_action(action: str, headers: dict[str, str]) -> bytes:
    lines = [f"Action: {action}"] + [f"{key}: {value}" for key, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


class AmiError(RuntimeError):
    pass


class AmiClient:
    """Actions with their responses (and event lists); other events go to `events`."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._reader, self._writer = reader, writer
        self._ids = itertools.count(1)
        self._waiting: dict[str, asyncio.Future[list[Message]]] = {}
        self._collected: dict[str, list[Message]] = {}
        self._listing: set[str] = set()
        self.events: asyncio.Queue[Message] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None

    @classmethod
    async def connect(cls, account: AmiAccount, events: str = "on") -> Self:
        reader, writer = await asyncio.open_connection(account.host, account.port)
        await reader.readline()  # "Asterisk Call Manager/x.y.z"
        client = cls(reader, writer)
        client._task = asyncio.create_task(client._read_loop())
        login = {"Username": account.user, "Secret": account.secret, "Events": events}
        await client.action("Login", **login)
        return client

    async def close(self) -> None:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.action("Logoff"), 2)
        if self._task is not None:
            self._task.cancel()
        self._writer.close()
        with contextlib.suppress(Exception):
            await self._writer.wait_closed()

    async def action(self, action: str, **headers: str) -> Message:
        """Send an action; return its Response (raise AmiError on Response: Error)."""
        messages = await self._send(action, headers, listing=False)
        response = messages[0]
        if response.get("Response") == "Error":
            raise AmiError(f"{action}: {response.get('Message', '')}")
        return response

    async def listing(self, action: str, **headers: str) -> list[Message]:
        """Send an action answered by an event list; return the list's events."""
        messages = await self._send(action, headers, listing=True)
        if messages[0].get("Response") == "Error":
            raise AmiError(f"{action}: {messages[0].get('Message', '')}")
        return [m for m in messages[1:] if m.get("EventList") != "Complete"]

    async def _send(self, action: str, headers: dict[str, str], listing: bool) -> list[Message]:
        action_id = f"sandbox-{next(self._ids)}"
        future: asyncio.Future[list[Message]] = asyncio.get_running_loop().create_future()
        self._waiting[action_id] = future
        self._collected[action_id] = []
        if listing:
            self._listing.add(action_id)
        self._writer.write(encode_action(action, {**headers, "ActionID": action_id}))
        await self._writer.drain()
        try:
            return await asyncio.wait_for(future, 30)
        finally:
            self._waiting.pop(action_id, None)
            self._collected.pop(action_id, None)
            self._listing.discard(action_id)

    async def _read_loop(self) -> None:
        while True:
            try:
                block = await self._reader.readuntil(TERMINATOR)
            except (asyncio.IncompleteReadError, ConnectionError):
                return
            if block.strip():
                self._dispatch(parse_message(block))

    def _dispatch(self, message: Message) -> None:
        action_id = message.get("ActionID", "")
        future = self._waiting.get(action_id)
        if future is None or future.done():
            if "Event" in message:
                self.events.put_nowait(message)
            return
        collected = self._collected[action_id]
        collected.append(message)
        if (
            action_id not in self._listing
            or message.get("EventList") == "Complete"
            or _is_error(message)
        ):
            future.set_result(collected)


def _is_error(message: Message) -> bool:
    return message.get("Response") == "Error"
