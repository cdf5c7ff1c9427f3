"""Read recorded AMI streams: raw AMI text (as on the wire) or JSON (a list of flat event dicts)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

from cti.ami.wire import MessageFramer
from cti.state.events import AmiEvent

StreamFormat = Literal["ami", "json"]


def parse_ami_text(data: bytes | str, variables: frozenset[str] | None = None) -> list[AmiEvent]:
    """Every `Event:` message of a raw AMI capture; responses, banner and junk are skipped (and
    VarSets of variables not in `variables`, as the live reader drops them)."""
    raw = data.encode() if isinstance(data, str) else data
    framer = MessageFramer(max_message_chars=1 << 20, variables=variables)
    messages = framer.feed(raw + b"\r\n\r\n")
    return [_event(fields) for fields in messages if "Event" in fields]


def parse_json_events(data: bytes | str) -> list[AmiEvent]:
    items = json.loads(data)
    if not isinstance(items, list):
        raise ValueError("a JSON stream is a list of flat event objects")
    return [_event(_flat(item)) for item in items if isinstance(item, dict) and "Event" in item]


def load_events(path: Path, fmt: StreamFormat | None = None) -> list[AmiEvent]:
    data = path.read_bytes()
    if (fmt or guess_format(path)) == "json":
        return parse_json_events(data)
    return parse_ami_text(data)


def guess_format(path: Path) -> StreamFormat:
    return "json" if path.suffix.lower() == ".json" else "ami"


def _flat(item: Mapping[str, object]) -> dict[str, str]:
    return {str(key): "" if value is None else str(value) for key, value in item.items()}


def _event(headers: dict[str, str]) -> AmiEvent:
    received = headers.pop("received_at", None)
    return AmiEvent.from_headers(headers, _float(received))


def _float(value: str | None) -> float:
    try:
        return float(value) if value else 0.0
    except ValueError:
        return 0.0
