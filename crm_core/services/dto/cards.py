"""The card (screen-pop payload), the timeline and audit DTOs."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from crm_core.services.dto.calls import CallOut
from crm_core.services.dto.common import Dto, UserBrief
from crm_core.services.dto.companies import CompanyOut
from crm_core.services.dto.contacts import ContactOut
from crm_core.services.dto.tasks import NoteOut, TaskOut
from crm_core.services.dto.voicemails import VoicemailOut


class CardRef(Dto):
    kind: Literal["contact", "company"]
    id: int
    name: str


class Card(Dto):
    """Everything an agent needs when the phone rings."""

    phone: str
    contact: ContactOut | None
    company: CompanyOut | None
    owner: UserBrief | None
    last_calls: list[CallOut]
    open_tasks: list[TaskOut]
    last_notes: list[NoteOut]
    other_matches: list[CardRef]


class TimelineItem(Dto):
    kind: Literal["call", "task", "note", "voicemail"]
    at: datetime
    call: CallOut | None = None
    task: TaskOut | None = None
    note: NoteOut | None = None
    voicemail: VoicemailOut | None = None


class AuditOut(Dto):
    id: int
    actor_id: int | None
    actor_login: str
    at: datetime
    action: str
    table_name: str
    record_id: int
    changes: dict[str, Any]
