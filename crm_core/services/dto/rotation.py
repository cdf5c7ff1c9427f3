"""Rotation DTOs: cards nobody has contacted for a while, and the bulk actions on them."""

from __future__ import annotations

from datetime import date, datetime, time
from enum import StrEnum
from typing import Annotated

from pydantic import Field, StringConstraints, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from crm_core.models.enums import ContactStatus
from crm_core.services.dto.common import Dto, RecordId, TimeZoneName
from crm_core.services.dto.contacts import ContactOut
from crm_core.services.dto.tasks import Subject

MAX_STALE_DAYS = 36_500
MAX_BULK = 500
MAX_SPREAD_DAYS = 31
DEFAULT_STATUSES = (ContactStatus.LEAD, ContactStatus.CLIENT)
Label = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]


class ContactKind(StrEnum):
    """What the last contact was: an answered call (by direction), a note, a completed task."""

    CALL_INBOUND = "call_inbound"
    CALL_OUTBOUND = "call_outbound"
    CALL_INTERNAL = "call_internal"
    NOTE = "note"
    TASK = "task"


class StaleFilter(Dto):
    """Which cards: not contacted for `days` days, optionally narrowed down."""

    days: int = Field(30, ge=1, le=MAX_STALE_DAYS)
    owner_id: RecordId | None = None
    statuses: list[ContactStatus] = Field(default_factory=lambda: list(DEFAULT_STATUSES))
    tag: Label | None = None
    queue: Label | None = None
    contact_ids: list[RecordId] | None = Field(None, max_length=MAX_BULK)


class StaleContact(ContactOut):
    """A card of the rotation list: the contact, and when and how it was last contacted."""

    last_contact_at: datetime | None
    last_contact_kind: ContactKind | None
    days_since: int
    """Whole days since the last contact (since the card was made when it never was)."""


class BulkAssign(Dto):
    contact_ids: list[RecordId] = Field(min_length=1, max_length=MAX_BULK)
    owner_id: RecordId


class BulkAssigned(Dto):
    assigned: int
    unchanged: int


class BulkCallbacks(Dto):
    """Plan one call-back per card, spread evenly over `days` days from `first_day`, between
    `day_start` and `day_end` local time (`time_zone`); each for the card's owner (the planner
    when the card has none)."""

    contact_ids: list[RecordId] = Field(min_length=1, max_length=MAX_BULK)
    subject: Subject
    first_day: date
    days: int = Field(5, ge=1, le=MAX_SPREAD_DAYS)
    day_start: time = time(9, 0)
    day_end: time = time(17, 0)
    time_zone: TimeZoneName = "Europe/Bratislava"
    weekdays_only: bool = True
    auto_dial: bool = False

    @field_validator("day_start", "day_end")
    @classmethod
    def _wall_clock(cls, value: time) -> time:
        """A time of day in `time_zone`: an offset given with it is dropped."""
        return value.replace(tzinfo=None)

    @field_validator("day_end")
    @classmethod
    def _after_start(cls, value: time, info: ValidationInfo) -> time:
        start = info.data.get("day_start")
        if start is not None and value <= start:
            raise PydanticCustomError("day_end_before_start", "must be after day_start")
        return value
