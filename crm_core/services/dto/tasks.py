"""Task and note DTOs."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import AwareDatetime, StringConstraints

from crm_core.models.enums import TaskKind
from crm_core.services.dto.common import Dto, PageParams, RecordId, Unchanged, VisibleText

Subject = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200, pattern=r"\S"),
    VisibleText,
]
LongText = Annotated[str, StringConstraints(max_length=10_000)]


class TaskScope(StrEnum):
    OPEN = "open"
    TODAY = "today"
    OVERDUE = "overdue"
    ALL = "all"


class TaskCreate(Dto):
    kind: TaskKind = TaskKind.TODO
    subject: Subject
    due_at: AwareDatetime | None = None
    assignee_id: RecordId | None = None
    contact_id: RecordId | None = None
    call_id: RecordId | None = None


class TaskUpdate(Dto):
    subject: Unchanged[Subject] = None
    due_at: AwareDatetime | None = None
    done: Unchanged[bool] = None
    result: Unchanged[LongText] = None


class TaskOut(Dto):
    id: int
    kind: TaskKind
    subject: str
    due_at: datetime | None
    assignee_id: int
    contact_id: int | None
    call_id: int | None
    done_at: datetime | None
    result: str
    created_at: datetime
    scheduled: bool = False
    auto_dial: bool = False
    notified_at: datetime | None = None
    dialed_at: datetime | None = None


class TaskFilter(PageParams):
    scope: TaskScope = TaskScope.OPEN
    assignee_id: RecordId | None = None


class NoteCreate(Dto):
    body: Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=1, max_length=10_000, pattern=r"\S"),
    ]
    call_id: RecordId | None = None


class NoteOut(Dto):
    id: int
    contact_id: int
    author_id: int | None
    call_id: int | None
    body: str
    created_at: datetime
