"""Spreading call-backs over the next days: n due times, evenly over the eligible days (weekdays
only, unless told otherwise) and evenly within each day's window, in the planner's time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from crm_core.errors import InvalidFieldError
from crm_core.services.dto.rotation import BulkCallbacks

SLOT_ROUNDING = timedelta(minutes=5)
FURTHEST_AHEAD = timedelta(days=366)


def _days(plan: BulkCallbacks) -> list[date]:
    found: list[date] = []
    day = plan.first_day
    while len(found) < plan.days:
        if not plan.weekdays_only or day.weekday() < 5:
            found.append(day)
        day += timedelta(days=1)
    return found


def _round_up(moment: datetime) -> datetime:
    seconds = SLOT_ROUNDING.total_seconds()
    stamp = moment.timestamp()
    return datetime.fromtimestamp(-(-stamp // seconds) * seconds, tz=moment.tzinfo)


def _window(plan: BulkCallbacks, day: date, now: datetime) -> tuple[datetime, datetime] | None:
    zone = ZoneInfo(plan.time_zone)
    start = datetime.combine(day, plan.day_start, tzinfo=zone)
    end = datetime.combine(day, plan.day_end, tzinfo=zone)
    start = max(start, _round_up(now.astimezone(zone)))
    return (start, end) if start < end else None


def spread(plan: BulkCallbacks, count: int, now: datetime) -> list[datetime]:
    """`count` due times (UTC), earliest first; today's window starts from now."""
    today = now.astimezone(ZoneInfo(plan.time_zone)).date()
    if plan.first_day < today:
        raise InvalidFieldError(
            "first_day",
            f"is in the past (today is {today.isoformat()})",
            code="day_in_the_past",
            params={"today": today.isoformat()},
        )
    if plan.first_day > today + FURTHEST_AHEAD:
        raise InvalidFieldError("first_day", "is more than a year ahead", code="too_far_ahead")
    windows = [w for day in _days(plan) if (w := _window(plan, day, now)) is not None]
    if not windows:
        raise InvalidFieldError(
            "first_day", "today's window has passed; start tomorrow", code="window_passed"
        )
    base, extra = divmod(count, len(windows))
    due: list[datetime] = []
    for index, (start, end) in enumerate(windows):
        slots = base + (1 if index < extra else 0)
        step = (end - start) / max(slots, 1)
        due.extend(
            (start + step * slot).replace(second=0, microsecond=0).astimezone(UTC)
            for slot in range(slots)
        )
    return due


__all__ = ["spread"]
