"""A small set of named counters: cheap to bump from the reader, easy to expose.

Timings go through `observe(name, seconds)`: nothing is kept here; whoever exposes them
(cti.metrics: Prometheus histograms) subscribes with `on_observe(name, observer)`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable

Observer = Callable[[float], None]


class Counters:
    def __init__(self) -> None:
        self._values: Counter[str] = Counter()
        self._observers: defaultdict[str, list[Observer]] = defaultdict(list)

    def inc(self, name: str, amount: int = 1) -> None:
        self._values[name] += amount

    def get(self, name: str) -> int:
        return self._values[name]

    def as_dict(self) -> dict[str, int]:
        return dict(self._values)

    def observe(self, name: str, value: float) -> None:
        for observer in self._observers.get(name, ()):
            observer(value)

    def on_observe(self, name: str, observer: Observer) -> None:
        self._observers[name].append(observer)
