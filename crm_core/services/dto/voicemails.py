"""Voicemail DTOs: a message on the card, and marking it heard."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from crm_core.services.dto.common import Dto


class VoicemailOut(Dto):
    id: int
    mailbox: str = Field(description="the box: an agent's extension (1007) or a queue's (100)")
    mailbox_context: str = Field(description="the box's voicemail.conf context (`default`)")
    folder: str = Field(description="where Asterisk keeps it: INBOX, Old (heard on a phone)")
    caller_number: str
    caller_name: str
    external_e164: str | None
    received_at: datetime
    duration_seconds: float | None
    size_bytes: int | None
    call_id: int | None = Field(description="the call the message was left in, when linked")
    contact_id: int | None
    owner_id: int | None = Field(description="who calls back: the box's agent, or as missed calls")
    task_id: int | None = Field(description="the one call-back task the message belongs to")
    heard: bool
    heard_at: datetime | None
    heard_by_id: int | None
    playable: bool = Field(description="its audio file is in the spool")
    gone_at: datetime | None = Field(description="when it was no longer in Asterisk's spool")


class HeardIn(Dto):
    heard: bool = Field(description="true: heard; false: back to unheard")


class ScanResult(Dto):
    """One pass over the spool: messages added, moved, gone, left for later, unreadable."""

    added: list[VoicemailOut] = Field(default_factory=list)
    moved: int = 0
    gone: int = 0
    waiting: int = Field(0, description="too new to link yet: their call is not written")
    broken: int = 0
