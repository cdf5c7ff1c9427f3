"""Record the raw AMI stream: the bytes exactly as Asterisk sends them after Login (Events: on).

The file starts with the Login response (the greeting line before it is not AMI message text)
and is cut only at whole messages when the recording stops.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from cti.sandbox.ami import TERMINATOR
from cti.sandbox.settings import AmiAccount


class RawRecorder:
    def __init__(self, account: AmiAccount, path: Path) -> None:
        self.account, self.path = account, path
        self.bytes_written = 0
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._ready = asyncio.Event()

    async def start(self) -> None:
        self._task = asyncio.create_task(self._record())
        ready = asyncio.ensure_future(self._ready.wait())
        await asyncio.wait({ready, self._task}, timeout=10, return_when=asyncio.FIRST_COMPLETED)
        if self._task.done():
            ready.cancel()
            self._task.result()  # raises what went wrong
        if not ready.done():
            ready.cancel()
            raise TimeoutError("the AMI recorder did not log in")

    async def stop(self) -> None:
        self._stop.set()
        if self._task is not None:
            await self._task

    async def run(self, seconds: float | None = None) -> None:
        """Record until `seconds` pass or the task is cancelled (Ctrl-C)."""
        await self.start()
        try:
            await asyncio.wait_for(asyncio.shield(self._stop.wait()), seconds)
        except TimeoutError:
            pass
        finally:
            await self.stop()

    async def _record(self) -> None:
        reader, writer = await asyncio.open_connection(self.account.host, self.account.port)
        await reader.readline()
        login = (
            f"Action: Login\r\nUsername: {self.account.user}\r\n"
            f"Secret: {self.account.secret}\r\nEvents: on\r\n\r\n"
        )
        writer.write(login.encode())
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("wb") as out:
            self._ready.set()
            await self._copy(reader, out)
        writer.close()

    async def _copy(self, reader: asyncio.StreamReader, out: object) -> None:
        pending = b""
        stop = asyncio.ensure_future(self._stop.wait())
        while not stop.done():
            read = asyncio.ensure_future(reader.read(65536))
            await asyncio.wait({read, stop}, return_when=asyncio.FIRST_COMPLETED)
            if not read.done():
                read.cancel()
                break
            chunk = read.result()
            if not chunk:
                break
            pending += chunk
            whole, _, pending = pending.rpartition(TERMINATOR)
            if whole:
                self._write(out, whole + TERMINATOR)

    def _write(self, out: object, data: bytes) -> None:
        out.write(data)  # type: ignore[attr-defined]
        out.flush()  # type: ignore[attr-defined]
        self.bytes_written += len(data)
