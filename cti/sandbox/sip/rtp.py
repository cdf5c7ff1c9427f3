"""Real media for plain RTP legs: PCMU/8000 in 20 ms packets of a 400 Hz tone, for the life of a
call, sent from the port announced in our SDP to the one in the remote SDP; what arrives is
counted. A key press is sent as RFC 4733 telephone events in the same stream (`send_dtmf`): the
tone pauses while the event's packets go out, as a phone's audio does.

`say(audio)` replaces the tone by speech (8 kHz samples, say a sentence espeak-ng spoke: the
transcript tests), then silence for the rest of the call.

Only plain RTP/AVP legs (the carrier's trunk) get media. WebRTC legs (DTLS-SRTP, the agents'
endpoints) get none: this user agent cannot do DTLS.
"""

from __future__ import annotations

import asyncio
import math
import secrets
import struct
from collections.abc import Sequence
from typing import cast

PCMU, PCMA = 0, 8
DTMF_EVENTS = {key: code for code, key in enumerate("0123456789*#")}
FRAME_SECONDS = 0.02
SAMPLES_PER_FRAME = 160  # 20 ms at 8 kHz


def ulaw(sample: int) -> int:
    """One 16-bit linear sample as a G.711 mu-law byte."""
    sign = 0x80 if sample < 0 else 0
    magnitude = min(abs(sample), 32635) + 0x84
    exponent = magnitude.bit_length() - 8
    mantissa = (magnitude >> (exponent + 3)) & 0x0F
    return ~(sign | exponent << 4 | mantissa) & 0xFF


# 400 Hz makes exactly 8 periods in 20 ms, so one frame repeats without a click.
TONE = bytes(
    ulaw(round(6000 * math.sin(2 * math.pi * 400 * n / 8000))) for n in range(SAMPLES_PER_FRAME)
)
SILENCE = bytes([ulaw(0)]) * SAMPLES_PER_FRAME


class RtpStream(asyncio.DatagramProtocol):
    """One call's media socket. `sent` and `received` count RTP audio packets."""

    def __init__(self) -> None:
        self.sent = 0
        self.received = 0
        self.port = 0
        self.remote: tuple[str, int] | None = None
        self._transport: asyncio.DatagramTransport | None = None
        self._sender: asyncio.Task[None] | None = None
        self._ssrc = secrets.randbits(32)
        self._sequence = 0
        self._timestamp = 0
        self._pressing = False
        self.dtmf_sent = ""  # the keys sent so far
        self._voice: bytes | None = None  # mu-law speech still to send; b"": silence from now

    @classmethod
    async def open(cls, host: str) -> RtpStream:
        """Bind a fresh UDP port on `host` (announce `port` in the SDP)."""
        stream = cls()
        loop = asyncio.get_running_loop()
        await loop.create_datagram_endpoint(lambda: stream, local_addr=(host, 0))
        return stream

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = cast(asyncio.DatagramTransport, transport)
        self.port = self._transport.get_extra_info("sockname")[1]

    def datagram_received(self, data: bytes, addr: tuple[str | object, int]) -> None:
        # RTCP may land here too (no rtcp-mux on a plain leg): count audio payloads only.
        if len(data) > 12 and data[0] >> 6 == 2 and data[1] & 0x7F in (PCMU, PCMA):
            self.received += 1

    def start(self, remote: tuple[str, int]) -> None:
        """Send to `remote` from now until close() (a re-INVITE may move it)."""
        self.remote = remote
        if self._sender is None and self._transport is not None:
            self._sender = asyncio.create_task(self._send_loop())

    def close(self) -> None:
        if self._sender is not None:
            self._sender.cancel()
        if self._transport is not None:
            self._transport.close()

    async def _send_loop(self) -> None:
        loop = asyncio.get_running_loop()
        due = loop.time()
        while True:
            if not self._pressing:
                self.sent += self._send_packet(PCMU, self._frame(), marker=self._sequence == 0)
                self._timestamp += SAMPLES_PER_FRAME
            due += FRAME_SECONDS
            await asyncio.sleep(max(0.0, due - loop.time()))

    def say(self, samples: Sequence[int]) -> float:
        """Send these 16-bit 8 kHz samples instead of the tone, then silence; their seconds."""
        self._voice = bytes(ulaw(sample) for sample in samples)
        return len(samples) / 8000

    def _frame(self) -> bytes:
        if self._voice is None:
            return TONE
        frame, self._voice = self._voice[:SAMPLES_PER_FRAME], self._voice[SAMPLES_PER_FRAME:]
        return frame.ljust(SAMPLES_PER_FRAME, SILENCE[:1])

    async def send_dtmf(self, digit: str, payload_type: int, seconds: float = 0.2) -> None:
        """One key as RFC 4733 events: a packet every 20 ms with the duration so far (the first
        marked), then the end packet three times; all carry the event's start timestamp."""
        event = DTMF_EVENTS[digit]
        self._pressing = True
        try:
            frames = max(1, round(seconds / FRAME_SECONDS))
            for frame in range(1, frames + 1):
                body = struct.pack("!BBH", event, 10, frame * SAMPLES_PER_FRAME)
                self._send_packet(payload_type, body, marker=frame == 1)
                await asyncio.sleep(FRAME_SECONDS)
            end = struct.pack("!BBH", event, 0x80 | 10, frames * SAMPLES_PER_FRAME)
            for _ in range(3):
                self._send_packet(payload_type, end, marker=False)
            self._timestamp += frames * SAMPLES_PER_FRAME
            self.dtmf_sent += digit
        finally:
            self._pressing = False

    def _send_packet(self, payload_type: int, body: bytes, marker: bool) -> bool:
        if self._transport is None or self.remote is None or self._transport.is_closing():
            return False
        timestamp = self._timestamp & 0xFFFFFFFF
        first = (0x80 if marker else 0) | payload_type
        header = struct.pack("!BBHII", 0x80, first, self._sequence & 0xFFFF, timestamp, self._ssrc)
        self._sequence += 1
        try:
            self._transport.sendto(header + body, self.remote)
        except OSError:
            return False
        return True
