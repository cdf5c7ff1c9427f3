"""Today's figures of one queue from its counters (formulas: see cti.stats)."""

from __future__ import annotations

from typing import Any

from cti.stats.model import QueueDay


def ratio(part: float, whole: float) -> float | None:
    return None if whole == 0 else part / whole


def mean(values: list[float]) -> float | None:
    return None if not values else sum(values) / len(values)


def day_figures(day: QueueDay, threshold: float, wrapup: float) -> dict[str, Any]:
    answered, abandoned = len(day.answered), len(day.abandoned)
    answered_within = sum(1 for wait in day.answered.values() if wait <= threshold)
    abandoned_within = sum(1 for wait in day.abandoned.values() if wait <= threshold)
    completed = list(day.talk.values())
    handled = mean([talk + wrapup for talk in completed])
    return {
        "offered": len(day.offered),
        "answered": answered,
        "abandoned": abandoned,
        "completed": len(completed),
        "timed_out": len(day.timed_out),
        "answered_within": answered_within,
        "abandoned_within": abandoned_within,
        "sl": ratio(answered_within, answered),
        "sl2": ratio(answered_within + abandoned_within, answered + abandoned),
        "abandon_rate": ratio(abandoned, answered + abandoned),
        "asa": mean(list(day.answered.values())),
        "aht": handled,
    }
