"""Writes each business call onto the CRM, retrying while the database is away.

Writes are idempotent (upsert by linkedid), so retrying after a failure, a replay or a reconnect
never doubles a call or its call-back task.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from datetime import UTC, datetime

from pydantic import ValidationError

from crm_core.services import Services
from crm_core.services.dto import Actor
from crm_core.services.dto import CallRecord as CallRecordIn
from cti.ami.metrics import Counters
from cti.state.records import CallEnded, CallEvent, CallRecord, CallStarted

log = logging.getLogger(__name__)
ACTOR = Actor.system("cti")


def _time(timestamp: float | None) -> datetime | None:
    return None if timestamp is None else datetime.fromtimestamp(timestamp, UTC)


def _short(value: str | None, limit: int = 64) -> str:
    return (value or "")[:limit]


def to_crm(call: CallRecord) -> CallRecordIn:
    return CallRecordIn.model_validate(
        {
            "linkedid": call.linkedid,
            "direction": call.direction,
            "caller": _short(call.caller),
            "callee": _short(call.callee),
            "queue": _short(call.queue),
            "agents_rang": [_short(agent) for agent in call.agents_rang],
            "answered_by": _short(call.answered_by),
            "started_at": _time(call.started_at),
            "answered_at": _time(call.answered_at),
            "ended_at": _time(call.ended_at),
            "wait_seconds": round(call.wait_seconds or 0),
            "talk_seconds": round(call.talk_seconds or 0),
            "disposition": call.disposition,
            "recording": _short(call.recording, 500),
            "routing_reason": _short(call.route_reason, 200),
            "transfers": [
                {
                    "kind": t.kind,
                    "from": _short(t.from_agent),
                    "to": _short(t.to),
                    "at": _time(t.at),
                }
                for t in call.transfers
            ],
        }
    )


class CallLogWriter:
    """Handles call events: the record is written when a call starts and again when it ends."""

    def __init__(
        self, services: Services, metrics: Counters, retry_max_seconds: float = 5.0
    ) -> None:
        self._services = services
        self._metrics = metrics
        self._retry_max = retry_max_seconds

    async def handle(self, events: Sequence[CallEvent]) -> None:
        for event in events:
            if isinstance(event, CallStarted | CallEnded):
                await self.write(event.call)

    async def write(self, call: CallRecord) -> None:
        try:
            record = to_crm(call)
        except ValidationError as exc:
            self._metrics.inc("calllog.rejected")
            log.error("call %s cannot be stored: %s", call.linkedid, exc)
            return
        await self._write_until_stored(record)

    async def _write_until_stored(self, record: CallRecordIn) -> None:
        delay, outage_started = 0.2, None
        while True:
            try:
                await self._services.calls.register(ACTOR, record)
            except Exception as exc:
                if not _is_connection_error(exc):
                    raise
                outage_started = outage_started or datetime.now(UTC)
                self._metrics.inc("calllog.retries")
                log.warning("database unavailable (%s); retrying in %.1f s", exc, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, self._retry_max)
                continue
            self._metrics.inc("calllog.written")
            if outage_started is not None:
                log.info("database back after an outage since %s", outage_started.isoformat())
            return


def _is_connection_error(exc: BaseException) -> bool:
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
