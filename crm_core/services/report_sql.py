"""SQL pieces of the reports: measures over the calls table and dialect-specific time buckets.

Every measure is an aggregate over the rows a report's WHERE selects, so each report is one
GROUP BY query. Buckets are local-time strings "YYYY-MM-DDTHH:MM" (hour, day or ISO week starting
on Monday) on both backends: PostgreSQL converts exactly with AT TIME ZONE; SQLite has no time
zones, so it shifts by the zone's UTC offset at the period's start (a period crossing a DST change
puts the hours after it one bucket off on SQLite only).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Integer, and_, case, func, literal
from sqlalchemy.sql.elements import KeyedColumnElement

from crm_core.models import Call
from crm_core.models.enums import Disposition
from crm_core.services.dto.reports import Bucket

KEY_FORMAT = "%Y-%m-%dT%H:%M"
_PG_FORMAT = 'YYYY-MM-DD"T"HH24:MI'
_PG_UNIT = {Bucket.HOUR: "hour", Bucket.DAY: "day", Bucket.WEEK: "week"}


def _count_if(condition: ColumnElement[bool]) -> ColumnElement[Any]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def measures(threshold: int) -> list[KeyedColumnElement[Any]]:
    """offered, answered, abandoned, callback_requested, answered_within, abandon_wait, asa, aht,
    longest, talk."""
    answered = Call.disposition == Disposition.ANSWERED.value
    abandoned = Call.disposition == Disposition.ABANDONED.value
    callback = Call.disposition == Disposition.CALLBACK_REQUESTED.value
    return [
        func.count(Call.id).label("offered"),
        _count_if(answered).label("answered"),
        _count_if(abandoned).label("abandoned"),
        _count_if(callback).label("callback_requested"),
        _count_if(and_(answered, Call.wait_seconds <= threshold)).label("answered_within"),
        func.avg(case((abandoned, Call.wait_seconds))).label("abandon_wait"),
        func.avg(case((answered, Call.wait_seconds))).label("asa"),
        func.avg(case((answered, Call.talk_seconds))).label("aht"),
        func.max(Call.wait_seconds).label("longest_wait"),
        func.coalesce(func.sum(Call.talk_seconds), literal(0, Integer)).label("talk_seconds"),
    ]


def bucket_expression(
    dialect: str, column: Any, bucket: Bucket, tz: str, start: datetime
) -> ColumnElement[str]:
    if dialect == "postgresql":
        local = func.timezone(tz, column)
        return func.to_char(func.date_trunc(_PG_UNIT[bucket], local), _PG_FORMAT)
    offset = ZoneInfo(tz).utcoffset(start.replace(tzinfo=None))
    shift = f"{int((offset or timedelta()).total_seconds() // 60):+d} minutes"
    if bucket is Bucket.HOUR:
        return func.strftime("%Y-%m-%dT%H:00", column, shift)
    if bucket is Bucket.DAY:
        return func.strftime("%Y-%m-%dT00:00", column, shift)
    return func.strftime("%Y-%m-%dT00:00", column, shift, "weekday 0", "-6 days")


def bucket_keys(start: datetime, end: datetime, bucket: Bucket, tz: str) -> Iterator[str]:
    """Every bucket of [start, end) in `tz`, oldest first (so empty ones show as zeros)."""
    zone = ZoneInfo(tz)
    if bucket is Bucket.HOUR:
        moment = start.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
        seen: set[str] = set()
        while moment < end:
            key = moment.astimezone(zone).strftime("%Y-%m-%dT%H:00")
            if key not in seen:
                seen.add(key)
                yield key
            moment += timedelta(hours=1)
        return
    first = start.astimezone(zone).date()
    last = (end - timedelta(microseconds=1)).astimezone(zone).date()
    if bucket is Bucket.WEEK:
        first -= timedelta(days=first.weekday())
    step = timedelta(days=7 if bucket is Bucket.WEEK else 1)
    while first <= last:
        yield f"{first.isoformat()}T00:00"
        first += step
