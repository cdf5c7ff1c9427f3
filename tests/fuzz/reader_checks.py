"""The reader's properties as plain checks: each returns what went wrong (empty: all held).

Shared by tests/fuzz (a small Hypothesis budget, asserting) and bench/fuzz.py (a large one,
tallying). Exceptions are not caught here: the callers decide whether they fail or count.
"""

from __future__ import annotations

from cti.ami.wire import to_fields
from tests.fuzz.ami_bytes import WireCase
from tests.fuzz.reader_harness import ReadPath, frame

FLUSH = b"\r\n\r\n"  # ends whatever a case left unfinished, so the next case starts clean


def split_invariance(case: WireCase, max_message_chars: int = 64 * 1024) -> list[str]:
    whole = frame([case.data], max_message_chars)
    split = frame(case.chunks(), max_message_chars)
    return [] if whole == split else [f"reads {case.cuts} gave {split!r}, one read {whole!r}"]


def fast_matches_tolerant(case: WireCase, max_message_chars: int = 64 * 1024) -> list[str]:
    """The fast path gives what the line-by-line tolerant path gives, message for message."""
    fast = frame(case.chunks(), max_message_chars)
    tolerant = frame(case.chunks(), max_message_chars, fast=False)
    return [] if fast == tolerant else [f"fast path {fast!r}, tolerant path {tolerant!r}"]


def round_trip(case: WireCase) -> list[str]:
    """Valid messages come out exactly as sent, however the reads cut them."""
    got, sent = frame(case.chunks()), [to_fields(m) for m in case.messages]
    return [] if got == sent else [f"sent {sent!r}, read {got!r}"]


def overlong_dropped(case: WireCase, limit: int, path: ReadPath | None = None) -> list[str]:
    """Oversized messages are dropped, the others survive, the buffer stays bounded."""
    path = path or ReadPath(max_message_chars=limit)
    problems: list[str] = []
    for chunk in case.chunks():
        path.protocol.data_received(chunk)
        if path.buffered_chars() > limit + 3:
            problems.append(f"buffer grew to {path.buffered_chars()} chars (limit {limit})")
    path.feed([FLUSH])
    got, sent = frame(case.chunks(), limit), [to_fields(m) for m in case.messages]
    if got != sent:
        problems.append(f"expected {sent!r}, read {got!r}")
    return problems


def survives(path: ReadPath, case: WireCase) -> int:
    """Feeds a long-lived read path; returns the number of reads. Raises if the reader does."""
    chunks = [*case.chunks(), FLUSH]
    path.feed(chunks)
    return len(chunks)
