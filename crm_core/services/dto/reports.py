"""Report DTOs: the query (period, grouping, filters) and the rows every report table shares."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from crm_core.services.dto.common import TimeZoneName

MAX_HOUR_BUCKET_DAYS = 92
MAX_TIMELINE_BUCKETS = 4_000
MAX_PERIOD_DAYS = 3_660
BUCKET_DAYS = {"hour": 1 / 24, "day": 1, "week": 7}


class Bucket(StrEnum):
    HOUR = "hour"
    DAY = "day"
    WEEK = "week"


class ReportKind(StrEnum):
    QUEUES = "queues"
    AGENTS = "agents"
    TIMELINE = "timeline"


class ReportQuery(BaseModel):
    """A period [start, end) in `tz` (naive datetimes and plain dates are read in `tz`)."""

    model_config = ConfigDict(populate_by_name=True)

    start: datetime = Field(alias="from")
    end: datetime = Field(alias="to")
    bucket: Bucket = Bucket.DAY
    queue: str | None = None
    agent: str | None = None
    pbx: str | None = None  # only this PBX's calls (CTI_PBXS)
    threshold: int = Field(20, ge=0, le=3600)
    tz: TimeZoneName = "UTC"

    @model_validator(mode="after")
    def _aware_and_ordered(self) -> ReportQuery:
        zone = ZoneInfo(self.tz)
        try:
            start, end = (
                (moment if moment.tzinfo else moment.replace(tzinfo=zone)).astimezone(UTC)
                for moment in (self.start, self.end)
            )
        except OverflowError as exc:
            raise PydanticCustomError(
                "period_out_of_range", "`from` and `to` must be between the years 1 and 9999 in UTC"
            ) from exc
        self.start, self.end = start, end
        if end <= start:
            raise PydanticCustomError("to_before_from", "`to` must be after `from`")
        return self

    def check_period(self) -> None:
        """A report covers at most ten years (queries and answers stay bounded)."""
        days = (self.end - self.start).total_seconds() / 86400
        if days > MAX_PERIOD_DAYS:
            raise PydanticCustomError(
                "period_too_long",
                "a report covers at most {max} days (ten years); this period has {days} days: "
                "pick a shorter one",
                {"max": MAX_PERIOD_DAYS, "days": round(days)},
            )

    def check_timeline_size(self) -> None:
        """A timeline is one row per bucket: at most 4,000 (ten years of days)."""
        days = (self.end - self.start).total_seconds() / 86400
        if days / BUCKET_DAYS[self.bucket.value] > MAX_TIMELINE_BUCKETS:
            raise PydanticCustomError(
                "timeline_too_long",
                "a timeline has at most {max} {bucket} buckets: "
                "pick longer buckets or a shorter period",
                {"max": MAX_TIMELINE_BUCKETS, "bucket": self.bucket.value},
            )

    def check_bucket_span(self) -> None:
        """Hour buckets over a long period would be thousands of rows: refused beyond 92 days."""
        days = (self.end - self.start).total_seconds() / 86400
        if self.bucket is Bucket.HOUR and days > MAX_HOUR_BUCKET_DAYS:
            raise PydanticCustomError(
                "hour_buckets_too_long",
                "hour buckets are limited to {max} days; this period has {days} days: "
                "pick day or week buckets, or a shorter period",
                {"max": MAX_HOUR_BUCKET_DAYS, "days": round(days)},
            )


class ReportRow(BaseModel):
    """One line of a report. Ratios and means over nothing are null, never 0.

    Pause and login time belong to agents: set on the agent report (`pause_reasons`: seconds
    per pause reason, "" for a pause without one), null on the queue and timeline reports.
    """

    model_config = ConfigDict(json_schema_serialization_defaults_required=True)
    """Always sent whole: every field is required in the OpenAPI answer (the page's types)."""

    key: str
    label: str = ""
    offered: int | None = 0
    answered: int = 0
    abandoned: int | None = 0
    # the caller left the queue with the call-back key (queue call-back); null for an agent
    callback_requested: int | None = 0
    answered_within: int = 0
    service_level: float | None = None
    abandon_wait: float | None = None
    asa: float | None = None
    aht: float | None = None
    longest_wait: int | None = None
    talk_seconds: int = 0
    pause_seconds: int | None = None
    pause_reasons: dict[str, int] | None = None
    login_seconds: int | None = None
    missed_callbacks: int = 0


class Report(BaseModel):
    model_config = ConfigDict(json_schema_serialization_defaults_required=True)
    """Always sent whole: every field is required in the OpenAPI answer (the page's types)."""

    kind: ReportKind
    start: datetime = Field(serialization_alias="from")
    end: datetime = Field(serialization_alias="to")
    bucket: Bucket | None = None
    tz: str
    threshold: int
    queue: str | None = None
    agent: str | None = None
    rows: list[ReportRow]
    totals: ReportRow
    notes: list[str] = Field(default_factory=list)
