"""The AudioSocket server against a real TCP client speaking Asterisk's wire protocol: the
stream's UUID first (KIND_UUID, 16 bytes), 8 kHz signed linear audio (KIND_SLIN), then a hangup
(KIND_HANGUP); a stream the bridge did not ask for, a first message that is not a UUID, a
header cut short and an error message each end as they should, and the server can close a
stream itself (the client sees the end)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable

import pytest

from cti.live.audiosocket import (
    KIND_ERROR,
    KIND_HANGUP,
    KIND_SLIN,
    KIND_UUID,
    AudioSocketServer,
    StreamEnd,
    StreamSink,
    encode,
)
from tests.fixtures.bridge import wait_until


class Collect(StreamSink):
    def __init__(self) -> None:
        self.chunks: list[bytes] = []
        self.end: StreamEnd | None = None
        self.done = asyncio.Event()
        self.disconnect: Callable[[], None] | None = None

    def attach(self, disconnect: Callable[[], None]) -> None:
        self.disconnect = disconnect

    def audio(self, pcm: bytes) -> None:
        self.chunks.append(pcm)

    def ended(self, end: StreamEnd) -> None:
        self.end = end
        self.done.set()


@pytest.fixture
async def served() -> AsyncIterator[tuple[AudioSocketServer, dict[uuid.UUID, Collect]]]:
    sinks: dict[uuid.UUID, Collect] = {}
    server = AudioSocketServer("127.0.0.1", 0, sinks.get)
    await server.start()
    try:
        yield server, sinks
    finally:
        await server.stop()


async def _client(server: AudioSocketServer) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    return await asyncio.open_connection("127.0.0.1", server.port)


def test_the_wire_format() -> None:
    stream = uuid.UUID("8d2b8a9e-0d6f-4a8e-9d43-3a1f0c5b7e21")
    assert encode(KIND_UUID, stream.bytes) == b"\x01\x00\x10" + stream.bytes
    assert encode(KIND_SLIN, b"\x01\x02" * 160)[:3] == b"\x10\x01\x40"  # 320 bytes, big-endian
    assert encode(KIND_HANGUP) == b"\x00\x00\x00"
    with pytest.raises(ValueError, match="at most 65535"):
        encode(KIND_SLIN, bytes(70_000))


async def test_a_stream_audio_arrives_in_order_then_the_hangup_ends_it(
    served: tuple[AudioSocketServer, dict[uuid.UUID, Collect]],
) -> None:
    server, sinks = served
    stream = uuid.uuid4()
    sinks[stream] = sink = Collect()
    reader, writer = await _client(server)
    writer.write(encode(KIND_UUID, stream.bytes))
    frames = [bytes([i]) * 320 for i in range(50)]
    for frame in frames:  # a header split from its payload, as TCP may deliver it
        message = encode(KIND_SLIN, frame)
        writer.write(message[:2])
        await writer.drain()
        writer.write(message[2:])
    writer.write(encode(KIND_HANGUP))
    await writer.drain()
    await asyncio.wait_for(sink.done.wait(), 5)
    assert sink.chunks == frames
    assert sink.end == StreamEnd("hangup")
    assert await reader.read() == b""  # the server closed its side: it never sends audio
    writer.close()


async def test_an_unknown_stream_and_a_first_message_that_is_not_a_uuid_are_closed(
    served: tuple[AudioSocketServer, dict[uuid.UUID, Collect]],
) -> None:
    server, _sinks = served
    for first in (encode(KIND_UUID, uuid.uuid4().bytes), encode(KIND_SLIN, bytes(320))):
        reader, writer = await _client(server)
        writer.write(first + encode(KIND_SLIN, bytes(320)))
        await writer.drain()
        assert await asyncio.wait_for(reader.read(), 5) == b""
        writer.close()
    assert server.refused == 2


async def test_a_connection_cut_inside_a_message_and_an_error_message_end_as_errors(
    served: tuple[AudioSocketServer, dict[uuid.UUID, Collect]],
) -> None:
    server, sinks = served
    cut, failing = uuid.uuid4(), uuid.uuid4()
    sinks[cut], sinks[failing] = Collect(), Collect()
    _reader, writer = await _client(server)
    writer.write(encode(KIND_UUID, cut.bytes) + encode(KIND_SLIN, bytes(320))[:100])
    await writer.drain()
    writer.close()
    await asyncio.wait_for(sinks[cut].done.wait(), 5)
    end = sinks[cut].end
    assert end is not None
    assert end.how == "error"
    assert "320-byte payload" in end.detail
    _reader, writer = await _client(server)
    writer.write(encode(KIND_UUID, failing.bytes) + encode(KIND_ERROR, b"\x02"))
    await writer.drain()
    await asyncio.wait_for(sinks[failing].done.wait(), 5)
    assert sinks[failing].end == StreamEnd("error", "Asterisk reported error 02")
    writer.close()


async def test_the_server_closes_a_stream_and_the_client_sees_it_end(
    served: tuple[AudioSocketServer, dict[uuid.UUID, Collect]],
) -> None:
    server, sinks = served
    stream = uuid.uuid4()
    sinks[stream] = sink = Collect()
    reader, writer = await _client(server)
    writer.write(encode(KIND_UUID, stream.bytes) + encode(KIND_SLIN, bytes(320)))
    await writer.drain()
    await wait_until(lambda: sink.disconnect is not None and sink.chunks, 5, "the audio")
    assert sink.disconnect is not None
    sink.disconnect()
    assert await asyncio.wait_for(reader.read(), 5) == b""
    await asyncio.wait_for(sink.done.wait(), 5)
    assert sink.end is not None
    writer.close()
