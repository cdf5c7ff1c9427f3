"""Per-queue settings Asterisk does not report over AMI (wrap-up), read from queues.conf."""

from __future__ import annotations

import re
from pathlib import Path

_SECTION = re.compile(r"^\[([^\]]+)\](?:\(([^)]*)\))?")


def _sections(text: str) -> dict[str, tuple[list[str], dict[str, str]]]:
    sections: dict[str, tuple[list[str], dict[str, str]]] = {}
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


def _resolved(name: str, sections: dict[str, tuple[list[str], dict[str, str]]]) -> dict[str, str]:
    parents, own = sections[name]
    merged: dict[str, str] = {}
    for parent in parents:
        if parent in sections:
            merged |= _resolved(parent, sections)
    return merged | own


def wrapup_seconds(text: str) -> dict[str, float]:
    """{queue: wrapuptime} for every real queue (templates and [general] left out)."""
    sections = _sections(text)
    result: dict[str, float] = {}
    for name, (parents, _) in sections.items():
        if name == "general" or "!" in parents:
            continue
        value = _resolved(name, sections).get("wrapuptime", "0")
        result[name] = float(value) if value.replace(".", "", 1).isdigit() else 0.0
    return result


def load_wrapup(path: Path) -> dict[str, float]:
    return wrapup_seconds(path.read_text(encoding="utf-8")) if path.is_file() else {}
