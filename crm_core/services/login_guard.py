"""Sign-in throttling, in memory (per process), with an injectable clock.

- Failures per login and per address: the first `free` failures cost nothing; after that each
  failure makes the key wait 1 s, 2 s, 4 s ... up to `max_wait`. While a key waits, every attempt
  is refused before any password is checked, the right one too. A success clears the login's
  count (not the address's: one known account must not reset a spray of guesses at others); a
  key left alone for `max_wait` is forgotten.
- Attempts per address: a token bucket (`rate` a second, bursts of `burst`), whatever the outcome.

Both maps are bounded (`MAX_KEYS`): when full, the stalest keys are dropped first.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from crm_core.errors import TooManyAttemptsError

MAX_KEYS = 50_000
Clock = Callable[[], float]


@dataclass(slots=True)
class _Strikes:
    count: int
    last: float
    wait_until: float = 0.0


class FailureBackoff:
    """Doubling waits for a key after `free` failures."""

    def __init__(self, free: int, max_wait: float, clock: Clock) -> None:
        self._free, self._max_wait, self._clock = free, max_wait, clock
        self._keys: OrderedDict[str, _Strikes] = OrderedDict()

    def wait_left(self, key: str) -> float:
        strikes = self._keys.get(key)
        if strikes is None:
            return 0.0
        now = self._clock()
        if now - strikes.last > self._max_wait:
            del self._keys[key]
            return 0.0
        return max(0.0, strikes.wait_until - now)

    def failed(self, key: str) -> bool:
        """Count a failure; True when this one starts a wait (worth an audit entry)."""
        now = self._clock()
        strikes = self._keys.pop(key, None)
        if strikes is None or now - strikes.last > self._max_wait:
            strikes = _Strikes(0, now)
        strikes.count, strikes.last = strikes.count + 1, now
        over = strikes.count - self._free
        if over > 0:
            strikes.wait_until = now + min(self._max_wait, 2.0 ** (over - 1))
        self._keys[key] = strikes
        while len(self._keys) > MAX_KEYS:
            self._keys.popitem(last=False)
        return over == 1

    def succeeded(self, key: str) -> None:
        self._keys.pop(key, None)


class TokenBucket:
    """`rate` attempts a second per key, bursts of `burst`."""

    def __init__(self, rate: float, burst: int, clock: Clock) -> None:
        self._rate, self._burst, self._clock = rate, float(burst), clock
        self._keys: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def take(self, key: str) -> float:
        """0 when an attempt may go now (and counts it), else the seconds until one may."""
        now = self._clock()
        tokens, last = self._keys.pop(key, (self._burst, now))
        tokens = min(self._burst, tokens + (now - last) * self._rate)
        wait = 0.0
        if tokens >= 1:
            tokens -= 1
        else:
            wait = (1 - tokens) / self._rate
        self._keys[key] = (tokens, now)
        while len(self._keys) > MAX_KEYS:
            self._keys.popitem(last=False)
        return wait


@dataclass(frozen=True, slots=True)
class LoginLimits:
    free_failures: int = 5
    address_free_failures: int = 30
    max_wait: float = 900.0
    rate: float = 5.0
    burst: int = 20


class LoginGuard:
    """Asks before a password is checked, and is told how it went."""

    def __init__(self, limits: LoginLimits, clock: Clock = time.monotonic) -> None:
        self._logins = FailureBackoff(limits.free_failures, limits.max_wait, clock)
        self._addresses = FailureBackoff(limits.address_free_failures, limits.max_wait, clock)
        self._rate = TokenBucket(limits.rate, limits.burst, clock)

    def check(self, login: str, address: str) -> None:
        """TooManyAttemptsError when this login or this address must wait."""
        waits = (self._logins.wait_left(_login_key(login)), self._addresses.wait_left(address))
        wait = max(waits)
        if wait > 0:
            raise TooManyAttemptsError(wait)
        wait = self._rate.take(address)
        if wait > 0:
            raise TooManyAttemptsError(wait)

    def failed(self, login: str, address: str) -> bool:
        """Count a failed attempt; True when the login or the address starts waiting now."""
        login_locked = self._logins.failed(_login_key(login))
        address_locked = self._addresses.failed(address)
        return login_locked or address_locked

    def succeeded(self, login: str) -> None:
        self._logins.succeeded(_login_key(login))


def _login_key(login: str) -> str:
    return login.strip().casefold()
