"""Call recordings for the bridge: a MixMonitor began, it stopped, files settle, retention.

Idempotent like the call log: a start seen twice (a replay, a resync) keeps one row; a stop of
an unknown file is ignored. A file that is not complete when MixMonitor stops is probed again
by `settle_pending` (the bridge's periodic sweep) and whenever someone opens it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Column, and_, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from crm_core.models import Call, CallRecording
from crm_core.models.enums import AuditAction
from crm_core.recordings.files import RecordingFiles
from crm_core.services.audit import record
from crm_core.services.base import ServiceBase
from crm_core.services.bulk_rows import table_of
from crm_core.services.dto import Actor
from crm_core.services.dto.recordings import (
    RecordingOut,
    RecordingStart,
    RecordingStatus,
    RecordingStop,
)
from crm_core.services.recording_rows import recording_out, refresh_probe

PENDING = (RecordingStatus.RECORDING.value, RecordingStatus.STOPPED.value)
RETENTION = "retention"
DaysOfQueue = Callable[[str], float]
"""Retention in days for a call's queue ("" for calls in no queue)."""

SAME_CALL = and_(Call.linkedid == CallRecording.linkedid, Call.pbx == CallRecording.pbx)
"""A recording and its call: the same linkedid on the same PBX."""
_TABLE = table_of(CallRecording)


class RecordingLog(ServiceBase):
    @property
    def files(self) -> RecordingFiles:
        return RecordingFiles(self._settings.recordings_dir)

    async def started(self, data: RecordingStart) -> RecordingOut:
        async with self._sessions.begin() as session:
            row = await self._by_file(session, data.file_name)
            if row is None:
                row = _new_row(data)
                session.add(row)
                await session.flush()
            return recording_out(row)

    async def stopped(self, file_name: str, at: datetime) -> RecordingOut | None:
        """MixMonitor ended (the channel hung up, or StopMixMonitor): probe the file now."""
        async with self._sessions.begin() as session:
            row = await self._by_file(session, file_name)
            if row is None:
                return None
            _stop(row, at, self.files)
            return recording_out(row)

    async def record_many(self, changes: Sequence[RecordingStart | RecordingStop]) -> int:
        """`started` and `stopped` in turn, in one transaction (one query for the rows that
        exist, one flush): what the bridge saw of many recordings at once; how many were
        started or stopped (a replayed start or the stop of an unknown file changes nothing)."""
        names = {change.file_name for change in changes}
        applied = 0
        async with self._sessions.begin() as session:
            found = await session.scalars(
                select(CallRecording).where(CallRecording.file_name.in_(names))
            )
            rows = {row.file_name: row for row in found}
            new: list[CallRecording] = []  # not added: inserted together below
            for change in changes:
                row = rows.get(change.file_name)
                if isinstance(change, RecordingStart):
                    if row is None:
                        rows[change.file_name] = row = _new_row(change)
                        new.append(row)
                        applied += 1
                elif row is not None:
                    _stop(row, change.at, self.files)
                    applied += 1
            if new:
                await session.execute(insert(_TABLE), [_values(row) for row in new])
        return applied

    async def settle_pending(self, limit: int = 200) -> list[RecordingOut]:
        """Probe files not yet complete; the ones that now are come back."""
        async with self._sessions.begin() as session:
            rows = await session.scalars(
                select(CallRecording)
                .where(CallRecording.status.in_(PENDING))
                .order_by(CallRecording.id)
                .limit(limit)
            )
            return [recording_out(row) for row in rows if refresh_probe(row, self.files)]

    async def expire(
        self, actor: Actor, now: datetime, days_of: DaysOfQueue, oldest_days: float,
        limit: int = 200,
    ) -> list[RecordingOut]:  # fmt: skip
        """Delete the files of recordings older than their queue's retention whose call is not
        kept; each row says so and each deletion is audited. `oldest_days`: the shortest
        retention of any queue (the first cut)."""
        async with self._sessions.begin() as session:
            candidates = await session.execute(
                select(CallRecording, Call.queue)
                .outerjoin(Call, SAME_CALL)
                .where(
                    CallRecording.status != RecordingStatus.DELETED.value,
                    CallRecording.started_at < now - timedelta(days=oldest_days),
                    Call.keep_recordings.is_not(True),
                )
                .order_by(CallRecording.started_at)
                .limit(limit)
            )
            expired = [
                row for row, queue in candidates
                if row.started_at < now - timedelta(days=days_of(queue or ""))
            ]  # fmt: skip
            for row in expired:
                self._delete(session, actor, row, now)
            return [recording_out(row) for row in expired]

    def _delete(
        self, session: AsyncSession, actor: Actor, row: CallRecording, at: datetime
    ) -> None:
        removed = [name for name in (row.file_name, row.received_file, row.sent_file)
                   if name and self.files.remove(name)]  # fmt: skip
        row.status = RecordingStatus.DELETED.value
        row.deleted_at = at
        row.deleted_reason = RETENTION
        record(session, actor, AuditAction.DELETE, "call_recordings", row.id,
               {"linkedid": row.linkedid, "reason": RETENTION, "files": removed})  # fmt: skip

    async def _by_file(self, session: AsyncSession, file_name: str) -> CallRecording | None:
        return await session.scalar(
            select(CallRecording).where(CallRecording.file_name == file_name)
        )


def _new_row(data: RecordingStart) -> CallRecording:
    return CallRecording(
        **data.model_dump(exclude={"at", "received_speaker", "sent_speaker"}),
        received_speaker=data.received_speaker or "", sent_speaker=data.sent_speaker or "",
        status=RecordingStatus.RECORDING.value, started_at=data.at, deleted_reason="",
    )  # fmt: skip


def _stop(row: CallRecording, at: datetime, files: RecordingFiles) -> None:
    if row.status == RecordingStatus.RECORDING:
        row.status = RecordingStatus.STOPPED.value
        row.stopped_at = at
    refresh_probe(row, files)


def _values(row: CallRecording) -> dict[str, Any]:
    """A row not added to the session as one executemany's parameters (the ORM would insert
    each alone on SQLite): what was set on it, the column's default for the rest."""
    return {
        column.key: row.__dict__.get(column.key, _default(column))
        for column in _TABLE.columns if column.key != "id"
    }  # fmt: skip


def _default(column: Column[Any]) -> Any:
    default = column.default
    return default.arg if default is not None and default.is_scalar else None  # type: ignore[attr-defined]
