"""Contact DTOs."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Self

from pydantic import ConfigDict, EmailStr, Field, JsonValue, StringConstraints, model_validator
from pydantic_core import PydanticCustomError

from crm_core.models.enums import ContactStatus
from crm_core.services.dto.common import (
    CompanyBrief,
    Dto,
    RecordId,
    Unchanged,
    UserBrief,
    VisibleText,
)
from crm_core.services.dto.phones import PhoneIn, PhoneOut

Name = Annotated[str, StringConstraints(strip_whitespace=True, max_length=100), VisibleText]
Short = Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)]
Email = Annotated[EmailStr, StringConstraints(max_length=254)]
Language = Annotated[str, Field(pattern=r"^([a-z]{2})?$", description="ISO 639-1, e.g. sk")]
NAMED: list[JsonValue] = [
    {"required": [field], "properties": {field: {"type": "string", "pattern": r"\S"}}}
    for field in ("first_name", "last_name")
]


class ContactCreate(Dto):
    model_config = ConfigDict(json_schema_extra={"anyOf": NAMED})

    first_name: Name = ""
    last_name: Name = ""
    company_id: RecordId | None = None
    position: Short = ""
    email: Email | None = None
    owner_id: RecordId | None = None
    status: ContactStatus = ContactStatus.LEAD
    source: Short = ""
    created_from_call_id: RecordId | None = None
    language: Language = ""
    phones: list[PhoneIn] = Field(default_factory=list, max_length=20)

    @model_validator(mode="after")
    def _has_a_name(self) -> Self:
        if not (self.first_name or self.last_name):
            # a stable error type: the page words it in its language (reason.name_required)
            raise PydanticCustomError("name_required", "a contact needs a first or a last name")
        return self


class ContactUpdate(Dto):
    """Only the fields present in the request are changed; null clears company/owner/email."""

    first_name: Unchanged[Name] = None
    last_name: Unchanged[Name] = None
    company_id: RecordId | None = None
    position: Unchanged[Short] = None
    email: Email | None = None
    owner_id: RecordId | None = None
    status: Unchanged[ContactStatus] = None
    source: Unchanged[Short] = None
    language: Unchanged[Language] = None


class ContactOut(Dto):
    id: int
    first_name: str
    last_name: str
    full_name: str
    company: CompanyBrief | None
    position: str
    email: str
    owner: UserBrief | None
    status: ContactStatus
    source: str
    created_from_call_id: int | None
    language: str
    assignment_reason: str
    phones: list[PhoneOut]
    created_at: datetime
    updated_at: datetime
