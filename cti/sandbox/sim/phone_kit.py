"""What the scenarios of phone-made flows share: bounded waits, a customer answered by an agent,
the agent's own leg of a call."""

from __future__ import annotations

import asyncio

from cti.sandbox.sim.scenario_kit import CUSTOMER, CUSTOMER_NAME
from cti.sandbox.sim.world import World
from cti.sandbox.sip.calls import AnswerPlan
from cti.sandbox.sip.dialog import Dialog

STEP_SECONDS = 30.0  # no single step of a scenario takes longer: a recording never hangs
CALL_SECONDS = 90.0  # nor a whole call
SECOND_CUSTOMER, SECOND_CUSTOMER_NAME = "+420601000002", "Jana Dvořáková"


async def within(event: asyncio.Event, seconds: float = STEP_SECONDS) -> None:
    """Wait for a step of the scenario; TimeoutError (naming nothing hangs) if it never comes."""
    await asyncio.wait_for(event.wait(), seconds)


async def leg_of(world: World, extension: str, seen: set[str] | None = None) -> Dialog:
    """The agent phone's newest call (one not in `seen`), waiting for it to arrive."""
    seen = seen or set()
    for _ in range(int(STEP_SECONDS * 10)):
        fresh = [d for d in world.phones.calls_of(extension) if d.call_id not in seen]
        if fresh:
            return fresh[-1]
        await asyncio.sleep(0.1)
    raise TimeoutError(f"no call reached {extension}")


async def customer_answered_by(
    world: World, agent: str, number: str = CUSTOMER, name: str = CUSTOMER_NAME
) -> tuple[Dialog, Dialog]:
    """A customer dials the agent's direct number; the phone answers after 2 s and stays on the
    call. Returns (the customer's leg, the agent's leg)."""
    world.phones.plans[agent] = AnswerPlan(answer_after=2)
    customer = await world.carrier.call(agent, number, name)
    await within(customer.answered)
    leg = await leg_of(world, agent)
    await within(leg.answered)
    return customer, leg


async def until_over(*dialogs: Dialog) -> None:
    """Each of the calls has ended (a bounded wait)."""
    for dialog in dialogs:
        await within(dialog.ended, CALL_SECONDS)
