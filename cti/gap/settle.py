"""On each resync: replay what the PBX logged (CEL) since the tracker's last event, then the
channel listing. Calls that began, changed or ended while nobody listened get the facts an
uninterrupted bridge writes; without a CEL file the listing alone settles them (reconstructed).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable
from pathlib import Path

from cti.ami.metrics import Counters
from cti.gap.cel_file import CelRow, read_since
from cti.gap.replay import OVERLAP_SECONDS, KnownChannels, replay
from cti.state.events import AmiEvent, Resync
from cti.state.tracker import Tracker

log = logging.getLogger(__name__)
EndedAmong = Callable[[Iterable[str]], Awaitable[set[str]]]
DEFAULT_MAX_GAP_SECONDS = 24 * 3600.0
ENDED_LOOKUP_SECONDS = 5.0


class GapSettler:
    def __init__(
        self, tracker: Tracker, cel_path: Path, ended_among: EndedAmong, metrics: Counters,
        max_gap_seconds: float = DEFAULT_MAX_GAP_SECONDS,
    ) -> None:  # fmt: skip
        self._tracker = tracker
        self._path = cel_path
        self._ended_among = ended_among
        self._metrics = metrics
        self._max_gap = max_gap_seconds

    async def events_before(self, resync: Resync) -> list[AmiEvent]:
        since = self._tracker.last_event_at
        if since <= 0:
            return []  # a first start: nothing was missed that the bridge ever knew of
        until = resync.live_from or resync.received_at
        start = max(since - OVERLAP_SECONDS, until - self._max_gap)
        rows = await asyncio.to_thread(read_since, self._path, start, until)
        log.debug("gap %.3f..%.3f: %d CEL rows in %s", start, until, len(rows), self._path)
        if not rows:
            return []
        known = await self._known(rows)
        events = replay(rows, since, known)
        self._metrics.inc("gap.cel_rows", len(rows))
        self._metrics.inc("gap.replayed_events", len(events))
        log.info("gap since %.3f: %d CEL rows -> %d events", since, len(rows), len(events))
        return events

    async def _known(self, rows: list[CelRow]) -> KnownChannels:
        tracker = self._tracker
        open_calls = tracker.open_linkedids()
        candidates = {str(row.get("linkedid", "")) for row in rows} - open_calls
        return KnownChannels(
            names=tracker.channel_names(),
            open_calls=open_calls,
            callers=tracker.callers(),
            unrung=tracker.unrung_dialled(),
            finished=tracker.recently_ended() | await self._stored_ends(candidates),
        )

    async def _stored_ends(self, linkedids: set[str]) -> set[str]:
        """Calls whose end the database holds; without an answer soon, none (a replayed call
        is written again with the same facts)."""
        try:
            async with asyncio.timeout(ENDED_LOOKUP_SECONDS):
                return await self._ended_among(linkedids)
        except Exception:
            self._metrics.inc("gap.ended_lookup_failed")
            log.warning("ended calls unknown (database unavailable); replaying them all")
            return set()
