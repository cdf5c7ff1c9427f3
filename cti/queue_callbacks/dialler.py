"""The queue call-back dialler: every `interval` it reads the kept places, works out where each
stands (cti/queue_callbacks/places.py), shows them to supervisors, and dials the one whose turn
it is when a member of its queue is free: the agent's phone first (AMI Originate into `agents`,
CTI_CALLBACK_OF naming the call it serves), then, once the agent answers, the caller.

The result comes back with the call-back call's record (crm_core.services.queue_callback_rules).
A dial that never becomes a record (the agent did not answer: the tracker dropped the call, or
Asterisk refused the Originate) puts the place back at once, no attempt counted, and that agent
is passed over for the place's next try."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from crm_core.errors import DomainError
from crm_core.services.dto.queue_callbacks import QueuePlace
from crm_core.services.queue_callbacks import QueueCallbackService
from cti.agents.actions import AmiUnavailableError, send_checked
from cti.agents.feed import ActionSender
from cti.periodic import Periodic
from cti.queue_callbacks.places import Standing, next_to_dial, standings, view

log = logging.getLogger(__name__)
ORIGINATE_CONTEXT = "agents"
NOT_SEEN_SECONDS = 10.0  # an Originate that shows no call this long was refused
Views = dict[str, list[dict[str, object]]]


@dataclass(frozen=True)
class QueueFacts:
    """What the dialler reads from the bridge's live parts."""

    real_joins: Callable[[], Mapping[str, Sequence[float]]]  # queue -> join times of callers
    free_members: Callable[[str, float], list[str]]  # queue -> free agents' extensions
    callback_calls: Callable[[], Mapping[str, str]]  # open call-back calls: served -> own
    recently_ended: Callable[[], set[str]]  # linkedids of calls ended with a record
    interface: Callable[[str], str]  # extension -> the phone to ring


class QueueCallbackDialler(Periodic):
    task_name = "queue-callback-dialler"

    def __init__(
        self, store: QueueCallbackService, ami: ActionSender, facts: QueueFacts,
        publish: Callable[[Views], None], interval: float, clock: Callable[[], float] = time.time,
        agent_ring_seconds: float = 20.0, pbx: str = "default",
    ) -> None:  # fmt: skip
        self.store, self.ami, self.facts, self.publish = store, ami, facts, publish
        self.pbx = pbx  # the places kept on this PBX (each PBX's bridge dials its own)
        self.interval, self.clock = interval, clock
        self.agent_ring_seconds = agent_ring_seconds  # then the agent is passed over
        self._calls: dict[int, str] = {}  # place -> its call-back call's linkedid, once seen
        self._passed_over: dict[int, set[str]] = {}  # place -> agents who did not answer
        self.dialled = 0

    async def tick(self) -> None:
        now = self.clock()
        places = await self.store.places(self.pbx)
        await self._settle_dials(places, now)
        places = await self.store.places(self.pbx)
        queues = standings(places, self.facts.real_joins())
        self.publish({queue: [view(s, now) for s in line] for queue, line in queues.items()})
        busy: set[str] = set()
        for queue, line in queues.items():
            turn = next_to_dial(line, now)
            if turn is not None:
                await self._dial(queue, turn, now, busy)

    async def _settle_dials(self, places: list[QueuePlace], now: float) -> None:
        """A dial whose call went away without a record never reached the caller."""
        open_calls = self.facts.callback_calls()
        for place in places:
            if place.dialing_since is None:
                continue
            own = open_calls.get(place.call_linkedid)
            if own is not None:
                self._calls[place.id] = own
                continue
            seen = self._calls.get(place.id)
            if seen is not None and seen in self.facts.recently_ended():
                continue  # its record is on the way; the call-back rules settle the place
            if seen is None and now - place.dialing_since.timestamp() < NOT_SEEN_SECONDS:
                continue  # Originate queued, the agent's channel not seen yet
            await self._release(place, now, "agent did not answer")

    async def _release(self, place: QueuePlace, now: float, result: str) -> None:
        self._calls.pop(place.id, None)
        self._passed_over.setdefault(place.id, set()).add(place.extension)
        await self.store.release(place.id, datetime.fromtimestamp(now, UTC), result)

    async def _dial(self, queue: str, turn: Standing, now: float, busy: set[str]) -> None:
        place = turn.place
        skip = self._passed_over.get(place.id, set()) | busy
        free = [e for e in self.facts.free_members(queue, now) if e not in skip]
        if not free and self._passed_over.get(place.id):
            self._passed_over.pop(place.id)  # everyone was tried: start the round again
            return
        if not free:
            return
        extension = free[0]
        at = datetime.fromtimestamp(now, UTC)
        if not await self.store.claim_dialing(place.id, extension, at):
            return  # another bridge dials it
        busy.add(extension)
        try:
            await send_checked(self.ami, self._originate(place, extension))
        except (DomainError, AmiUnavailableError) as exc:
            log.warning("queue call-back %s: Originate refused: %s", place.id, exc)
            self._passed_over.setdefault(place.id, set()).add(extension)
            await self.store.release(place.id, at, f"refused: {exc}"[:32])
            return
        self.dialled += 1
        log.info("queue call-back %s (%s, queue %s): ringing %s", place.id, place.number,
                 queue, extension)  # fmt: skip

    def _originate(self, place: QueuePlace, extension: str) -> dict[str, str]:
        shown = place.contact_name or place.number
        return {
            "Action": "Originate",
            "Channel": self.facts.interface(extension),
            "Context": ORIGINATE_CONTEXT,
            "Exten": place.number,
            "Priority": "1",
            # the agent's phone shows whom it calls back, and the number the caller sees
            "CallerID": f'"Call-back {shown}" <{place.number}>',
            "Timeout": str(round(self.agent_ring_seconds * 1000)),
            "Async": "true",
            "Variable": f"CTI_CALLBACK_OF={place.call_linkedid}",
        }
