"""Random call traffic: inbound calls to the queues and agents, outbound and internal calls.

Used as demo traffic (`cti simulate --calls N --rate R`) and as the load source of the bench.
"""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass, field

from cti.sandbox.sim.world import AGENTS, World
from cti.sandbox.sip.calls import AnswerPlan
from cti.sandbox.sip.dialog import Dialog

CALLER_NAMES = ("Petr Novák", "Jana Dvořáková", "José Ščasný", "Anna Smith", "")
DIDS = ("100", "200", "1001", "1002", "1003", "1004", "1005")


@dataclass(frozen=True)
class TrafficMix:
    """Shares of call kinds (the rest is inbound) and how people behave, in seconds."""

    outbound_share: float = 0.15
    internal_share: float = 0.1
    impatient_share: float = 0.15  # inbound callers who hang up after `patience`
    no_answer_share: float = 0.1  # rings that an agent lets ring
    answer_after: tuple[float, float] = (1.0, 4.0)
    talk: tuple[float, float] = (3.0, 10.0)
    patience: tuple[float, float] = (3.0, 10.0)
    dids: tuple[str, ...] = DIDS


@dataclass
class TrafficStats:
    started: int = 0
    answered: int = 0
    failed: int = 0
    setup_seconds: list[float] = field(default_factory=list)


class Traffic:
    def __init__(self, world: World, mix: TrafficMix, seed: int | None = None) -> None:
        self.world, self.mix = world, mix
        self.random = random.Random(seed)
        self.stats = TrafficStats()
        world.phones.planner = self._agent_plan
        world.carrier.planner = lambda _number: self._agent_plan("outside")

    async def run(self, calls: int, rate: float) -> TrafficStats:
        """Start `calls` calls (0: until cancelled) at `rate` calls per second; wait for all."""
        tasks: set[asyncio.Task[None]] = set()
        count = 0
        while calls == 0 or count < calls:
            tasks.add(asyncio.create_task(self.one_call()))
            tasks = {task for task in tasks if not task.done()}
            count += 1
            await asyncio.sleep(1 / rate)
        await asyncio.gather(*tasks, return_exceptions=True)
        return self.stats

    async def one_call(self) -> None:
        draw = self.random.random()
        if draw < self.mix.outbound_share:
            await self._follow(await self._outbound(), patience=None)
        elif draw < self.mix.outbound_share + self.mix.internal_share:
            await self._follow(await self._internal(), patience=None)
        else:
            await self._follow(await self._inbound(), patience=self._patience())

    def _between(self, bounds: tuple[float, float]) -> float:
        return self.random.uniform(*bounds)

    def _agent_plan(self, _who: str) -> AnswerPlan:
        if self.random.random() < self.mix.no_answer_share:
            return AnswerPlan(answer_after=None)
        return AnswerPlan(self._between(self.mix.answer_after), self._between(self.mix.talk))

    def _patience(self) -> float | None:
        impatient = self.random.random() < self.mix.impatient_share
        return self._between(self.mix.patience) if impatient else None

    async def _inbound(self) -> Dialog:
        number = f"+420601{self.random.randrange(10**6):06d}"
        name = self.random.choice(CALLER_NAMES)
        return await self.world.carrier.call(self.random.choice(self.mix.dids), number, name)

    async def _outbound(self) -> Dialog:
        number = f"0777{self.random.randrange(10**6):06d}"
        return await self.world.phones.dial(self.random.choice(AGENTS), number)

    async def _internal(self) -> Dialog:
        caller, callee = self.random.sample(AGENTS, 2)
        return await self.world.phones.dial(caller, callee)

    async def _follow(self, dialog: Dialog, patience: float | None) -> None:
        """Wait for the call to end; an impatient caller hangs up if not answered in time."""
        self.stats.started += 1
        started = asyncio.get_running_loop().time()
        answered = asyncio.ensure_future(dialog.answered.wait())
        ended = asyncio.ensure_future(dialog.ended.wait())
        await asyncio.wait({answered, ended}, timeout=patience, return_when=asyncio.FIRST_COMPLETED)
        if dialog.answered.is_set():
            self.stats.answered += 1
            self.stats.setup_seconds.append(asyncio.get_running_loop().time() - started)
        elif not dialog.ended.is_set():
            await self._hang_up(dialog)
        elif dialog.final_status >= 500:
            self.stats.failed += 1
        await ended
        answered.cancel()

    async def _hang_up(self, dialog: Dialog) -> None:
        if dialog.me.user in AGENTS:
            await self.world.phones.hang_up(dialog)
        else:
            await self.world.carrier.hang_up(dialog)
