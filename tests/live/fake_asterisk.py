"""Asterisk's side of the live transcript without Asterisk, for the runtime's tests and the
bench: an AMI action sender that answers an Originate of the live context by connecting to the
AudioSocket server the action names (CTI_LIVE_SERVER), naming the stream (CTI_LIVE_ID) and
sending audio in 20 ms frames at the pace of a call (or faster), then a hangup, over real TCP."""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from cti.live.audiosocket import KIND_HANGUP, KIND_SLIN, KIND_UUID, encode

FRAME_BYTES = 320  # 20 ms of 8 kHz 16-bit audio
FRAME_SECONDS = 0.02


@dataclass
class Sent:
    """One stream as the fake Asterisk sent it: when each frame left (monotonic seconds)."""

    channel: str
    stream: uuid.UUID
    started_at: float = 0.0
    finished_at: float = 0.0
    closed_by_bridge: bool = False
    done: asyncio.Event = field(default_factory=asyncio.Event)


class FakeAsterisk:
    """`audio_for(channel)` gives the 8 kHz PCM a spied channel sends; `speed` 1.0 is real time."""

    def __init__(self, audio_for: Callable[[str], bytes], speed: float = 1.0,
                 hang_up: bool = True) -> None:  # fmt: skip
        self.audio_for, self.speed, self.hang_up = audio_for, speed, hang_up
        self.actions: list[Mapping[str, str]] = []
        self.sent: list[Sent] = []
        self._tasks: set[asyncio.Task[None]] = set()

    async def send_action(
        self, action: Mapping[str, str], *, as_list: bool | None = None
    ) -> list[dict[str, str]]:
        self.actions.append(action)
        if action.get("Action") != "Originate":
            return [{"Response": "Error", "Message": "not faked"}]
        variables = dict(v.split("=", 1) for v in action["Variable"].split(","))
        channel = action["Data"].split(",", 1)[0]
        sent = Sent(channel, uuid.UUID(variables["CTI_LIVE_ID"]))
        self.sent.append(sent)
        host, port = variables["CTI_LIVE_SERVER"].rsplit(":", 1)
        task = asyncio.create_task(self._stream(sent, host, int(port)))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return [{"Response": "Success", "Message": "Originate successfully queued"}]

    async def _stream(self, sent: Sent, host: str, port: int) -> None:
        reader, writer = await asyncio.open_connection(host, port)
        closed = asyncio.create_task(reader.read())  # the bridge never sends: EOF is its close
        try:
            writer.write(encode(KIND_UUID, sent.stream.bytes))
            audio = self.audio_for(sent.channel)
            sent.started_at = time.monotonic()
            pace = FRAME_SECONDS / self.speed
            for i, offset in enumerate(range(0, len(audio), FRAME_BYTES)):
                if closed.done():
                    sent.closed_by_bridge = True
                    return
                writer.write(encode(KIND_SLIN, audio[offset : offset + FRAME_BYTES]))
                await writer.drain()
                delay = sent.started_at + (i + 1) * pace - time.monotonic()
                await asyncio.sleep(max(0.0, delay))
            sent.finished_at = time.monotonic()
            if self.hang_up:
                writer.write(encode(KIND_HANGUP))
                await writer.drain()
            else:
                await closed  # stay until the bridge closes it
                sent.closed_by_bridge = True
        except (ConnectionError, OSError):
            sent.closed_by_bridge = True
        finally:
            closed.cancel()
            sent.done.set()
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
