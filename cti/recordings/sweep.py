"""The bridge's recordings sweep: files not yet complete are probed again, and recordings past
their queue's retention are deleted (their record says so; each deletion audited)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime

from crm_core.services.dto import Actor
from crm_core.services.recording_log import RecordingLog
from cti.periodic import Periodic
from cti.recordings.settings import RecordingSettings

log = logging.getLogger(__name__)
RETENTION_ACTOR = Actor.system("retention")


def _now() -> datetime:
    return datetime.now(UTC)


class RecordingSweep(Periodic):
    task_name = "recordings-sweep"

    def __init__(
        self, recordings: RecordingLog, settings: RecordingSettings,
        clock: Callable[[], datetime] = _now,
    ) -> None:  # fmt: skip
        self._recordings = recordings
        self._settings = settings
        self._clock = clock
        self.interval = settings.sweep_seconds

    async def tick(self) -> int:
        """Recordings settled or deleted this round."""
        settled = await self._recordings.settle_pending()
        deleted = await self._recordings.expire(
            RETENTION_ACTOR, self._clock(), self._settings.days_of, self._settings.shortest_days
        )
        if deleted:
            log.info("retention deleted %d recording(s)", len(deleted))
        return len(settled) + len(deleted)
