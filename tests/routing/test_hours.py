"""Business hours in the queue's own time zone, closed dates, after-hours reasons."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from crm_core.services.routing_dto import AfterHours, BusinessHours, Opening
from cti.routing.hours import after_hours_reason, closed_because

OFFICE = BusinessHours(
    queue="sales",
    timezone="Europe/Bratislava",
    weekly={
        "mon": [Opening(start=time(8), end=time(12)), Opening(start=time(13), end=time(17))],
        "sat": [Opening(start=time(9), end=time(12))],
    },
    closed_dates=[date(2026, 12, 28)],
    after_hours=AfterHours(action="voicemail", target="100@default"),
)


@pytest.mark.parametrize(
    ("utc", "why"),
    [
        # Monday 30 Nov 2026; Bratislava is UTC+1 in winter
        (datetime(2026, 11, 30, 7, 0, tzinfo=UTC), None),  # 08:00 local: opens
        (datetime(2026, 11, 30, 6, 59, tzinfo=UTC), "closed at Mon 07:59 Europe/Bratislava"),
        (datetime(2026, 11, 30, 11, 30, tzinfo=UTC), "closed at Mon 12:30 Europe/Bratislava"),
        (datetime(2026, 11, 30, 15, 59, tzinfo=UTC), None),
        (datetime(2026, 11, 30, 16, 0, tzinfo=UTC), "closed at Mon 17:00 Europe/Bratislava"),
        (datetime(2026, 12, 1, 9, 0, tzinfo=UTC), "closed at Tue 10:00 Europe/Bratislava"),
        (datetime(2026, 12, 5, 8, 0, tzinfo=UTC), None),  # Saturday 09:00
        (datetime(2026, 12, 28, 9, 0, tzinfo=UTC), "closed on 2026-12-28"),  # a Monday
        # 23:30 UTC on Sunday is already Monday 00:30 in Bratislava: closed, and said so
        (datetime(2026, 11, 29, 23, 30, tzinfo=UTC), "closed at Mon 00:30 Europe/Bratislava"),
    ],
)
def test_open_or_closed_in_local_time(utc: datetime, why: str | None) -> None:
    assert closed_because(OFFICE, utc) == why


def test_summer_time_moves_the_hours_with_the_clock() -> None:
    # Monday 6 July 2026, UTC+2: 06:30 UTC is 08:30 local
    assert closed_because(OFFICE, datetime(2026, 7, 6, 6, 30, tzinfo=UTC)) is None


def test_the_reason_starts_with_after_hours_and_names_the_destination() -> None:
    reason = after_hours_reason(OFFICE, "closed on 2026-12-28")
    assert reason == "after hours, queue sales closed on 2026-12-28 -> voicemail 100@default"
