"""Reading transcripts: a call's (its job's progress, the lines, summary and flags) and the
full-text search over every line ("calls where the client said invoice"). A call's transcript
is for whoever may listen to its recording (`may_listen`: supervisors, admins, the agents on
the call); the search shows an agent their own calls.

The search runs on the index migration 0015 built: SQLite's FTS5 table `transcript_lines_fts`,
PostgreSQL's `transcript_lines.search` tsvector. Both get the same query: every word of the
search, each as a prefix ("invoice" finds "invoices"), all of them in one line.
"""

from __future__ import annotations

import re

from sqlalchemy import ColumnElement, Integer, Select, column, literal_column, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from crm_core.errors import InvalidFieldError, NotFoundError
from crm_core.models import Call, CallSummary, TranscriptFlag, TranscriptJob, TranscriptLine
from crm_core.services.base import ServiceBase
from crm_core.services.dto import Actor
from crm_core.services.dto.transcripts import (
    FlagOut,
    Speaker,
    SummaryOut,
    TranscriptHit,
    TranscriptLineOut,
    TranscriptOut,
    TranscriptState,
)
from crm_core.services.recording_rows import may_listen
from crm_core.services.transcript_jobs import RUNNING

_WORD = re.compile(r"\w+")
MAX_WORDS = 8
STATES: dict[str, TranscriptState] = {
    "queued": "queued",
    RUNNING: "transcribing",
    "done": "done",
    "failed": "failed",
}


def search_words(query: str) -> list[str]:
    """The words of a search box's text (punctuation and operators dropped)."""
    words = [word.lower() for word in _WORD.findall(query)][:MAX_WORDS]
    if not words:
        raise InvalidFieldError("q", "give at least one word to look for", code="no_search_words")
    return words


def _matching(session: AsyncSession, words: list[str]) -> ColumnElement[bool]:
    if session.get_bind().dialect.name == "sqlite":
        fts_query = " ".join(f'"{word}"*' for word in words)
        return TranscriptLine.id.in_(
            text("SELECT rowid FROM transcript_lines_fts WHERE transcript_lines_fts MATCH :fts")
            .bindparams(fts=fts_query)
            .columns(column("rowid", Integer))
        )
    ts_query = " & ".join(f"{word}:*" for word in words)
    return literal_column("transcript_lines.search").op("@@")(
        text("to_tsquery('simple', :tsq)").bindparams(tsq=ts_query)
    )


class TranscriptService(ServiceBase):
    async def of_call(self, actor: Actor, call_id: int) -> TranscriptOut:
        async with self._sessions() as session:
            call = await session.get(Call, call_id)
            if call is None or not await may_listen(session, actor, call):
                raise NotFoundError("call", call_id)
            job = await session.scalar(
                select(TranscriptJob).where(TranscriptJob.call_id == call_id)
            )
            return TranscriptOut(
                call_id=call_id,
                state="none" if job is None else STATES.get(job.status, "queued"),
                attempts=0 if job is None else job.attempts,
                error="" if job is None else job.last_error,
                lines=await _lines(session, call_id),
                summary=await _summary(session, call_id),
                flags=await _flags(session, call_id),
            )

    async def search(
        self, actor: Actor, query: str, speaker: Speaker | None = None, limit: int = 50
    ) -> list[TranscriptHit]:
        """Lines that hold every word of `query`, newest call first; `speaker`: said by whom."""
        words = search_words(query)
        async with self._sessions() as session:
            statement = _hits(actor, speaker).where(_matching(session, words)).limit(limit)
            rows = await session.execute(statement)
            return [_hit(row[0], row[1]) for row in rows]


def _hits(actor: Actor, speaker: Speaker | None) -> Select[Call, TranscriptLine]:
    statement = (
        select(Call, TranscriptLine)
        .join(TranscriptLine, TranscriptLine.call_id == Call.id)
        .order_by(Call.started_at.desc(), TranscriptLine.start_ms)
    )
    if actor.is_agent:
        statement = statement.where(Call.agent_id == actor.id)
    if speaker is not None:
        statement = statement.where(TranscriptLine.speaker.in_((speaker.value, Speaker.BOTH.value)))
    return statement


def _hit(call: Call, line: TranscriptLine) -> TranscriptHit:
    return TranscriptHit(
        call_id=call.id,
        started_at=call.started_at,
        caller=call.caller,
        callee=call.callee,
        contact_id=call.contact_id,
        speaker=Speaker(line.speaker),
        start_ms=line.start_ms,
        text=line.text,
    )


async def _lines(session: AsyncSession, call_id: int) -> list[TranscriptLineOut]:
    rows = await session.scalars(
        select(TranscriptLine)
        .where(TranscriptLine.call_id == call_id)
        .order_by(TranscriptLine.start_ms, TranscriptLine.id)
    )
    return [TranscriptLineOut.model_validate(row) for row in rows]


async def _summary(session: AsyncSession, call_id: int) -> SummaryOut | None:
    row = await session.get(CallSummary, call_id)
    return None if row is None else SummaryOut.model_validate(row)


async def _flags(session: AsyncSession, call_id: int) -> list[FlagOut]:
    rows = await session.scalars(
        select(TranscriptFlag)
        .where(TranscriptFlag.call_id == call_id)
        .order_by(TranscriptFlag.start_ms, TranscriptFlag.id)
    )
    return [FlagOut.model_validate(row) for row in rows]
