"""WAV files as Asterisk's format_wav writes them: 8 kHz 16-bit mono, a 44-byte header whose
sizes are zero until the file is closed."""

from __future__ import annotations

import math
import struct
from pathlib import Path

RATE = 8000


def tone(seconds: float, hz: float = 440.0) -> bytes:
    samples = int(seconds * RATE)
    return b"".join(
        struct.pack("<h", int(8000 * math.sin(2 * math.pi * hz * i / RATE))) for i in range(samples)
    )


def header(data_size: int) -> bytes:
    return (
        b"RIFF" + struct.pack("<I", 36 + data_size if data_size else 0) + b"WAVE"
        + b"fmt " + struct.pack("<IHHIIHH", 16, 1, 1, RATE, RATE * 2, 2, 16)
        + b"data" + struct.pack("<I", data_size)
    )  # fmt: skip


def write_wav(path: Path, seconds: float, *, closed: bool = True) -> bytes:
    """The file's bytes; `closed=False`: still being written (sizes not filled in)."""
    audio = tone(seconds)
    content = header(len(audio) if closed else 0) + audio
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return content
