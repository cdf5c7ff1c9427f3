"""Writes each business call onto the CRM, retrying while the database is away.

Writes are idempotent (upsert by linkedid), so retrying after a failure, a replay or a reconnect
never doubles a call or its call-back task.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from pydantic import ValidationError

from crm_core.services import Services
from crm_core.services.dto import Actor
from crm_core.services.dto import CallRecord as CallRecordIn
from crm_core.services.fencing import FencedOutError
from cti.ami.metrics import Counters
from cti.ingest.pipeline import merging_up_to
from cti.ingest.retry import write_through_outages
from cti.logs import about
from cti.pbxs import DEFAULT_PBX
from cti.state.records import CallEnded, CallEvent, CallRecord, CallStarted

log = logging.getLogger(__name__)
ACTOR = Actor.system("cti")


def _time(timestamp: float | None) -> datetime | None:
    return None if timestamp is None else datetime.fromtimestamp(timestamp, UTC)


def _short(value: str | None, limit: int = 64) -> str:
    """A database-safe text: no NUL (a caller ID can carry one; PostgreSQL refuses it)."""
    return (value or "").replace("\x00", "")[:limit]


def to_crm(call: CallRecord, pbx: str = DEFAULT_PBX) -> CallRecordIn:
    return CallRecordIn.model_validate(
        {
            "pbx": pbx,
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
            "reconstructed": call.reconstructed,
            "note": _short(call.note, 200),
            "queued_at": _time(call.queued_at),
            "callback_of": _short(call.callback_of),
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
    """Handles call events: the record is written when a call starts and again when it ends.

    Behind a merging stage (see `merging`) a backlog comes in one call: then only each call's
    latest record is written, `batch_size` calls per transaction (one commit, not one per call,
    and a fixed number of statements: CallService.register_many); the further behind, the bigger
    the batch. A batch that fails for another reason than the connection is written again call
    by call.
    """

    def __init__(
        self,
        services: Services,
        metrics: Counters,
        retry_max_seconds: float = 5.0,
        batch_size: int = 500,
        pbx: str = DEFAULT_PBX,
    ) -> None:
        self._pbx = pbx  # every record this writer stores is of this PBX
        self._services = services
        self._metrics = metrics
        self._retry_max = retry_max_seconds
        self._batch_size = batch_size
        self.on_fenced: Callable[[str], None] = lambda _reason: None
        """Called when the fence refused a write: another ingest holds the lease."""

    @merging_up_to(5_000)
    async def handle(self, events: Sequence[CallEvent]) -> None:
        latest: dict[str, CallRecord] = {}
        for event in events:
            if isinstance(event, CallStarted | CallEnded):
                latest.pop(event.call.linkedid, None)  # ordered by each call's last event
                latest[event.call.linkedid] = event.call
        records = [record for record in map(self._to_crm, latest.values()) if record]
        for start in range(0, len(records), self._batch_size):
            await self._write_batch(records[start : start + self._batch_size])

    async def write(self, call: CallRecord) -> None:
        record = self._to_crm(call)
        if record is not None:
            await self._write_until_stored([record])

    def _to_crm(self, call: CallRecord) -> CallRecordIn | None:
        try:
            return to_crm(call, self._pbx)
        except ValidationError as exc:
            self._metrics.inc("calllog.rejected")
            log.error(
                "call %s cannot be stored: %s", call.linkedid, exc, extra=about(call.linkedid)
            )
            return None

    async def _write_batch(self, records: list[CallRecordIn]) -> None:
        if len(records) == 1:
            await self._write_until_stored(records)
            return
        try:
            await self._write_until_stored(records)
        except Exception:
            log.exception("writing %d calls together failed; one by one now", len(records))
            for record in records:
                try:
                    await self._write_until_stored([record])
                except Exception:
                    self._metrics.inc("calllog.failed")
                    log.exception(
                        "call %s cannot be stored", record.linkedid, extra=about(record.linkedid)
                    )

    async def _write_until_stored(self, records: list[CallRecordIn]) -> None:
        try:
            outage_started = await write_through_outages(
                lambda: self._register(records), "calls", self._retry_max,
                lambda: self._metrics.inc("calllog.retries"),
            )  # fmt: skip
        except FencedOutError as exc:
            self._metrics.inc("fencing.refused", len(records))
            log.warning(
                "call log: %d calls not written, refused by the fence: %s", len(records), exc
            )
            self.on_fenced(str(exc))
            return
        self._metrics.inc("calllog.written", len(records))
        if outage_started is not None:
            log.info("database back after an outage since %s", outage_started.isoformat())

    async def _register(self, records: list[CallRecordIn]) -> None:
        calls = self._services.calls
        if len(records) == 1:
            await calls.register(ACTOR, records[0])
        else:
            await calls.register_many(ACTOR, records)
