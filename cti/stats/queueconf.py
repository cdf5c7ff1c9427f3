"""Reads a queues.conf: each real queue's settings with its templates resolved."""

from __future__ import annotations

import re

_SECTION = re.compile(r"^\[([^\]]+)\](?:\(([^)]*)\))?")
Sections = dict[str, tuple[list[str], dict[str, str]]]


def _sections(text: str) -> Sections:
    sections: Sections = {}
    current: dict[str, str] | None = None
    for raw in text.splitlines():
        line = raw.split(";", 1)[0].strip()
        header = _SECTION.match(line)
        if header:
            parents = [p.strip() for p in (header.group(2) or "").split(",") if p.strip()]
            current = {}
            sections[header.group(1)] = (parents, current)
        elif current is not None and "=" in line and not line.startswith("member"):
            key, value = line.split("=", 1)
            current[key.strip().rstrip(">").strip()] = value.strip()
    return sections


def _resolved(name: str, sections: Sections) -> dict[str, str]:
    parents, own = sections[name]
    merged: dict[str, str] = {}
    for parent in parents:
        if parent in sections:
            merged |= _resolved(parent, sections)
    return merged | own


def queue_settings(text: str) -> dict[str, dict[str, str]]:
    """{queue: {setting: value}} for every real queue (templates and [general] left out)."""
    sections = _sections(text)
    return {
        name: _resolved(name, sections)
        for name, (parents, _) in sections.items()
        if name != "general" and "!" not in parents
    }


def seconds(value: str | None) -> float | None:
    """A queues.conf number of seconds; None when absent or not a number."""
    if value is None or not value.replace(".", "", 1).isdigit():
        return None
    return float(value)


def wrapup_seconds(text: str) -> dict[str, float]:
    """{queue: wrapuptime} for every real queue (0 where none is set, as Asterisk takes it)."""
    return {
        name: seconds(values.get("wrapuptime")) or 0.0
        for name, values in queue_settings(text).items()
    }
