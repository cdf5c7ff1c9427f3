"""Exponential backoff with full jitter, for reconnecting."""

from __future__ import annotations

import random


class Backoff:
    def __init__(self, minimum: float, maximum: float, rng: random.Random | None = None) -> None:
        self.minimum = minimum
        self.maximum = maximum
        self.attempts = 0
        self._rng = rng or random.Random()

    def next_delay(self) -> float:
        """A random delay in [minimum, min(maximum, minimum * 2**attempts)]."""
        ceiling = min(self.maximum, self.minimum * (2**self.attempts))
        self.attempts += 1
        return self._rng.uniform(self.minimum, max(self.minimum, ceiling))

    def reset(self) -> None:
        self.attempts = 0
