"""The sign-in throttle's arithmetic on a clock the test turns (crm_core.services.login_guard)."""

from __future__ import annotations

import pytest

from crm_core.errors import TooManyAttemptsError
from crm_core.services.login_guard import LoginGuard, LoginLimits


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _wait(guard: LoginGuard, login: str, address: str = "10.0.0.1") -> float:
    try:
        guard.check(login, address)
    except TooManyAttemptsError as exc:
        return exc.retry_after
    return 0.0


def test_waits_double_after_the_free_failures_and_are_capped() -> None:
    clock = Clock()
    guard = LoginGuard(LoginLimits(free_failures=3, max_wait=10, rate=1000, burst=1000), clock)
    waits = []
    for _ in range(8):
        waits.append(_wait(guard, "Agent1"))
        guard.failed("agent1", "10.0.0.1")
        clock.now += 0.001
    assert waits[:4] == [0, 0, 0, 0]
    assert [round(w) for w in waits[4:]] == [1, 2, 4, 8]
    clock.now += 10
    assert _wait(guard, "agent1") == pytest.approx(0, abs=0.01)


def test_a_success_clears_the_login_and_quiet_forgets_it() -> None:
    clock = Clock()
    guard = LoginGuard(LoginLimits(free_failures=1, max_wait=60, rate=1000, burst=1000), clock)
    guard.failed("a", "x")
    guard.failed("a", "x")
    assert _wait(guard, "a") > 0
    guard.succeeded("a")
    assert _wait(guard, "a") == 0
    guard.failed("b", "y")
    guard.failed("b", "y")
    clock.now += 61
    assert _wait(guard, "b", "y") == 0


def test_one_address_gets_rate_attempts_a_second_after_a_burst() -> None:
    clock = Clock()
    guard = LoginGuard(LoginLimits(rate=2, burst=3), clock)
    assert [_wait(guard, f"user{n}") for n in range(3)] == [0, 0, 0]
    assert _wait(guard, "user9") == pytest.approx(0.5)
    clock.now += 0.5
    assert _wait(guard, "user10") == 0
    assert _wait(guard, "user11", address="10.0.0.2") == 0
