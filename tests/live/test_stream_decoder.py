"""The live decoder's child process (`cti/live/decode_child.py`, pocketsphinx as a stream) on an
espeak-ng sentence at the PBX's 8 kHz, fed in 20 ms chunks at twice the pace of a call: words
come out while the audio is still going in (partial lines, then the utterance's final line
with word times), and digital silence gives no line at all."""

from __future__ import annotations

import array
import asyncio
import json
import sys
import time
import wave
from pathlib import Path
from typing import Any

from cti.live.decode_child import Upsampler
from cti.live.runtime import CHILD
from tests.fixtures.bridge import wait_until
from tests.transcripts.spoken import CALLER_SENTENCE, speak

CHUNK = 320


async def _decode(audio: bytes, speed: float) -> tuple[list[tuple[float, dict[str, Any]]], float]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, str(CHILD), stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )  # fmt: skip
    assert proc.stdin is not None
    assert proc.stdout is not None
    out: list[tuple[float, dict[str, Any]]] = []

    async def read() -> None:
        assert proc.stdout is not None
        async for raw in proc.stdout:
            out.append((time.monotonic(), json.loads(raw)))

    reader = asyncio.create_task(read())
    await wait_until(lambda: out, 30, 'the model loaded ("ready")')
    start = time.monotonic()
    for i, offset in enumerate(range(0, len(audio), CHUNK)):
        proc.stdin.write(audio[offset : offset + CHUNK])
        await proc.stdin.drain()
        await asyncio.sleep(max(0.0, start + (i + 1) * 0.02 / speed - time.monotonic()))
    fed_at = time.monotonic()
    proc.stdin.close()
    await asyncio.wait_for(reader, 60)
    assert await proc.wait() == 0
    return out, fed_at


async def test_words_come_out_before_the_audio_has_all_gone_in(tmp_path: Path) -> None:
    path = speak(CALLER_SENTENCE, tmp_path / "s.wav", pause_seconds=0.5)
    with wave.open(str(path)) as reader:
        audio = reader.readframes(reader.getnframes()) + bytes(2 * 8000 * 2)  # 2 s of quiet
    out, fed_at = await _decode(audio, speed=2.0)
    kinds = [line["kind"] for _at, line in out]
    assert kinds[0] == "ready"
    partials = [(at, line) for at, line in out if line["kind"] == "partial"]
    finals = [line for _at, line in out if line["kind"] == "final"]
    assert partials, kinds
    assert partials[0][0] < fed_at, "the first words came only after the whole sentence"
    assert finals
    final = finals[0]
    assert final["text"]
    assert final["words"]
    assert 0 <= final["start"] < final["end"] <= len(audio) / 16000
    assert final["at"] < len(audio) / 16000  # said at a pause, before the stream ended


async def test_digital_silence_gives_no_line() -> None:
    out, _fed_at = await _decode(bytes(2 * 8000 * 3), speed=8.0)
    assert [line["kind"] for _at, line in out] == ["ready"]


def test_upsampling_doubles_the_rate_and_carries_across_chunks() -> None:
    up = Upsampler()
    first = array.array("h", up(array.array("h", [0, 100]).tobytes()))
    second = array.array("h", up(array.array("h", [300]).tobytes()))
    assert list(first) == [0, 50, 100]
    assert list(second) == [200, 300]
