"""Feeds the agent registry: raw AMI events on their way to the tracker, and a QueueStatus
listing after every (re)connect (the tracker's Resync is the signal that one happened).
Listeners (the agent event log) see the same member events and listings, after the registry."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Iterable, Mapping
from typing import Protocol

from cti.agents.registry import AgentRegistry, Member
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
    def __init__(self, registry: AgentRegistry, ami: ActionSender) -> None:
        self.registry = registry
        self.ami = ami
        self.refreshed = asyncio.Event()
        self._refresh: asyncio.Task[None] | None = None
        self.listeners: list[MemberListener] = []

    async def tap(self, source: AsyncIterator[Item]) -> AsyncIterator[Item]:
        """Pass every item on unchanged, after letting the registry see it."""
        async for item in source:
            self.observe(item)
            yield item

    def observe(self, item: Item) -> None:
        if isinstance(item, Resync):
            self._start_refresh()
        elif self.registry.apply(item):
            for listener in self.listeners:
                try:
                    listener.member_event(item)
                except Exception:  # a listener's bug must not stop the events flowing
                    log.exception("agent event listener failed on %s", item.name)

    async def refresh(self) -> None:
        """Replace the registry's members with Asterisk's current QueueStatus listing."""
        try:
            replies = await self.ami.send_action({"Action": "QueueStatus"})
        except (ConnectionError, TimeoutError) as exc:
            log.warning("QueueStatus failed, agent state not refreshed: %s", exc)
            return
        members = [Member.from_headers(r) for r in replies if r.get("Event") == "QueueMember"]
        self.registry.replace(members)
        for listener in self.listeners:
            listener.listing(members)
        self.refreshed.set()
        log.info("agent state: %d queue members", len(members))

    async def stop(self) -> None:
        if self._refresh is not None:
            self._refresh.cancel()
            await asyncio.gather(self._refresh, return_exceptions=True)

    def _start_refresh(self) -> None:
        if self._refresh is None or self._refresh.done():
            self._refresh = asyncio.create_task(self.refresh(), name="agent-refresh")
