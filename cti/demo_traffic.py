"""Gentle demo traffic for `make run`: demo clients call the queues every few seconds, so a newcomer
logged in as a demo agent sees real screen-pops within a minute."""

from __future__ import annotations

import asyncio
import logging
import random

from sqlalchemy import select

from crm_core.models import Phone
from crm_core.services import Services
from cti.sandbox.settings import SandboxSettings
from cti.sandbox.sim.traffic import Traffic, TrafficMix
from cti.sandbox.sim.world import World, open_world
from cti.sandbox.sip.dialog import Dialog

log = logging.getLogger(__name__)
DEMO_MIX = TrafficMix(
    outbound_share=0.1, internal_share=0.05, answer_after=(4.0, 9.0), talk=(5.0, 15.0),
    dids=("100", "100", "200", "1001"),
)  # fmt: skip


class ClientTraffic(Traffic):
    """Inbound calls come from numbers on demo cards (and now and then a stranger)."""

    def __init__(self, world: World, mix: TrafficMix, seed: int, numbers: list[str]) -> None:
        super().__init__(world, mix, seed)
        self.numbers = numbers

    async def _inbound(self) -> Dialog:
        if not self.numbers or self.random.random() < 0.2:
            return await super()._inbound()
        number = self.random.choice(self.numbers)
        did = self.random.choice(self.mix.dids)
        return await self.world.carrier.call(did, number, "")


async def client_numbers(services: Services, limit: int = 200) -> list[str]:
    async with services.sessions() as session:
        rows = await session.scalars(
            select(Phone.e164).where(Phone.contact_id.is_not(None)).limit(limit)
        )
        return [number for number in rows if number]


async def gentle_traffic(
    settings: SandboxSettings, numbers: list[str], calls_per_minute: float = 4.0
) -> None:
    """Runs until cancelled; a failure (Asterisk restarting) pauses it, never stops the service."""
    while True:
        try:
            async with open_world(settings, stub_agi=False) as world:
                traffic = ClientTraffic(
                    world, DEMO_MIX, seed=random.randrange(1 << 30), numbers=numbers
                )
                await traffic.run(calls=0, rate=calls_per_minute / 60)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.warning("demo traffic paused: %s", exc)
            await asyncio.sleep(10)
