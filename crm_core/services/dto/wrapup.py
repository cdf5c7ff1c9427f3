"""Wrap-up codes: what admins define, what an agent's wrap-up sends, what comes back."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from crm_core.services.dto.callbacks import CallbackOut
from crm_core.services.dto.calls import CallOut
from crm_core.services.dto.common import DB_INT_MAX, Dto, RecordId, Unchanged, VisibleText
from crm_core.services.dto.reports import Bucket
from crm_core.services.dto.tasks import NoteOut

CodeSlug = Annotated[
    str,
    StringConstraints(min_length=1, max_length=32, pattern=r"^[a-z0-9][a-z0-9_-]*$"),
    Field(description="lower-case letters, digits, - and _; e.g. call-back-later"),
]
QueueName = Annotated[
    str,
    StringConstraints(max_length=64, pattern=r"^[A-Za-z0-9_.-]*$"),
    Field(description='the Asterisk queue; "" = a global code, offered for every call'),
]
Label = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=100, pattern=r"\S"),
    VisibleText,
]
CallbackHours = Annotated[
    int,
    Field(
        ge=0,
        le=720,
        description="picking the code plans a call-back this many hours later; 0: none",
    ),
]
Position = Annotated[int, Field(ge=0, le=DB_INT_MAX)]
NoteBody = Annotated[str, StringConstraints(strip_whitespace=True, max_length=10_000), VisibleText]


class WrapupCodeCreate(Dto):
    code: CodeSlug
    label: Label
    queue: QueueName = ""
    enabled: bool = True
    position: Position = 0
    plans_callback_in_hours: CallbackHours = 0


class WrapupCodePatch(Dto):
    """The code and its queue stay: a call keeps the code it was given."""

    label: Unchanged[Label] = None
    enabled: Unchanged[bool] = None
    position: Unchanged[Position] = None
    plans_callback_in_hours: Unchanged[CallbackHours] = None


class WrapupCodeOut(Dto):
    id: int
    queue: str
    code: str
    label: str
    enabled: bool
    position: int
    plans_callback_in_hours: int | None


class QueueRuleSet(Dto):
    code_required: bool


class QueueRuleOut(Dto):
    queue: str
    code_required: bool


class WrapupSetup(Dto):
    """Every code (switched-off ones too) and every queue's rule: the admin's view."""

    codes: list[WrapupCodeOut]
    queues: list[QueueRuleOut]


class WrapupChoices(Dto):
    """What a wrap-up of a call in `queue` offers: the queue's codes, then the global ones."""

    queue: str
    code_required: bool
    codes: list[WrapupCodeOut]


class WrapupClose(Dto):
    wrapup_code: CodeSlug | None = None
    note: NoteBody = ""
    """Saved on the card as a note tied to the call."""
    contact_id: RecordId | None = None
    """The card for the note and a planned call-back when the call has none yet."""


class WrapupClosed(Dto):
    call: CallOut
    note: NoteOut | None
    callback: CallbackOut | None
    """Planned by the code's rule (`plans_callback_in_hours`)."""


class WrapupGroup(StrEnum):
    AGENT = "agent"
    QUEUE = "queue"
    PERIOD = "period"


class CodeName(Dto):
    code: str
    label: str


class WrapupReportRow(Dto):
    key: str
    label: str
    counts: dict[str, int]
    """Calls given each code (by code)."""
    coded: int
    """Calls given a code."""
    answered_without_code: int
    """Answered calls wrapped up without a code (or not yet)."""


class WrapupReport(BaseModel):
    model_config = ConfigDict(json_schema_serialization_defaults_required=True)

    group: WrapupGroup
    start: datetime = Field(serialization_alias="from")
    end: datetime = Field(serialization_alias="to")
    bucket: Bucket | None
    tz: str
    queue: str | None
    agent: str | None
    codes: list[CodeName]
    """Every code counted in the period, the most given first."""
    rows: list[WrapupReportRow]
    totals: WrapupReportRow
