"""Owners' names and extensions, cached for a few seconds: the CRM's user read (an ORM load with
the extensions, ~2.5 ms on SQLite) would otherwise dominate a routing answer (bench/agi.py)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from crm_core.services.users import UserService


@dataclass(frozen=True, slots=True)
class Owner:
    name: str
    extensions: tuple[str, ...]


class OwnerDirectory:
    def __init__(
        self, users: UserService, ttl: float = 10.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._users = users
        self._ttl = ttl
        self._clock = clock
        self._cache: dict[int, tuple[float, Owner]] = {}

    async def get(self, user_id: int) -> Owner:
        now = self._clock()
        hit = self._cache.get(user_id)
        if hit is not None and hit[0] > now:
            return hit[1]
        user = await self._users.get(user_id)
        owner = Owner(user.display_name or user.login, tuple(user.extensions))
        self._cache[user_id] = (now + self._ttl, owner)
        return owner
