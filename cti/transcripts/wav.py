"""A recording as 16 kHz mono 16-bit samples, the form pocketsphinx's English model wants.

Asterisk's MixMonitor writes `.wav` as 8 kHz signed linear; upsampling is linear interpolation
(no filter is needed going up), in plain Python: the standard library's `audioop` is deprecated.
"""

from __future__ import annotations

import array
import sys
import wave
from pathlib import Path

RATE = 16_000


class UnreadableAudioError(Exception):
    pass


def read_pcm16(path: Path) -> tuple[array.array[int], int]:
    """The file's samples (mono, 16-bit) and its sample rate."""
    try:
        with wave.open(str(path), "rb") as reader:
            if reader.getsampwidth() != 2:
                raise UnreadableAudioError(f"{path.name}: {8 * reader.getsampwidth()}-bit audio")
            channels, rate = reader.getnchannels(), reader.getframerate()
            raw = reader.readframes(reader.getnframes())
    except (wave.Error, EOFError) as exc:
        raise UnreadableAudioError(f"{path.name}: {exc}") from exc
    samples = array.array("h", raw)
    if sys.byteorder == "big":
        samples.byteswap()
    return (_mono(samples, channels) if channels > 1 else samples), rate


def _mono(samples: array.array[int], channels: int) -> array.array[int]:
    frames = zip(*(samples[i::channels] for i in range(channels)), strict=True)
    return array.array("h", (sum(frame) // channels for frame in frames))


SILENT_PEAK = 64
"""A side whose loudest sample stays under this (of 32767) said nothing: a phone that sent no
audio is recorded as digital silence, and the decoder would read a word into it."""


def is_silent(path: Path) -> bool:
    samples, _rate = read_pcm16(path)
    return max(map(abs, samples), default=0) < SILENT_PEAK


def resample(samples: array.array[int], source: int, target: int = RATE) -> array.array[int]:
    if source == target or not samples:
        return samples
    last = len(samples) - 1
    step = source / target
    count = int(len(samples) * target / source)
    out = array.array("h", bytes(2 * count))
    for i in range(count):
        x = i * step
        j = int(x)
        k = min(j + 1, last)
        out[i] = int(samples[j] + (samples[k] - samples[j]) * (x - j))
    return out


def pcm16k(path: Path) -> bytes:
    """The file as 16 kHz mono little-endian 16-bit PCM."""
    samples, rate = read_pcm16(path)
    converted = resample(samples, rate)
    if sys.byteorder == "big":
        converted.byteswap()
    return converted.tobytes()


def duration_seconds(path: Path) -> float:
    with wave.open(str(path), "rb") as reader:
        return reader.getnframes() / float(reader.getframerate())
