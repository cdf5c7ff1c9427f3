"""When "today" starts: local midnight of the bridge's time zone."""

from __future__ import annotations

from datetime import datetime


def local_day_start(now: float) -> float:
    moment = datetime.fromtimestamp(now).astimezone()
    return moment.replace(hour=0, minute=0, second=0, microsecond=0).timestamp()
