"""Hypothesis budgets: small and deterministic for the test suite, large for bench/fuzz.py."""

from __future__ import annotations

from hypothesis import HealthCheck, Phase, settings

_QUIET = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]


def ci_settings(max_examples: int) -> settings:
    """Same examples on every run (derandomize), no example database, shrinking on failure."""
    return settings(
        max_examples=max_examples,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=_QUIET,
    )


def bench_settings(max_examples: int) -> settings:
    """Generation only: the bench tallies failures itself instead of raising and shrinking."""
    return settings(
        max_examples=max_examples,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=_QUIET,
    )
