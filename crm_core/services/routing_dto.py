"""What a routing rule is: one pydantic model per kind, told apart by `kind`.

The API takes a rule flat (`{"kind": "did_queue", "did": "100", "queue": "sales"}`); an unknown
kind, bad times, a negative number of seconds or an unknown time zone is a 422 naming the field.
Whether a queue exists is checked by the service (it knows the PBX's queues).
"""

from __future__ import annotations

import re
from datetime import date, time
from typing import Annotated, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from crm_core.services.dto.common import TimeZoneName

Queue = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")]
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
_BOX = re.compile(r"^[0-9]+(@[A-Za-z0-9_-]+)?$")
WEEKDAYS: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class RuleBase(BaseModel):
    model_config = ConfigDict(extra="forbid")

    enabled: bool = True
    name: str = Field("", max_length=100)


class OwnerFirst(RuleBase):
    """A known client whose owner is free rings the owner first for `ring_seconds`."""

    kind: Literal["owner_first"] = "owner_first"
    ring_seconds: int = Field(15, ge=1, le=120)


class Priority(RuleBase):
    """Callers matching `field` = `value` wait in the queue with `priority` (higher goes first)."""

    kind: Literal["priority"] = "priority"
    field: Literal["contact_status", "company_tag"]
    value: str = Field(min_length=1, max_length=64)
    priority: int = Field(ge=1, le=100)
    queue: Queue | None = None  # None: every queue
    label: str = Field("", max_length=32)  # said in the reason ("VIP"); default: the value


class DidQueue(RuleBase):
    """Calls to `did` wait in `queue`."""

    kind: Literal["did_queue"] = "did_queue"
    did: str = Field(min_length=1, max_length=32, pattern=r"^\+?[0-9]+$")
    queue: Queue


class Opening(BaseModel):
    model_config = ConfigDict(extra="forbid")

    start: time
    end: time

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.end <= self.start:
            raise PydanticCustomError(
                "closes_before_opens",
                "closes ({end}) before it opens ({start})",
                {"start": str(self.start), "end": str(self.end)},
            )
        return self


class AfterHours(BaseModel):
    """voicemail: `target` is a box (`100@default`); message: a sound played before hanging up."""

    model_config = ConfigDict(extra="forbid")

    action: Literal["voicemail", "message"]
    target: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_/@.&-]+$")

    @model_validator(mode="after")
    def _target_fits(self) -> Self:
        if self.action == "voicemail" and not _BOX.match(self.target):
            raise PydanticCustomError(
                "not_a_voicemail_box",
                "voicemail box {target} is not like 100 or 100@default",
                {"target": repr(self.target)},
            )
        return self


class BusinessHours(RuleBase):
    """`queue` is open during `weekly` hours in `timezone`, closed on `closed_dates`; otherwise
    calls go to `after_hours`."""

    kind: Literal["business_hours"] = "business_hours"
    queue: Queue
    timezone: TimeZoneName = "UTC"
    weekly: dict[Weekday, list[Opening]] = Field(default_factory=dict)
    closed_dates: list[date] = Field(default_factory=list)
    after_hours: AfterHours


RuleSpec = Annotated[OwnerFirst | Priority | DidQueue | BusinessHours, Field(discriminator="kind")]


class RuleOut(BaseModel):
    id: int
    position: int
    rule: RuleSpec


class RulePatch(BaseModel):
    """Switch a rule on or off, or move it (1 = first)."""

    model_config = ConfigDict(extra="forbid")

    enabled: bool | None = None
    position: int | None = Field(None, ge=1)


class RuleSet(BaseModel):
    """Every rule in order, and the version they were read at."""

    version: int
    rules: list[RuleOut]
