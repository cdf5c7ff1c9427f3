"""The routing rules as the router sees them: compiled once, kept in memory, reloaded on change.

A change made through this process (the admin API of `cti serve`) is seen on the next call: the
service counts its changes. A change made by another process is seen within `refresh` seconds:
at most that often the router reads the one-row version counter. When the database fails, the
last rules read keep routing calls.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable

from crm_core.services.routing import RoutingService
from cti.routing.policy import Policy

log = logging.getLogger(__name__)


class RuleCache:
    def __init__(
        self, routing: RoutingService, refresh: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:  # fmt: skip
        self._routing = routing
        self._refresh = refresh
        self._clock = clock
        self._policy: Policy | None = None
        self._seen_changes = -1
        self._check_at = 0.0
        self._lock = asyncio.Lock()
        self._loads = 0

    async def get(self) -> Policy:
        loads = self._loads
        if self._policy is None or self._seen_changes != self._routing.changes:
            return await self._load(loads)
        if self._clock() >= self._check_at:
            self._check_at = self._clock() + self._refresh
            try:
                stale = await self._routing.version() != self._policy.version
            except Exception:
                log.exception("routing rules version unreadable; keeping the rules in memory")
                return self._policy
            if stale:
                return await self._load(loads)
        return self._policy

    async def _load(self, loads: int) -> Policy:
        async with self._lock:
            if self._policy is not None and self._loads != loads:
                return self._policy  # another session loaded them meanwhile
            try:
                self._policy = await self._read()
            except Exception:
                if self._policy is None:
                    raise
                self._seen_changes = self._routing.changes  # retried at the next version check
                self._check_at = self._clock() + self._refresh
                log.exception("routing rules unreadable; keeping the rules in memory")
            return self._policy

    async def _read(self) -> Policy:
        if self._policy is None:
            await self._routing.ensure_defaults()
        changes = self._routing.changes
        policy = Policy.compile(await self._routing.rule_set())
        self._seen_changes = changes
        self._loads += 1
        self._check_at = self._clock() + self._refresh
        return policy
