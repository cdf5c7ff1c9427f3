"""How big a recording is, how long it plays, and whether Asterisk has finished writing it.

Asterisk's format_wav writes a 44-byte header with zero sizes and fills them in when the file is
closed (MixMonitor's end, a moment after the hang-up): until then the header's data size does
not match the bytes on disk, which is how "still being written" is told.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

HEADER_READ = 4096


@dataclass(frozen=True, slots=True)
class Probe:
    size_bytes: int
    duration_seconds: float | None
    complete: bool


@dataclass(frozen=True, slots=True)
class _WavLayout:
    byte_rate: int
    data_offset: int
    data_size: int


def _chunks(head: bytes) -> dict[bytes, tuple[int, int]]:
    """{chunk id: (offset of its body, its declared size)} for the chunks in `head`."""
    found: dict[bytes, tuple[int, int]] = {}
    offset = 12
    while offset + 8 <= len(head):
        chunk_id, size = head[offset : offset + 4], struct.unpack_from("<I", head, offset + 4)[0]
        found.setdefault(chunk_id, (offset + 8, size))
        if chunk_id == b"data":
            break
        offset += 8 + size + (size & 1)
    return found


def _wav_layout(head: bytes) -> _WavLayout | None:
    if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
        return None
    chunks = _chunks(head)
    if b"fmt " not in chunks or b"data" not in chunks:
        return None
    fmt_offset, fmt_size = chunks[b"fmt "]
    if fmt_size < 16 or fmt_offset + 16 > len(head):
        return None
    byte_rate = struct.unpack_from("<I", head, fmt_offset + 8)[0]
    data_offset, data_size = chunks[b"data"]
    return _WavLayout(byte_rate, data_offset, data_size)


def probe(path: Path) -> Probe | None:
    """None when the file is not there."""
    try:
        with path.open("rb") as file:
            size = path.stat().st_size
            head = file.read(HEADER_READ)
    except (FileNotFoundError, IsADirectoryError):
        return None
    if path.suffix.lower() != ".wav":
        return Probe(size, None, size > 0)
    layout = _wav_layout(head)
    if layout is None or layout.byte_rate <= 0:
        return Probe(size, None, False)
    complete = layout.data_size > 0 and layout.data_offset + layout.data_size == size
    duration = (size - layout.data_offset) / layout.byte_rate
    return Probe(size, round(max(duration, 0.0), 3), complete)
