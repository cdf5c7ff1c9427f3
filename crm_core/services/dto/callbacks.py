"""Scheduled call-back DTOs: the "Create call" action on a card or after a call."""

from __future__ import annotations

from datetime import datetime

from pydantic import AwareDatetime, Field, model_validator
from pydantic_core import PydanticCustomError

from crm_core.services.dto.common import Dto, RecordId
from crm_core.services.dto.tasks import LongText, Subject, TaskOut

MAX_RANGE_DAYS = 62


class CallbackCreate(Dto):
    contact_id: RecordId
    subject: Subject
    due_at: AwareDatetime
    auto_dial: bool = False
    call_id: RecordId | None = None


class CallbackChange(Dto):
    """Reschedule (a new due_at is notified again), rename, switch auto-dial."""

    due_at: AwareDatetime | None = None
    subject: Subject | None = None
    auto_dial: bool | None = None


class CallbackDone(Dto):
    result: LongText = ""


class CallbackRange(Dto):
    """[start, end) of due times, for the calendar's week."""

    start: AwareDatetime
    end: AwareDatetime
    include_done: bool = True

    @model_validator(mode="after")
    def _ordered(self) -> CallbackRange:
        if self.end <= self.start:
            raise PydanticCustomError("end_before_start", "end must be after start")
        if (self.end - self.start).days > MAX_RANGE_DAYS:
            raise PydanticCustomError(
                "range_too_long", "a range is at most {days} days", {"days": MAX_RANGE_DAYS}
            )
        return self


class CallbackOut(TaskOut):
    contact_name: str = ""
    phone: str | None = None
    assignee_login: str = ""
    overdue: bool = False


class DueCallback(CallbackOut):
    """A call-back whose time has come, with where to notify: the assignee's extensions."""

    extensions: list[str] = Field(default_factory=list)


class DueQuery(Dto):
    now: datetime
    limit: int = Field(100, ge=1, le=1000)
