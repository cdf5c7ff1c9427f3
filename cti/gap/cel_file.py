"""Reading the CEL JSON-lines file (dialplans/asterisk/cel_custom.conf) from a point in time.

The file only grows and its lines are in event order, so the first line after a time is found by
bisecting byte offsets: a gap of a few seconds in a file of millions of events costs a few reads.
A line that is not JSON (a partial last line, a rotated file's remains) is skipped.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import IO, Any

log = logging.getLogger(__name__)
CelRow = dict[str, Any]
_PROBE_BYTES = 4096


def row_time(row: CelRow) -> float | None:
    try:
        return float(row.get("eventtime", ""))
    except (TypeError, ValueError):
        return None


def _parse(line: bytes) -> CelRow | None:
    try:
        row = json.loads(line)
    except ValueError:
        return None
    return row if isinstance(row, dict) and row_time(row) is not None else None


def _time_after(handle: IO[bytes], offset: int) -> tuple[int, float | None]:
    """The start and time of the first whole line after byte `offset`."""
    handle.seek(offset)
    if offset:
        handle.readline()
    while True:
        start, line = handle.tell(), handle.readline()
        if not line:
            return start, None
        row = _parse(line)
        if row is not None:
            return start, row_time(row)


def _first_offset_after(handle: IO[bytes], size: int, since: float) -> int:
    low, high = 0, size
    while high - low > _PROBE_BYTES:
        middle = (low + high) // 2
        _, stamp = _time_after(handle, middle)
        if stamp is None or stamp > since:
            high = middle
        else:
            low = middle
    return low


def read_since(path: Path, since: float, until: float) -> list[CelRow]:
    """Rows with since < eventtime <= until, in file order; [] when the file is missing."""
    try:
        handle = path.open("rb")
    except OSError as exc:
        log.warning("CEL file %s unreadable (%s): the gap is settled without it", path, exc)
        return []
    with handle:
        size = path.stat().st_size
        handle.seek(_first_offset_after(handle, size, since))
        if handle.tell():
            handle.readline()
        rows = (_parse(line) for line in handle)
        return [row for row in rows if row is not None and since < (row_time(row) or 0) <= until]
