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
from itertools import islice
from typing import NamedTuple

from cti.ami.metrics import Counters
from cti.bus.base import Bus, Retain, agent_topic, pops_key
from cti.logs import about
from cti.pbxs import DEFAULT_PBX, agent_key
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
CARD_WAIT = 0.5  # seconds a pop waits for its card, then goes out without it
LOOKUPS_AT_ONCE = 4  # card fetchers beside the pops stage
AHEAD_BATCH = 100  # numbers a fetcher asks about at once
STOPPED_RINGING_GRACE = 2.0  # seconds to wait for the answer after a phone stops ringing

CardLookup = Callable[[str], Awaitable[Message | None]]
HeldNumbers = Callable[[Sequence[str]], Awaitable[set[str]]]
"""Which of these numbers some card holds (the others have no card)."""
# Transfers after which `to` talks with the caller (their card pops as answered), and those
# after which `from` does too (a conference host stays in the room).
_TAKES_OVER = frozenset({"attended", "pickup", "retrieve", "conference"})
_STAYS = frozenset({"conference"})


class _Wanted(NamedTuple):
    number: str
    future: asyncio.Future[Message | None]


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
        metrics: Counters | None = None, held_numbers: HeldNumbers | None = None,
        pbx: str = DEFAULT_PBX,
    ) -> None:  # fmt: skip
        self._pbx = pbx  # the agents it pops are this PBX's extensions (cti/pbxs.py:agent_key)
        self._bus = bus
        self._metrics = metrics or Counters()
        self._lookup_card = lookup_card
        self.registry = registry
        self._calls: dict[str, _CallPops] = {}
        self.lookups_failed = 0
        self._warned_at = -LOOKUP_WARNING_EVERY
        self._timers: set[asyncio.Task[None]] = set()
        self._held_numbers = held_numbers
        self._ahead: dict[str, asyncio.Future[Message | None]] = {}  # linkedid -> its card
        self._waiting: dict[str, _Wanted] = {}  # linkedid -> a card wanted, not yet asked for
        self._fetchers: set[asyncio.Task[None]] = set()
        self._fetching = 0
        self._lookups = asyncio.Semaphore(LOOKUPS_AT_ONCE)

    def look_ahead(self, events: Sequence[CallEvent]) -> None:
        """Inline in the ingest task, before the events enter the pops stage: ask for the card
        of a call that rings an agent, is answered or transferred, so that the stage finds it
        loaded or on its way. Up to LOOKUPS_AT_ONCE fetchers run beside the stage, each taking
        all that waits (at most AHEAD_BATCH): one query tells which of those numbers any card
        holds (`held_numbers`; a busy line's unknown callers cost one round trip together),
        the others are looked up, LOOKUPS_AT_ONCE at a time. Pops stay in order: the stage
        awaits each call's card in turn."""
        for event in events:
            if not isinstance(event, CallRinging | CallAnswered | CallTransferred):
                continue
            linkedid = event.call.linkedid
            state = self._calls.get(linkedid)
            if linkedid in self._ahead or (state is not None and state.card_loaded):
                continue
            number = external_number(event.call)
            if not number:
                continue
            future: asyncio.Future[Message | None] = asyncio.get_running_loop().create_future()
            future.add_done_callback(_retrieved)  # a failure is the stage's to log, or moot
            self._ahead[linkedid] = future
            self._waiting[linkedid] = _Wanted(number, future)
            if self._fetching < LOOKUPS_AT_ONCE:
                self._fetching += 1  # down when it returns, with nothing left waiting
                fetcher = asyncio.create_task(self._fetch(), name="pops:cards")
                self._fetchers.add(fetcher)
                fetcher.add_done_callback(self._fetchers.discard)

    async def _fetch(self) -> None:
        try:
            while self._waiting:
                batch = dict(islice(self._waiting.items(), AHEAD_BATCH))
                for linkedid in batch:
                    del self._waiting[linkedid]
                try:
                    await self._fetch_batch(list(batch.values()))
                except Exception as exc:  # the database is away: those pop without the card
                    for wanted in batch.values():
                        _settle(wanted.future, exc=exc)
        finally:
            self._fetching -= 1

    async def _fetch_batch(self, batch: list[_Wanted]) -> None:
        waiting: dict[str, list[asyncio.Future[Message | None]]] = {}
        for number, future in batch:
            if not future.done():  # done: the call ended meanwhile
                waiting.setdefault(number, []).append(future)
        if self._held_numbers is not None and len(waiting) > 1:
            held = await self._held_numbers(sorted(waiting))
            for number in [number for number in waiting if number not in held]:
                for future in waiting.pop(number):
                    _settle(future, None)
        await asyncio.gather(*(self._look_up(n, futures) for n, futures in waiting.items()))

    async def _look_up(self, number: str, futures: list[asyncio.Future[Message | None]]) -> None:
        try:
            async with self._lookups:
                card = await self._lookup_card(number)
        except Exception as exc:
            for future in futures:
                _settle(future, exc=exc)
        else:
            for future in futures:
                _settle(future, card)

    def close(self) -> None:
        """Cancel the card lookups no pop waits for any more."""
        for task in self._fetchers:
            task.cancel()
        for future in self._ahead.values():
            future.cancel()
        self._ahead.clear()
        self._waiting.clear()

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
        if state.talking:  # the outcome goes with the card; nobody talked: no card to look up
            card = state.card if state.card_loaded else await self._card(call, state)
            for agent in sorted(state.talking):
                await self._send(agent, pop("ended", call, card))
        self._waiting.pop(call.linkedid, None)
        ahead = self._ahead.pop(call.linkedid, None)
        if ahead is not None:
            ahead.cancel()

    async def _card(self, call: CallRecord, state: _CallPops) -> Message | None:
        if not state.card_loaded:
            number, ahead = external_number(call), self._ahead.pop(call.linkedid, None)
            try:
                if ahead is not None:
                    state.card = await asyncio.wait_for(asyncio.shield(ahead), CARD_WAIT)
                elif number:
                    async with asyncio.timeout(CARD_WAIT):
                        state.card = await self._lookup_card(number)
                else:
                    state.card = None
            except Exception as exc:  # the database is away: pop without the card, not never
                if ahead is not None and not ahead.done():
                    self._ahead[call.linkedid] = ahead  # still on its way: the next pop's
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
        agent = agent_key(self._pbx, agent)
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


def _retrieved(future: asyncio.Future[Message | None]) -> None:
    if not future.cancelled():
        future.exception()


def _settle(
    future: asyncio.Future[Message | None], card: Message | None = None,
    exc: Exception | None = None,
) -> None:  # fmt: skip
    if future.done():
        return
    if exc is not None:
        future.set_exception(exc)
    else:
        future.set_result(card)


def _transferred_to(call: CallRecord, agent: str) -> bool:
    return call.answered_at is not None and any(t.to == agent for t in call.transfers)
