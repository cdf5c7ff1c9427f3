"""Cheap variants of a generated case, for the bench's budget: the same bytes cut by other reads,
the same calls in another interleaving with other disorder. A seeded PRNG (its seed drawn by
Hypothesis) makes them, as Hypothesis's own draws cost ~50 µs each."""

from __future__ import annotations

import random
from dataclasses import replace

from tests.fuzz.ami_bytes import WireCase
from tests.fuzz.perturb import RandomEvent, TrackerCase

_MAX_CUTS = 12


def recut(case: WireCase, rng: random.Random) -> WireCase:
    size = len(case.data)
    if size < 2:
        return case
    if rng.randrange(16) == 0:
        return replace(case, cuts=list(range(1, size)))  # one byte per read
    count = min(size - 1, rng.randrange(_MAX_CUTS + 1))
    return replace(case, cuts=sorted(rng.sample(range(1, size), count)))


def reshuffle(case: TrackerCase, rng: random.Random) -> TrackerCase:
    """Another interleaving; duplicates, delays, made-up events and gaps elsewhere."""
    order = list(case.order)
    rng.shuffle(order)
    return TrackerCase(
        case.calls,
        order,
        duplicates=[(_position(rng), later) for _, later in case.duplicates],
        delays=[(_position(rng), later) for _, later in case.delays],
        random_events=[RandomEvent(e.name, _position(rng), e.picks) for e in case.random_events],
        gaps=[(_position(rng), length) for _, length in case.gaps],
        garbage_resync_at=None if case.garbage_resync_at is None else _position(rng),
    )


def _position(rng: random.Random) -> int:
    return rng.randrange(10_000)
