"""A small fake Asterisk Manager on a real TCP socket: login, ping, lists, pushed events."""

from __future__ import annotations

import asyncio
import contextlib

from cti.ami.wire import MessageFramer

Fields = dict[str, str]


def encode(fields: Fields) -> bytes:
    return "".join(f"{k}: {v}\r\n" for k, v in fields.items()).encode() + b"\r\n"


class FakeAmi:
    def __init__(self) -> None:
        self.channels: list[Fields] = []
        self.queue_entries: list[Fields] = []
        self.answer_pings = True
        self.greeting = "Asterisk Call Manager/9.0.0"  # Asterisk 13 says 2.10.x, 22 says 11.0.x
        self.accept_login = True
        self.logins = 0
        self.actions: list[Fields] = []
        self._writers: list[asyncio.StreamWriter] = []
        self._server: asyncio.Server | None = None
        self.port = 0

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def close(self) -> None:
        self.drop_connections()
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    def push(self, fields: Fields) -> None:
        for writer in self._writers:
            writer.write(encode(fields))

    def drop_connections(self) -> None:
        for writer in self._writers:
            writer.close()
        self._writers.clear()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.append(writer)
        writer.write(f"{self.greeting}\r\n".encode())
        framer = MessageFramer()
        with contextlib.suppress(ConnectionError):
            while data := await reader.read(4096):
                for fields in framer.feed(data):
                    self._answer(writer, fields)
        if writer in self._writers:
            self._writers.remove(writer)
        writer.close()

    def _answer(self, writer: asyncio.StreamWriter, action: Fields) -> None:
        self.actions.append(action)
        name, action_id = action.get("Action", "").lower(), action.get("ActionID", "")
        reply = {"Response": "Success", "ActionID": action_id}
        if name == "login":
            self._login(writer, reply)
        elif name == "ping" and self.answer_pings:
            writer.write(encode({**reply, "Ping": "Pong", "Timestamp": "1.0"}))
        elif name == "coreshowchannels":
            self._list(writer, reply, "CoreShowChannel", self.channels)
        elif name == "queuestatus":
            self._list(writer, reply, "QueueEntry", self.queue_entries, "QueueStatusComplete")

    def _login(self, writer: asyncio.StreamWriter, reply: Fields) -> None:
        self.logins += 1
        if not self.accept_login:
            writer.write(encode({**reply, "Response": "Error", "Message": "Authentication failed"}))
            return
        writer.write(encode({**reply, "Message": "Authentication accepted"}))
        writer.write(encode({"Event": "FullyBooted", "Status": "Fully Booted"}))

    def _list(
        self, writer: asyncio.StreamWriter, reply: Fields, item: str, rows: list[Fields],
        complete: str | None = None,
    ) -> None:  # fmt: skip
        action_id = reply["ActionID"]
        writer.write(encode({**reply, "EventList": "start", "Message": "will follow"}))
        for row in rows:
            writer.write(encode({"Event": item, "ActionID": action_id, **row}))
        done = complete or f"{item}sComplete"
        writer.write(encode({"Event": done, "ActionID": action_id, "EventList": "Complete"}))
