"""What every scenario script is made of: the scenario, the expected inbound record, the caller."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from cti.sandbox.sim.world import World
from cti.sandbox.sip.calls import AnswerPlan

Record = dict[str, Any]
Script = Callable[[World], Awaitable[None]]
SALES, SUPPORT = "100", "200"
CUSTOMER, CUSTOMER_NAME = "+420601000001", "Petr Novák"


@dataclass(frozen=True)
class Scenario:
    name: str
    description: str
    script: Script
    expected: list[Record] = field(default_factory=list)


def inbound(**fields: Any) -> Record:
    record: Record = {
        "direction": "inbound",
        "caller": CUSTOMER,
        "caller_name": CUSTOMER_NAME,
        "queue": None,
        "answered_by": None,
        "transfers": [],
    }
    return record | fields


def talk(seconds: float, answer_after: float = 2.0) -> AnswerPlan:
    return AnswerPlan(answer_after=answer_after, talk=seconds)


async def customer_calls(world: World, did: str, hang_up_after: float | None = None) -> None:
    dialog = await world.carrier.call(did, CUSTOMER, CUSTOMER_NAME)
    if hang_up_after is not None:
        await asyncio.sleep(hang_up_after)
        await world.carrier.hang_up(dialog)
    await dialog.ended.wait()
