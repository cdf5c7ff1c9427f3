"""Make independent copies of a call's events (fresh ids) and interleave several calls."""

from __future__ import annotations

from collections.abc import Sequence

from cti.state.events import AmiEvent

_ID_SUFFIXES = ("uniqueid", "linkedid", "bridgeid")


def relabel(events: Sequence[AmiEvent], tag: str) -> list[AmiEvent]:
    """Same call, new identity: each uniqueid, linkedid, bridge id and channel name gets `tag`."""
    return [
        AmiEvent(e.name, {k: _tagged(k, v, tag) for k, v in e.headers.items()}, e.received_at)
        for e in events
    ]


def _tagged(key: str, value: str, tag: str) -> str:
    lower = key.lower()
    if not value:
        return value
    if lower.endswith(_ID_SUFFIXES):
        return f"{value}~{tag}"
    if lower.endswith("channel") or lower == "newname":
        base, sep, half = value.rpartition(";")
        return f"{base}~{tag};{half}" if sep and half in ("1", "2") else f"{value}~{tag}"
    return value


def interleave(streams: Sequence[Sequence[AmiEvent]], order: Sequence[int]) -> list[AmiEvent]:
    """`order` names a stream per step; each stream's own order is kept."""
    cursors = [0] * len(streams)
    merged: list[AmiEvent] = []
    for index in order:
        merged.append(streams[index][cursors[index]])
        cursors[index] += 1
    return merged
