"""Company DTOs."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import Field, StringConstraints

from crm_core.services.dto.common import Dto, RecordId, Unchanged, UserBrief, VisibleText
from crm_core.services.dto.phones import PhoneIn, PhoneOut

CompanyName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200, pattern=r"\S"),
    VisibleText,
]
Tag = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40, pattern=r"\S")
]
Tags = Annotated[list[Tag], Field(max_length=20)]
NotesText = Annotated[str, StringConstraints(max_length=10_000)]


class CompanyCreate(Dto):
    name: CompanyName
    owner_id: RecordId | None = None
    tags: Tags = Field(default_factory=list)
    notes: NotesText = ""
    phones: list[PhoneIn] = Field(default_factory=list, max_length=20)


class CompanyUpdate(Dto):
    name: Unchanged[CompanyName] = None
    owner_id: RecordId | None = None
    tags: Unchanged[Tags] = None
    notes: Unchanged[NotesText] = None


class CompanyOut(Dto):
    id: int
    name: str
    owner: UserBrief | None
    tags: list[str]
    notes: str
    phones: list[PhoneOut]
    created_at: datetime
    updated_at: datetime
