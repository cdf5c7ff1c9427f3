"""The reader's properties as plain checks: each returns what went wrong (empty: all held).

Shared by tests/fuzz (a small Hypothesis budget, asserting) and bench/fuzz.py (a large one,
tallying). Exceptions are not caught here: the callers decide whether they fail or count.
"""

from __future__ import annotations

from tests.fuzz.ami_bytes import WireCase
from tests.fuzz.reader_harness import ReadPath, frame

FLUSH = b"\r\n\r\n"  # ends whatever a case left unfinished, so the next case starts clean


def split_invariance(case: WireCase, max_message_chars: int = 64 * 1024) -> list[str]:
    whole = frame([case.data], max_message_chars)
    split = frame(case.chunks(), max_message_chars)
    return [] if whole == split else [f"reads {case.cuts} gave {split!r}, one read {whole!r}"]


def round_trip(case: WireCase) -> list[str]:
    """Valid messages come out exactly as sent, however the reads cut them."""
    got = frame(case.chunks())
    return [] if got == case.messages else [f"sent {case.messages!r}, read {got!r}"]


def overlong_dropped(case: WireCase, limit: int, path: ReadPath | None = None) -> list[str]:
    """Oversized messages are dropped, the others survive, the buffer stays bounded."""
    path = path or ReadPath(max_message_chars=limit)
    problems: list[str] = []
    for chunk in case.chunks():
        path.protocol.data_received(chunk)
        if path.buffered_chars() > limit + 3:
            problems.append(f"buffer grew to {path.buffered_chars()} chars (limit {limit})")
    path.feed([FLUSH])
    got = frame(case.chunks(), limit)
    if got != case.messages:
        problems.append(f"expected {case.messages!r}, read {got!r}")
    return problems


def survives(path: ReadPath, case: WireCase) -> int:
    """Feeds a long-lived read path; returns the number of reads. Raises if the reader does."""
    chunks = [*case.chunks(), FLUSH]
    path.feed(chunks)
    return len(chunks)
