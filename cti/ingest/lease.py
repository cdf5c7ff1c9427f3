"""The ingest lease on PostgreSQL: one active ingest per Asterisk, the others hot standbys.

Why a PostgreSQL advisory lock and not a Redis lease: the database is the thing a deposed
ingest must be kept from writing, and the lock lives in it. The lock is a session lock held
on a connection of its own, so it dies with the process or its connection: a SIGKILLed
ingest's lock is released the moment PostgreSQL sees the socket close, without waiting for a
TTL. A paused process (SIGSTOP, a frozen VM) or a cut network keeps a socket PostgreSQL cannot
see die; the lease connection therefore sets `idle_session_timeout`, and the holder pings
every `timeout / 6`: a holder silent for `timeout` seconds has its session ended by the
server, and with it the lock. The holder that cannot ping within `timeout * 2/3` steps down
on its own.

Every acquisition raises the epoch `ingest_leases.token` by one (crm_core.services.fencing):
the call log and the state store check it in their own transactions, so what a deposed
ingest still had in flight is refused, never written over the new holder's records.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import os
import socket
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import asyncpg  # type: ignore[import-untyped]
from sqlalchemy.engine import make_url

from crm_core.services.fencing import Fence

log = logging.getLogger(__name__)
RAISE_EPOCH = """
INSERT INTO ingest_leases (name, token, holder, since) VALUES ($1, 1, $2, now())
ON CONFLICT (name) DO UPDATE
  SET token = ingest_leases.token + 1, holder = excluded.holder, since = excluded.since
RETURNING token
"""
RAISE_EPOCH_SECONDS = 10.0  # waits for a deposed holder's write under way (its session ends)


def lock_key(name: str) -> int:
    """The advisory lock's 64-bit key for lease `name` (signed, as PostgreSQL takes it)."""
    digest = hashlib.blake2b(f"cti-ingest-lease:{name}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def asyncpg_dsn(database_url: str) -> str:
    """The SQLAlchemy URL (postgresql+asyncpg://...) as a plain libpq one."""
    url = make_url(database_url).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def default_holder() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class PgLease:
    """Tries the lock every `poll` seconds; holding it, pings it. `on_acquired(token)` and
    `on_lost(reason)` are called from the lease task and must not block (schedule the work)."""

    def __init__(
        self, database_url: str, fence: Fence, timeout: float = 1.5, poll: float = 0.2,
        holder: str | None = None,
    ) -> None:  # fmt: skip
        self.fence = fence
        self.holder = holder or default_holder()
        self.timeout = timeout
        self.poll = poll
        self._dsn = asyncpg_dsn(database_url)
        self._key = lock_key(fence.name)
        self._task: asyncio.Task[None] | None = None
        self._connection: Any = None
        self.held = False
        self.since: datetime | None = None
        self.error: str | None = None
        self.on_acquired: Callable[[int], None] = lambda _token: None
        self.on_lost: Callable[[str], None] = lambda _reason: None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="ingest-lease")

    async def stop(self) -> None:
        """Releases the lock (its connection closes) for a standby to take at once."""
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        await self._close()
        self.held = False
        self.fence.token = None

    def give_up(self, reason: str) -> None:
        """A write was refused by the fence: another holds the lease; step down now."""
        if self.held:
            self._lose(reason)
            if self._connection is not None:
                self._connection.terminate()

    async def _run(self) -> None:
        ping = self.timeout / 6
        ping_timeout = self.timeout * 2 / 3
        while True:
            try:
                self._connection = await asyncpg.connect(
                    self._dsn, timeout=ping_timeout + 1, server_settings={
                        "idle_session_timeout": str(int(self.timeout * 1000)),
                        "application_name": f"cti-ingest-lease {self.holder}"[:63],
                    },
                )  # fmt: skip
                self.error = None
                await self._wait_for_lock(ping_timeout)
                token = int(
                    await self._connection.fetchval(
                        RAISE_EPOCH, self.fence.name, self.holder[:200],
                        timeout=RAISE_EPOCH_SECONDS,
                    )
                )  # fmt: skip
                self.fence.token = token
                self.held = True
                self.since = datetime.now(UTC)
                log.warning("lease %s acquired: token %d (%s)", self.fence.name, token, self.holder)
                self.on_acquired(token)
                while True:
                    await asyncio.sleep(ping)
                    await self._connection.fetchval("SELECT 1", timeout=ping_timeout)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                self.error = f"{type(exc).__name__}: {exc}"
                if self.held:
                    self._lose(self.error)
                else:
                    log.debug("lease %s not taken: %s", self.fence.name, self.error)
                await self._close()
                await asyncio.sleep(self.poll)

    async def _wait_for_lock(self, timeout: float) -> None:
        """A standby: try the lock every poll (each try also keeps the session from idling)."""
        try_lock = "SELECT pg_try_advisory_lock($1)"
        while True:
            if await self._connection.fetchval(try_lock, self._key, timeout=timeout):
                return
            await asyncio.sleep(self.poll)

    def _lose(self, reason: str) -> None:
        if not self.held:
            return
        self.held = False
        self.fence.token = None  # every write from now is refused before the database
        log.warning("lease %s lost (%s): stepping down to standby", self.fence.name, reason)
        self.on_lost(reason)

    def status(self) -> dict[str, object]:
        return {"name": self.fence.name, "holder": self.holder, "held": self.held,
                "refused_writes": self.fence.refused, "error": self.error}  # fmt: skip

    async def _close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            with contextlib.suppress(Exception):
                connection.terminate()
