"""Asterisk's AudioSocket wire protocol and a TCP server for it (asyncio).

Every message is a 3-byte header, kind (1 byte) and payload length (2 bytes, big-endian), then
the payload: KIND_UUID (16 bytes, the stream's UUID, always first), KIND_SLIN (signed linear
16-bit little-endian mono, 8 kHz: 320 bytes every 20 ms), KIND_HANGUP (no payload: the channel
hung up), KIND_ERROR (an error code byte). The server only reads: the bridge never sends audio
back, so the spied call can never hear anything from it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import struct
import uuid
from collections.abc import Callable
from dataclasses import dataclass

log = logging.getLogger(__name__)

KIND_HANGUP = 0x00
KIND_UUID = 0x01
KIND_DTMF = 0x03
KIND_SLIN = 0x10
KIND_ERROR = 0xFF
HEADER = struct.Struct(">BH")
UUID_WAIT_SECONDS = 5.0
"""A connection that does not name its stream within this is closed."""


class ProtocolError(Exception):
    pass


def encode(kind: int, payload: bytes = b"") -> bytes:
    if len(payload) > 0xFFFF:
        raise ValueError(f"an AudioSocket payload is at most 65535 bytes, not {len(payload)}")
    return HEADER.pack(kind, len(payload)) + payload


async def read_message(reader: asyncio.StreamReader) -> tuple[int, bytes] | None:
    """The next (kind, payload); None at a clean end of the connection between messages."""
    try:
        header = await reader.readexactly(HEADER.size)
    except asyncio.IncompleteReadError as exc:
        if exc.partial:
            raise ProtocolError("the connection ended inside a message header") from exc
        return None
    kind, length = HEADER.unpack(header)
    try:
        payload = await reader.readexactly(length) if length else b""
    except asyncio.IncompleteReadError as exc:
        raise ProtocolError(f"the connection ended inside a {length}-byte payload") from exc
    return kind, payload


@dataclass(frozen=True, slots=True)
class StreamEnd:
    """How a stream's connection ended: `hangup` (Asterisk said so), `closed` (EOF), `error`."""

    how: str
    detail: str = ""


class StreamSink:
    """What a stream's audio goes to; the server calls these on its event loop."""

    def attach(self, disconnect: Callable[[], None]) -> None:
        """The stream's connection is up; `disconnect()` closes it (Asterisk then hangs up its
        side of the copy, never the call)."""

    def audio(self, pcm: bytes) -> None:
        raise NotImplementedError

    def ended(self, end: StreamEnd) -> None:
        raise NotImplementedError


SinkFor = Callable[[uuid.UUID], StreamSink | None]


class AudioSocketServer:
    """Accepts Asterisk's AudioSocket connections; `sink_for(uuid)` says where a stream goes
    (None: an unknown stream, closed at once)."""

    def __init__(self, host: str, port: int, sink_for: SinkFor) -> None:
        self.host, self.port = host, port
        self._sink_for = sink_for
        self._server: asyncio.Server | None = None
        self._connections: set[asyncio.Task[None]] = set()
        self.refused = 0

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._accept, self.host, self.port)
        self.port = self._server.sockets[0].getsockname()[1]  # a port 0 picked by the system

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        for task in list(self._connections):
            task.cancel()
        await asyncio.gather(*self._connections, return_exceptions=True)

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._connections.add(task)
        try:
            await self._serve(reader, writer)
        finally:
            self._connections.discard(task)
            writer.close()
            with contextlib.suppress(OSError, asyncio.CancelledError):
                await writer.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            first = await asyncio.wait_for(read_message(reader), UUID_WAIT_SECONDS)
        except (TimeoutError, ProtocolError, OSError) as exc:
            self.refused += 1
            log.warning("live audio: a connection that never named its stream (%r)", exc)
            return
        if first is None or first[0] != KIND_UUID or len(first[1]) != 16:
            self.refused += 1
            log.warning("live audio: the first message was not a stream's UUID: %r", first)
            return
        stream = uuid.UUID(bytes=first[1])
        sink = self._sink_for(stream)
        if sink is None:
            self.refused += 1
            log.warning("live audio: stream %s is not one the bridge asked for", stream)
            return
        sink.attach(writer.transport.abort)
        try:
            end = await _pump(reader, sink)
        except asyncio.CancelledError:
            sink.ended(StreamEnd("closed", "the bridge stopped"))
            raise
        sink.ended(end)


async def _pump(reader: asyncio.StreamReader, sink: StreamSink) -> StreamEnd:
    try:
        while True:
            message = await read_message(reader)
            if message is None:
                return StreamEnd("closed")
            kind, payload = message
            if kind == KIND_SLIN:
                sink.audio(payload)
            elif kind == KIND_HANGUP:
                return StreamEnd("hangup")
            elif kind == KIND_ERROR:
                return StreamEnd("error", f"Asterisk reported error {payload.hex() or '?'}")
            # KIND_DTMF and kinds of newer versions carry nothing a transcript needs
    except (ProtocolError, OSError) as exc:
        return StreamEnd("error", str(exc))
