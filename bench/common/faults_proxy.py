"""A TCP proxy between one bridge and a server (AMI, PostgreSQL, Redis) that faults can break.

- `cut()`: every open connection is reset and new ones are refused until `restore()` (a network
  drop, a server that is gone);
- `blackhole()`: the open connections stay open but nothing is forwarded either way any more
  (a half-open connection: neither side is told). Connections made after it work normally,
  so a client that notices and reconnects recovers; `reconnected` is set when it does.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field


@dataclass(eq=False)
class _Link:
    client: asyncio.StreamWriter
    upstream: asyncio.StreamWriter
    silent: bool = False  # black-holed: read and discard, never forward


@dataclass(eq=False)
class FaultProxy:
    target_host: str
    target_port: int
    port: int = 0
    up: bool = True
    accepted: int = 0
    reconnected: asyncio.Event = field(default_factory=asyncio.Event)
    _server: asyncio.Server | None = None
    _links: set[_Link] = field(default_factory=set)

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        self.cut()
        if self._server is not None:
            self._server.close()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._server.wait_closed(), 5)

    def cut(self) -> None:
        """Reset every open connection and refuse new ones until `restore()`."""
        self.up = False
        for link in list(self._links):
            link.client.transport.abort()
            link.upstream.transport.abort()
        self._links.clear()

    def restore(self) -> None:
        self.up = True

    def blackhole(self) -> None:
        """Stop forwarding on every open connection without closing it; new ones work."""
        self.reconnected.clear()
        for link in self._links:
            link.silent = True

    def release_blackholed(self) -> None:
        """Close what `blackhole()` left open (the end of the fault)."""
        for link in [link for link in self._links if link.silent]:
            link.client.transport.abort()
            link.upstream.transport.abort()
            self._links.discard(link)

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if not self.up:
            writer.transport.abort()
            return
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection(
                self.target_host, self.target_port
            )
        except OSError:
            writer.transport.abort()
            return
        self.accepted += 1
        self.reconnected.set()
        link = _Link(writer, upstream_writer)
        self._links.add(link)
        await asyncio.gather(
            _pipe(reader, upstream_writer, link),
            _pipe(upstream_reader, writer, link),
            return_exceptions=True,
        )
        self._links.discard(link)
        writer.transport.abort()
        upstream_writer.transport.abort()


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, link: _Link) -> None:
    with contextlib.suppress(ConnectionError, OSError):
        while data := await reader.read(65536):
            if link.silent:
                continue
            writer.write(data)
            await writer.drain()
    if not link.silent:
        writer.transport.abort()
