"""Writing to the CRM through a database outage: wait for it to come back, fail on anything else.

The sinks behind a Stage (the call log, the agent event log) retry a lost connection with a
growing delay; their writes are idempotent, so a retry never doubles anything."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

log = logging.getLogger(__name__)
FIRST_DELAY = 0.2


def is_connection_error(exc: BaseException) -> bool:
    """SQLAlchemy wraps driver errors; a lost or refused connection is worth retrying."""
    from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

    if isinstance(exc, OSError | ConnectionError | TimeoutError):
        return True
    if isinstance(exc, OperationalError | InterfaceError):
        return True
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    cause = exc.__cause__ or exc.__context__
    return isinstance(cause, OSError | ConnectionError)


async def write_through_outages(
    write: Callable[[], Awaitable[object]], what: str, retry_max: float,
    on_retry: Callable[[], None] = lambda: None,
) -> datetime | None:  # fmt: skip
    """Run `write` until it succeeds; returns when the outage began, None without one."""
    delay, outage_started = FIRST_DELAY, None
    while True:
        try:
            await write()
            return outage_started
        except Exception as exc:
            if not is_connection_error(exc):
                raise
            outage_started = outage_started or datetime.now(UTC)
            on_retry()
            log.warning("database unavailable (%s); %s retried in %.1f s", exc, what, delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, retry_max)
