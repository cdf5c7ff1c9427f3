"""A fake Asterisk Manager Interface for the benches, run in its own process (its CPU is not the
bridge's): `python bench/common/ami_server.py` prints `PORT <n>` and serves 127.0.0.1:<n>.

Like Asterisk 22 it sends the greeting `Asterisk Call Manager/11.0.0`, accepts any Login
(`Response: Success` then `Event: FullyBooted`), answers Ping, and answers the listings the
bridge sends after each connect (QueueStatus, CoreShowChannels) as an idle PBX would: a
`Response: Success` with `EventList: start`, then the `...Complete` event with
`EventList: Complete` and `ListItems: 0`, all carrying the action's ActionID.

The bench's own action `Action: BenchStream` with `File: <path>` and `Rate: <events/s>` (0: as
fast as the socket takes it) makes it stream that file of raw AMI messages on this connection
(answered `Response: Success` first). Streams are cut at whole messages, so action answers
interleave with events exactly as on a real manager session. Only the standard library is used.
"""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

GREETING = b"Asterisk Call Manager/11.0.0\r\n"
SEP = b"\r\n\r\n"
CHUNK_BYTES = 64 * 1024
TICK = 0.005  # paced streams write every 5 ms


def _parse(block: bytes) -> dict[str, str]:
    fields: dict[str, str] = {}
    for line in block.decode(errors="replace").split("\r\n"):
        key, colon, value = line.partition(":")
        if colon:
            fields[key.strip().lower()] = value.strip()
    return fields


def _message(*lines: str) -> bytes:
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def _listing(action_id: str, complete: str, what: str) -> bytes:
    return _message(
        "Response: Success", f"ActionID: {action_id}", "EventList: start",
        f"Message: {what} will follow",
    ) + _message(
        f"Event: {complete}", f"ActionID: {action_id}", "EventList: Complete", "ListItems: 0",
    )  # fmt: skip


class Session:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer
        self.streams: set[asyncio.Task[None]] = set()

    async def run(self) -> None:
        self.writer.write(GREETING)
        buffer = b""
        try:
            while data := await self.reader.read(65536):
                buffer += data
                *blocks, buffer = buffer.split(SEP)
                for block in blocks:
                    if block.strip():
                        self.answer(_parse(block))
        except (ConnectionError, OSError):
            pass
        finally:
            for task in self.streams:
                task.cancel()
            self.writer.transport.abort()

    def answer(self, action: dict[str, str]) -> None:
        name, action_id = action.get("action", "").lower(), action.get("actionid", "")
        if name == "login":
            self.writer.write(
                _message("Response: Success", f"ActionID: {action_id}",
                         "Message: Authentication accepted")
                + _message("Event: FullyBooted", "Privilege: system,all", "Uptime: 1",
                           "LastReload: 1", "Status: Fully Booted")
            )  # fmt: skip
        elif name == "ping":
            self.writer.write(
                _message("Response: Success", f"ActionID: {action_id}", "Ping: Pong",
                         f"Timestamp: {time.time():.6f}")
            )  # fmt: skip
        elif name == "coreshowchannels":
            self.writer.write(_listing(action_id, "CoreShowChannelsComplete", "Channels"))
        elif name == "queuestatus":
            self.writer.write(_listing(action_id, "QueueStatusComplete", "Queue status"))
        elif name == "logoff":
            self.writer.write(_message("Response: Goodbye", f"ActionID: {action_id}"))
        elif name == "benchstream":
            self.writer.write(
                _message("Response: Success", f"ActionID: {action_id}", "Message: streaming")
            )
            rate = float(action.get("rate", "0") or 0)
            task = asyncio.create_task(self.stream(Path(action["file"]), rate))
            self.streams.add(task)
            task.add_done_callback(self.streams.discard)
        else:
            self.writer.write(
                _message("Response: Error", f"ActionID: {action_id}",
                         "Message: Invalid/unknown command")
            )  # fmt: skip

    async def stream(self, path: Path, rate: float) -> None:
        data = await asyncio.to_thread(path.read_bytes)
        try:
            if rate <= 0:
                await self._flood(data)
            else:
                await self._paced(data.split(SEP)[:-1], rate)
        except (ConnectionError, OSError):
            pass

    async def _flood(self, data: bytes) -> None:
        """Whole messages, 64 KiB at a time, as fast as the reader takes them."""
        start = 0
        while start < len(data):
            end = data.find(SEP, min(start + CHUNK_BYTES, len(data)) - 3)
            end = len(data) if end < 0 else end + len(SEP)
            self.writer.write(data[start:end])
            start = end
            await self.writer.drain()

    async def _paced(self, messages: list[bytes], rate: float) -> None:
        loop = asyncio.get_running_loop()
        began, sent = loop.time(), 0
        while sent < len(messages):
            due = min(len(messages), int((loop.time() - began) * rate) + 1)
            if due > sent:
                self.writer.write(SEP.join(messages[sent:due]) + SEP)
                sent = due
                await self.writer.drain()
            await asyncio.sleep(TICK)


async def main() -> None:
    sessions: set[asyncio.Task[None]] = set()

    async def accept(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        sessions.add(task)
        try:
            await Session(reader, writer).run()
        finally:
            sessions.discard(task)

    port = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    server = await asyncio.start_server(accept, "127.0.0.1", port)
    port = server.sockets[0].getsockname()[1]
    print(f"PORT {port}", flush=True)
    # Stops when the parent closes our stdin (or dies).
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
    server.close()


if __name__ == "__main__":
    asyncio.run(main())
