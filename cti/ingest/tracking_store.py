"""Keeps the tracker's open calls in the database as they change, and gives them back at start.

The writer never blocks the AMI reader: the ingest task only sets a flag after an event that
changed a call; one task then writes everything changed since its last write in one
transaction. When the database is fast that is one event per write; when it is slow or away,
writes merge (the tracker's change set grows, each call is written once, in its latest state).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import Any

from crm_core.services.call_states import CallStateService
from crm_core.services.dto import CallOut
from crm_core.services.fencing import FencedOutError
from cti.ami.metrics import Counters
from cti.ingest.retry import write_through_outages
from cti.pbxs import DEFAULT_PBX
from cti.state.tracker import Tracker, TrackerChanges

log = logging.getLogger(__name__)


class TrackingStore:
    def __init__(
        self, tracker: Tracker, states: CallStateService, metrics: Counters,
        retry_max_seconds: float = 5.0, pbx: str = DEFAULT_PBX,
    ) -> None:  # fmt: skip
        self._pbx = pbx  # this bridge's PBX: its states and cursor only
        self._tracker = tracker
        self._states = states
        self._metrics = metrics
        self._retry_max = retry_max_seconds
        self._wake = asyncio.Event()
        self._idle = asyncio.Event()
        self._idle.set()
        self._task: asyncio.Task[None] | None = None
        self.on_fenced: Callable[[str], None] = lambda _reason: None

    async def restore(self) -> int:
        """Before the first AMI event: put back what the tracker knew when it last wrote."""
        stored = await self._retrying(partial(self._states.load, self._pbx))
        orphans = await self._retrying(partial(self._states.open_records_without_state, self._pbx))
        states = [*stored.states, *map(_orphan_state, orphans)]
        restored = self._tracker.restore(states, stored.clock or 0.0)
        self._metrics.inc("tracking.restored", restored)
        log.info("restored %d open calls (%d without a saved state)", restored, len(orphans))
        self._tracker.take_changes()  # what was just loaded is what the database holds
        return restored

    def notify(self) -> None:
        """Called by the ingest task after each event; cheap."""
        if self._tracker.changed:
            self._idle.clear()
            self._wake.set()

    def start(self) -> None:
        """Writes at once what changed before (a standby taking over: every call it followed)."""
        self._idle.clear()
        self._wake.set()
        self._task = asyncio.create_task(self._run(), name="tracking-store")

    async def drain(self) -> None:
        await self._idle.wait()

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    async def _run(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            changes = self._tracker.take_changes()
            try:
                await self._retrying(partial(self._save, changes))
                self._metrics.inc("tracking.saved", len(changes.open_calls))
            except FencedOutError as exc:
                self._metrics.inc("fencing.refused", len(changes.open_calls))
                log.warning("open call states not saved, refused by the fence: %s", exc)
                self.on_fenced(str(exc))
            except Exception:
                self._metrics.inc("tracking.errors")
                log.exception("open call states could not be saved")
            if not self._wake.is_set():
                self._idle.set()

    async def _save(self, changes: TrackerChanges) -> None:
        await self._states.save(changes.open_calls, changes.dropped, changes.clock, self._pbx)

    async def _retrying(self, operation: Any) -> Any:
        result: list[Any] = []

        async def attempt() -> None:
            result[:] = [await operation()]

        await write_through_outages(
            attempt, "open call states", self._retry_max,
            lambda: self._metrics.inc("tracking.retries"),
        )  # fmt: skip
        return result[0]


def _orphan_state(record: CallOut) -> dict[str, Any]:
    """A call record left open with no saved state: what the record says, no channels."""
    answered_at = record.answered_at.timestamp() if record.answered_at else None
    return {
        "format": 1,
        "linkedid": record.linkedid,
        "started_at": record.started_at.timestamp(),
        "answered_at": answered_at,
        "answered_by": record.answered_by or None,
        "abandoned": False,
        "callee": record.callee,
        "caller": record.caller,
        "caller_cause": "",
        "caller_name": "",
        "caller_uid": None,
        "dial_status": "",
        "dialled": record.callee,
        "did": None,
        "direction": record.direction,
        "note": "ended while the bridge was down; how it ended is unknown",
        "originated": False,
        "queue": record.queue or None,
        "reconstructed": True,
        "recording": record.recording or None,
        "ring_seen": bool(record.agents_rang),
        "route_reason": record.routing_reason or None,
        "started": True,
        "suppressed": False,
        "wave_start": len(record.agents_rang),
        "agents_rang": list(record.agents_rang),
        "ringing": [],
        "transfers": [
            {"kind": t["kind"], "from": t.get("from"), "to": t.get("to"), "at": _stamp(t.get("at"))}
            for t in record.transfers
        ],
        "channels": [],
    }


def _stamp(value: object) -> float:
    try:
        return datetime.fromisoformat(str(value)).timestamp()
    except ValueError:
        return 0.0
