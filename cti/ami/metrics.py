"""A small set of named counters: cheap to bump from the reader, easy to expose."""

from __future__ import annotations

from collections import Counter


class Counters:
    def __init__(self) -> None:
        self._values: Counter[str] = Counter()

    def inc(self, name: str, amount: int = 1) -> None:
        self._values[name] += amount

    def get(self, name: str) -> int:
        return self._values[name]

    def as_dict(self) -> dict[str, int]:
        return dict(self._values)
