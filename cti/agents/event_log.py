"""Records agents' queue logins, logouts and pauses in the CRM: reports' pause and login time.

An agent sink of the ingest pipeline (`changes`): the agent tracker's member changes, and the
QueueStatus listing after each (re)connect.
Only changes are written: what was last stored for each (agent, queue) is loaded at start and
kept, so a resync that finds nothing new writes nothing, and a member missing from the listing
is logged out (at the listing's time: the bridge did not see when). Writes go through a Stage:
`observe` never blocks the AMI reader; the database gets them in batches, retried while away.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from pydantic import ValidationError

from crm_core.services.agent_events import AgentEventService
from crm_core.services.dto.agent_events import AgentEventIn, AgentEventKind, MemberState
from cti.agents.registry import MEMBER_EVENTS, REMOVED, Member
from cti.agents.tracker import AgentChange, Listed, MemberLeft, MemberSet
from cti.ami.metrics import Counters
from cti.ingest.retry import write_through_outages
from cti.ingest.stage import Stage
from cti.state.events import AmiEvent
from cti.stats.agents import extension_of

log = logging.getLogger(__name__)
Key = tuple[str, str]  # (extension, queue)
State = tuple[bool, str]  # (paused, reason) of a logged-in member
Batch = list[AgentEventIn]
RETRY_MAX_SECONDS = 5.0


class AgentEventLog:
    def __init__(self, service: AgentEventService, metrics: Counters) -> None:
        self._service = service
        self._known: dict[Key, State] = {}
        self.stage: Stage[Batch] = Stage("agentlog", self._write, metrics, merge=_concat)

    async def start(self) -> None:
        try:
            self._seed(await self._service.last_states())
        except Exception:
            log.exception("could not load the stored agent states; starting from none")
        self.stage.start()

    def changes(self, changes: Sequence[AgentChange]) -> None:
        """The pipeline's agent sink: logins, logouts and pauses out of the tracker's changes."""
        for change in changes:
            if isinstance(change, MemberSet):
                self._offer(self._changes(change.member, change.event.time))
            elif isinstance(change, MemberLeft):
                key = (extension_of(change.interface), change.queue)
                self._offer(self._logout(key, change.event.time))
            elif isinstance(change, Listed):
                self.listing(change.members, change.listing.at)

    def member_event(self, event: AmiEvent) -> None:
        if event.name in MEMBER_EVENTS:
            self._offer(self._changes(Member.from_headers(event.headers), event.time))
        elif event.name == REMOVED:
            key = (extension_of(event.get("Interface")), event.get("Queue"))
            self._offer(self._logout(key, event.time))

    def listing(self, members: Iterable[Member], at: float | None = None) -> None:
        at = time.time() if at is None else at
        events: Batch = []
        listed: set[Key] = set()
        for member in members:
            listed.add((extension_of(member.interface), member.queue))
            events += self._changes(member, at)
        for key in [key for key in self._known if key not in listed]:
            events += self._logout(key, at)
        self._offer(events)

    def _seed(self, states: Iterable[MemberState]) -> None:
        for state in states:
            if state.logged_in:
                self._known[state.extension, state.queue] = (state.paused, state.reason)

    def _changes(self, member: Member, at: float) -> Batch:
        """login (+ pause) for a new member; pause or unpause when that changed."""
        key = (extension_of(member.interface), member.queue)
        before, now = self._known.get(key), (member.paused, member.pause_reason)
        if not all(key) or before == now:
            return []
        self._known[key] = now
        events: list[AgentEventIn | None] = (
            [] if before is not None else [_event(key, AgentEventKind.LOGIN, at)]
        )
        if member.paused:
            events.append(_event(key, AgentEventKind.PAUSE, at, member.pause_reason))
        elif before is not None and before[0]:
            events.append(_event(key, AgentEventKind.UNPAUSE, at))
        return [e for e in events if e is not None]

    def _logout(self, key: Key, at: float) -> Batch:
        if self._known.pop(key, None) is None:
            return []
        event = _event(key, AgentEventKind.LOGOUT, at)
        return [] if event is None else [event]

    def _offer(self, events: Batch) -> None:
        if events:
            self.stage.offer(events)

    async def stop(self, drain_seconds: float = 5.0) -> None:
        try:
            async with asyncio.timeout(drain_seconds):
                await self.stage.drain()
        except TimeoutError:
            log.warning("shutdown: %d agent events not written", self.stage.backlog)
        await self.stage.stop()

    async def _write(self, events: Batch) -> None:
        await write_through_outages(
            lambda: self._service.record_many(events), "agent events", RETRY_MAX_SECONDS
        )


def _concat(batches: list[Batch]) -> Batch:
    return [event for batch in batches for event in batch]


def _event(key: Key, kind: AgentEventKind, at: float, reason: str = "") -> AgentEventIn | None:
    moment = datetime.fromtimestamp(at, UTC)
    try:
        return AgentEventIn(
            extension=key[0], queue=key[1], kind=kind, reason=reason[:64], at=moment
        )
    except ValidationError as exc:
        log.warning("agent event not recorded: %s", exc)
        return None
