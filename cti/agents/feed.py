"""The listing reader: the I/O beside the agent tracker (cti.agents.tracker).

A sink of the ingest pipeline's agent changes: when the tracker says a listing is wanted (a
(re)connect), it sends QueueStatus and hands the answer back to the pipeline, which feeds it to the
tracker once (the registry, the live stats and the event log all read that one listing).
Listeners (tests, tools run without a pipeline) get member events and listings as they come.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Protocol

from cti.agents.registry import AgentRegistry, Member
from cti.agents.tracker import (
    AgentChange,
    AgentTracker,
    Listed,
    Listing,
    ListingWanted,
    MemberLeft,
    MemberSet,
)
from cti.state.events import AmiEvent, Resync

log = logging.getLogger(__name__)

Item = AmiEvent | Resync


class ActionSender(Protocol):
    async def send_action(
        self, action: Mapping[str, str], *, as_list: bool | None = None
    ) -> list[dict[str, str]]: ...


class MemberListener(Protocol):
    def member_event(self, event: AmiEvent) -> None: ...

    def listing(self, members: Iterable[Member], at: float | None = None) -> None: ...


class AgentFeed:
    def __init__(
        self, registry: AgentRegistry, ami: ActionSender, tracker: AgentTracker | None = None
    ) -> None:
        self.tracker = tracker if tracker is not None else AgentTracker(registry)
        self.registry = self.tracker.registry
        self.ami = ami
        self.refreshed = asyncio.Event()
        self._refresh: asyncio.Task[None] | None = None
        self.listeners: list[MemberListener] = []
        # where a listing read goes: the pipeline's `feed_listing` once wired, else this feed's
        # own tracker (no pipeline: tests, tools)
        self._deliver: Callable[[Listing], None] = self.observe

    def deliver_to(self, deliver: Callable[[Listing], None]) -> None:
        """Listings read from now on go to `deliver` (the pipeline that feeds the tracker)."""
        self._deliver = deliver

    def observe(self, item: Item | Listing) -> None:
        """Without a pipeline: the tracker applies `item` and this feed handles its changes."""
        self.changes(self.tracker.apply(item))

    def changes(self, changes: Sequence[AgentChange]) -> None:
        """The pipeline's agent sink: a wanted listing is read; listeners see the rest."""
        for change in changes:
            if isinstance(change, ListingWanted):
                self._start_refresh()
            elif isinstance(change, Listed):
                self.refreshed.set()
                self._tell_listing(change.members, change.listing.at)
            elif isinstance(change, MemberSet | MemberLeft):
                self._tell_member(change.event)

    async def refresh(self) -> None:
        """Read Asterisk's current QueueStatus listing; it replaces every membership."""
        try:
            replies = await self.ami.send_action({"Action": "QueueStatus"})
        except (ConnectionError, TimeoutError) as exc:
            log.warning("QueueStatus failed, agent state not refreshed: %s", exc)
            return
        listing = Listing.of_replies(replies, time.time())
        self._deliver(listing)
        self.refreshed.set()
        members = sum(1 for event in listing.events if event.name == "QueueMember")
        log.info("agent state: %d queue members", members)

    async def stop(self) -> None:
        if self._refresh is not None:
            self._refresh.cancel()
            await asyncio.gather(self._refresh, return_exceptions=True)

    def _tell_member(self, event: AmiEvent) -> None:
        for listener in self.listeners:
            try:
                listener.member_event(event)
            except Exception:  # a listener's bug must not stop the events flowing
                log.exception("agent event listener failed on %s", event.name)

    def _tell_listing(self, members: Sequence[Member], at: float) -> None:
        for listener in self.listeners:
            try:
                listener.listing(members, at)
            except Exception:
                log.exception("agent listing listener failed")

    def _start_refresh(self) -> None:
        if self._refresh is None or self._refresh.done():
            self._refresh = asyncio.create_task(self.refresh(), name="agent-refresh")
