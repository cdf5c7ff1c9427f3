"""Turns call events into pops on each agent's topic of the bus.

Ring -> the card to every ringing agent; answer -> withdrawn from the others; transfer -> the pop
follows the call (the target rings); hangup -> the outcome to whoever talked, for the wrap-up.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field

from cti.ami.metrics import Counters
from cti.bus.base import Bus, Retain, agent_topic, pops_key
from cti.logs import about
from cti.screenpop.messages import Message, external_number, pop, withdraw
from cti.screenpop.registry import PopRegistry
from cti.state.records import (
    CallAnswered,
    CallEnded,
    CallEvent,
    CallRecord,
    CallRinging,
    CallTransferred,
)

log = logging.getLogger(__name__)
LOOKUP_WARNING_EVERY = 30.0  # seconds
STOPPED_RINGING_GRACE = 2.0  # seconds to wait for the answer after a phone stops ringing

CardLookup = Callable[[str], Awaitable[Message | None]]
# Transfers after which `to` talks with the caller (their card pops as answered), and those
# after which `from` does too (a conference host stays in the room).
_TAKES_OVER = frozenset({"attended", "pickup", "retrieve", "conference"})
_STAYS = frozenset({"conference"})


@dataclass
class _CallPops:
    card: Message | None = None
    card_loaded: bool = False
    ringing: set[str] = field(default_factory=set)
    talking: set[str] = field(default_factory=set)
    stopped: set[str] = field(default_factory=set)


class ScreenPopPublisher:
    def __init__(
        self, bus: Bus, lookup_card: CardLookup, registry: PopRegistry,
        metrics: Counters | None = None,
    ) -> None:  # fmt: skip
        self._bus = bus
        self._metrics = metrics or Counters()
        self._lookup_card = lookup_card
        self.registry = registry
        self._calls: dict[str, _CallPops] = {}
        self.lookups_failed = 0
        self._warned_at = -LOOKUP_WARNING_EVERY
        self._timers: set[asyncio.Task[None]] = set()

    async def handle(self, events: Sequence[CallEvent]) -> None:
        """One AMI event's call events, together: an answer is known before the ring stops."""
        answered = {
            e.call.linkedid: e.call.answered_by for e in events if isinstance(e, CallAnswered)
        }
        for event in events:
            if isinstance(event, CallRinging):
                await self._ringing(event, answered.get(event.call.linkedid))
            elif isinstance(event, CallAnswered):
                await self._answered(event.call)
            elif isinstance(event, CallTransferred):
                await self._transferred(event)
            elif isinstance(event, CallEnded):
                await self._ended(event.call)

    async def _ringing(self, event: CallRinging, answerer: str | None) -> None:
        call, state = event.call, self._state(event.call.linkedid)
        now = set(event.agents)
        answerer = answerer or call.answered_by
        for agent in sorted(state.ringing - now):
            if agent == answerer or _transferred_to(call, agent):
                state.talking.add(agent)
            elif answerer is not None:
                await self._send(agent, withdraw(call.linkedid, f"answered by {answerer}"))
            else:
                # The phone stopped ringing: picked up (the answer event follows) or given up.
                state.stopped.add(agent)
                self._flush_later(call.linkedid)
        if now - state.ringing:
            await self._flush_stopped(call.linkedid, state, "stopped ringing")
        card = await self._card(call, state)
        for agent in sorted(now - state.ringing):
            await self._send(agent, pop("ring", call, card))
        if now - state.ringing:  # Asterisk's ring time to the pop on the bus
            self._metrics.observe("pops.ring_to_pop_seconds", max(0.0, time.time() - event.at))
        state.ringing = now

    async def _answered(self, call: CallRecord) -> None:
        state = self._state(call.linkedid)
        agent = call.answered_by
        if agent is None:
            return
        state.talking.add(agent)
        state.ringing.discard(agent)
        state.stopped.discard(agent)
        await self._flush_stopped(call.linkedid, state, f"answered by {agent}")
        await self._send(agent, pop("answered", call, await self._card(call, state)))

    async def _flush_stopped(self, linkedid: str, state: _CallPops, reason: str) -> None:
        stopped, state.stopped = state.stopped, set()
        for agent in sorted(stopped - state.talking):
            await self._send(agent, withdraw(linkedid, reason))

    def _flush_later(self, linkedid: str) -> None:
        async def flush() -> None:
            await asyncio.sleep(STOPPED_RINGING_GRACE)
            state = self._calls.get(linkedid)
            if state is not None:
                await self._flush_stopped(linkedid, state, "stopped ringing")

        task = asyncio.create_task(flush())
        self._timers.add(task)
        task.add_done_callback(self._timers.discard)

    async def _transferred(self, event: CallTransferred) -> None:
        state = self._state(event.call.linkedid)
        source, kind = event.transfer.from_agent, event.transfer.kind
        if source is not None and source in state.talking and kind not in _STAYS:
            state.talking.discard(source)
            target = event.transfer.to or "another party"
            await self._send(source, withdraw(event.call.linkedid, f"transferred to {target}"))
        if event.transfer.to is not None and kind in _TAKES_OVER:
            state.talking.add(event.transfer.to)
            card = await self._card(event.call, state)
            await self._send(event.transfer.to, pop("answered", event.call, card))

    async def _ended(self, call: CallRecord) -> None:
        state = self._calls.pop(call.linkedid, None) or _CallPops()
        for agent in sorted((state.ringing | state.stopped) - state.talking):
            await self._send(agent, withdraw(call.linkedid, f"call {call.disposition}"))
        card = state.card if state.card_loaded else await self._card(call, state)
        for agent in sorted(state.talking):
            await self._send(agent, pop("ended", call, card))

    async def _card(self, call: CallRecord, state: _CallPops) -> Message | None:
        if not state.card_loaded:
            number = external_number(call)
            try:
                state.card = await self._lookup_card(number) if number else None
            except Exception as exc:  # the database is away: pop without the card, not never
                self._lookup_failed(call, exc)
                return None  # the call's next pop tries again
            state.card_loaded = True
        return state.card

    def _lookup_failed(self, call: CallRecord, exc: Exception) -> None:
        self.lookups_failed += 1
        now = time.monotonic()
        if now - self._warned_at >= LOOKUP_WARNING_EVERY:  # not a line per ring in an outage
            self._warned_at = now
            log.warning(
                "card lookup for call %s failed (%r): popping without the card (%d failures)",
                call.linkedid, exc, self.lookups_failed, extra=about(call.linkedid),
            )  # fmt: skip

    def _state(self, linkedid: str) -> _CallPops:
        return self._calls.setdefault(linkedid, _CallPops())

    async def _send(self, agent: str, message: Message) -> None:
        """The registry (this process) and the bus's retained pops (any web process) agree."""
        key, linkedid = pops_key(agent), message["linkedid"]
        if message["type"] == "withdraw":
            self.registry.remove(agent, linkedid)
            retained = [Retain(key, linkedid)]
        else:
            pushed_out = self.registry.put(agent, message)
            retained = [Retain(key, old) for old in pushed_out]
            retained.append(Retain(key, linkedid, {"order": time.time_ns(), "pop": message}))
        await self._bus.publish(agent_topic(agent), message, retained)
        self._metrics.inc(f"pops.sent.{message['type']}")


def _transferred_to(call: CallRecord, agent: str) -> bool:
    return call.answered_at is not None and any(t.to == agent for t in call.transfers)
