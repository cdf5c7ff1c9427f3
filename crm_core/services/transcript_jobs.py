"""The transcription job queue: one durable row per call in `transcript_jobs`.

A job is queued for a call once one of its recordings is complete (`queue_recorded`, each
worker round: a row of `call_recordings` with status complete and no job yet; two workers
queueing at once insert one row); workers claim the oldest due job, one at a time. On
PostgreSQL the claim is `SELECT ... FOR UPDATE SKIP LOCKED`, so workers never wait on each
other's row; SQLite has no
row locks, so the claim is an update conditional on the row still being as it was read, and a
worker that lost the race reads the next one. A job whose worker died (claimed longer than
`lease` ago, still running) is due again. Every step is one transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, delete, exists, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from crm_core.models import Call, CallRecording, CallSummary, TranscriptJob, TranscriptLine
from crm_core.models.base import utcnow
from crm_core.services.base import ServiceBase
from crm_core.services.dto.recordings import RecordingStatus

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
CLAIM_TRIES = 5
RECENT = timedelta(days=2)
"""Recordings completed longer ago are not queued (a new install does not transcribe the past)."""


@dataclass(frozen=True, slots=True)
class ClaimedJob:
    job_id: int
    call_id: int
    attempts: int
    """Attempts so far, this one included (a reclaimed job's older worker no longer matches)."""


@dataclass(frozen=True, slots=True)
class Line:
    speaker: str
    start_ms: int
    end_ms: int
    text: str


@dataclass(frozen=True, slots=True)
class Summary:
    summary: str
    wrapup_note: str
    model: str


def _recorded_without_job(since: datetime, limit: int) -> Select[int]:
    complete = exists().where(
        CallRecording.linkedid == Call.linkedid,
        CallRecording.pbx == Call.pbx,
        CallRecording.status == RecordingStatus.COMPLETE.value,
        CallRecording.started_at >= since,
    )
    has_job = exists().where(TranscriptJob.call_id == Call.id)
    return select(Call.id).where(complete, ~has_job).order_by(Call.id).limit(limit)


def _insert_ignoring_known(session: AsyncSession) -> Any:
    """INSERT ... ON CONFLICT DO NOTHING: another worker may queue the same call at once."""
    dialect = session.get_bind().dialect.name
    return (postgresql_insert if dialect == "postgresql" else sqlite_insert)(TranscriptJob)


class LostRace:
    """Another worker claimed the job between our read and our update."""


def _due(now: datetime, lease: timedelta) -> ColumnElement[bool]:
    waiting = and_(TranscriptJob.status == QUEUED, TranscriptJob.next_attempt_at <= now)
    abandoned = and_(TranscriptJob.status == RUNNING, TranscriptJob.claimed_at < now - lease)
    return or_(waiting, abandoned)


class TranscriptJobStore(ServiceBase):
    async def queue_recorded(self, now: datetime | None = None, limit: int = 100) -> int:
        """Queue the calls whose recording is complete (recorded in the last RECENT) and that
        have no job yet; how many were queued."""
        at = now or utcnow()
        async with self._sessions.begin() as session:
            call_ids = list(await session.scalars(_recorded_without_job(at - RECENT, limit)))
            if not call_ids:
                return 0
            rows = [{"call_id": call_id, "status": QUEUED, "attempts": 0, "next_attempt_at": at,
                     "claimed_by": "", "last_error": "", "backend": "", "created_at": at}
                    for call_id in call_ids]  # fmt: skip
            statement = _insert_ignoring_known(session).values(rows)
            await session.execute(statement.on_conflict_do_nothing(index_elements=["call_id"]))
            return len(call_ids)

    async def claim(
        self, worker: str, lease: timedelta, now: datetime | None = None
    ) -> ClaimedJob | None:
        """The oldest due job, now running for `worker`; None when nothing is due."""
        at = now or utcnow()
        for _ in range(CLAIM_TRIES):
            async with self._sessions.begin() as session:
                claimed = await self._claim_once(session, worker, lease, at)
            if not isinstance(claimed, LostRace):
                return claimed
        return None

    async def _claim_once(
        self, session: AsyncSession, worker: str, lease: timedelta, at: datetime
    ) -> ClaimedJob | LostRace | None:
        """The claimed job; None: nothing due; LostRace: another worker took it first (SQLite)."""
        statement = select(TranscriptJob).where(_due(at, lease)).order_by(TranscriptJob.id).limit(1)
        postgres = session.get_bind().dialect.name == "postgresql"
        if postgres:
            statement = statement.with_for_update(skip_locked=True)
        job = await session.scalar(statement)
        if job is None:
            return None
        won = await session.execute(
            update(TranscriptJob)
            .where(
                TranscriptJob.id == job.id,
                TranscriptJob.status == job.status,
                TranscriptJob.attempts == job.attempts,
            )
            .values(
                status=RUNNING, claimed_by=worker[:100], claimed_at=at, attempts=job.attempts + 1
            )
            .execution_options(synchronize_session=False)
        )
        if int(getattr(won, "rowcount", 0) or 0) != 1:
            return LostRace()
        return ClaimedJob(job.id, job.call_id, job.attempts + 1)

    async def complete(
        self, job: ClaimedJob, backend: str, lines: Sequence[Line], summary: Summary | None
    ) -> bool:
        """Store the transcript (replacing an older one) and mark the job done; False when the
        job is no longer this worker's (its lease ran out and another took it)."""
        async with self._sessions.begin() as session:
            if not await self._finish(session, job, DONE, backend=backend[:40], last_error=""):
                return False
            await session.execute(
                delete(TranscriptLine).where(TranscriptLine.call_id == job.call_id)
            )
            session.add_all(
                TranscriptLine(
                    call_id=job.call_id,
                    speaker=line.speaker,
                    start_ms=line.start_ms,
                    end_ms=line.end_ms,
                    text=line.text,
                )
                for line in lines
            )
            await session.execute(delete(CallSummary).where(CallSummary.call_id == job.call_id))
            if summary is not None:
                session.add(
                    CallSummary(
                        call_id=job.call_id,
                        summary=summary.summary,
                        wrapup_note=summary.wrapup_note,
                        model=summary.model[:100],
                    )
                )
            return True

    async def fail(self, job: ClaimedJob, error: str, retry_at: datetime | None) -> None:
        """An attempt failed: due again at `retry_at`, or failed for good when None."""
        values: dict[str, object] = {"last_error": error[:500]}
        if retry_at is not None:
            values["next_attempt_at"] = retry_at
        async with self._sessions.begin() as session:
            await self._finish(session, job, FAILED if retry_at is None else QUEUED, **values)

    async def _finish(
        self, session: AsyncSession, job: ClaimedJob, status: str, **values: object
    ) -> bool:
        result = await session.execute(
            update(TranscriptJob)
            .where(
                TranscriptJob.id == job.job_id,
                TranscriptJob.status == RUNNING,
                TranscriptJob.attempts == job.attempts,
            )
            .values(status=status, finished_at=utcnow(), **values)
            .execution_options(synchronize_session=False)
        )
        return int(getattr(result, "rowcount", 0) or 0) == 1

    async def retry(self, call_id: int) -> bool:
        """Queue a failed or finished call's transcription again (an admin's retry)."""
        async with self._sessions.begin() as session:
            result = await session.execute(
                update(TranscriptJob)
                .where(TranscriptJob.call_id == call_id, TranscriptJob.status.in_((DONE, FAILED)))
                .values(status=QUEUED, attempts=0, next_attempt_at=utcnow(), last_error="")
            )
            return int(getattr(result, "rowcount", 0) or 0) == 1

    async def backlog(self) -> dict[str, int]:
        """Jobs by status (queued, running, done, failed), every status present."""
        async with self._sessions() as session:
            rows = await session.execute(
                select(TranscriptJob.status, func.count()).group_by(TranscriptJob.status)
            )
            counts = {status: 0 for status in (QUEUED, RUNNING, DONE, FAILED)}
            counts.update({status: count for status, count in rows})
            return counts
