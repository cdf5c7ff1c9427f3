"""Transcripts on the card: the job's progress, the lines per speaker, the summary, the flags;
the search's hits; the keyword rules admins set."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from crm_core.services.dto.common import Dto, VisibleText

TranscriptState = Literal["none", "queued", "transcribing", "done", "failed"]
"""none: no job (no recording, or not ended yet); transcribing: a worker has it now."""


class Speaker(StrEnum):
    AGENT = "agent"
    CALLER = "caller"
    BOTH = "both"
    """A mixed recording: the two sides could not be told apart."""


class RuleSpeaker(StrEnum):
    ANY = "any"
    CALLER = "caller"
    AGENT = "agent"


class TranscriptLineOut(Dto):
    speaker: Speaker
    start_ms: int
    end_ms: int
    text: str


class SummaryOut(Dto):
    summary: str
    wrapup_note: str
    model: str


class FlagOut(Dto):
    keyword: str
    speaker: Speaker
    start_ms: int
    text: str


class TranscriptOut(Dto):
    call_id: int
    state: TranscriptState
    attempts: int
    error: str
    lines: list[TranscriptLineOut]
    summary: SummaryOut | None
    flags: list[FlagOut]


class TranscriptHit(Dto):
    """A line of a call's transcript that matched a search."""

    call_id: int
    started_at: datetime
    caller: str
    callee: str
    contact_id: int | None
    speaker: Speaker
    start_ms: int
    text: str


Keyword = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=100),
    VisibleText,
    Field(description="a word or phrase, matched case-insensitively on whole words"),
]


class KeywordRuleCreate(Dto):
    keyword: Keyword
    speaker: RuleSpeaker = RuleSpeaker.ANY
    enabled: bool = True


class KeywordRulePatch(Dto):
    speaker: RuleSpeaker | None = None
    enabled: bool | None = None


class KeywordRuleOut(Dto):
    id: int
    keyword: str
    speaker: RuleSpeaker
    enabled: bool
    created_at: datetime


class TranscriptBacklog(Dto):
    queued: int
    running: int
    done: int
    failed: int
