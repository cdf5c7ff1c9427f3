"""Business hours: is a queue open at a given moment? Pure: the moment is an argument."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from crm_core.services.routing_dto import WEEKDAYS, BusinessHours


def closed_because(hours: BusinessHours, now: datetime) -> str | None:
    """None while the queue is open; otherwise why it is closed, in the queue's time zone."""
    local = now.astimezone(ZoneInfo(hours.timezone))
    if local.date() in hours.closed_dates:
        return f"closed on {local.date().isoformat()}"
    moment = local.time().replace(tzinfo=None)
    openings = hours.weekly.get(WEEKDAYS[local.weekday()], [])
    if any(opening.start <= moment < opening.end for opening in openings):
        return None
    return f"closed at {local:%a %H:%M} {hours.timezone}"


def after_hours_reason(hours: BusinessHours, why: str) -> str:
    after = hours.after_hours
    return f"after hours, queue {hours.queue} {why} -> {after.action} {after.target}"
