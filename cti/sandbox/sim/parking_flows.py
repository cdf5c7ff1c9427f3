"""Call parking (res_parking.conf: lot 700, spaces 701-720): an agent parks the caller, another
agent takes the call back, by dialling the space from the phone or by an operator panel's AMI
Originate of the agent's phone into the space. The record shows both steps in `transfers`
(`park`: from the agent to the space; `retrieve`: from the space to the agent) and
`answered_by` stays the agent who talked to the caller first."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from cti.sandbox.sim.ami_kit import channel_with_prefix, originate, settle, wait_for
from cti.sandbox.sim.scenario_kit import CUSTOMER, CUSTOMER_NAME, Scenario, inbound
from cti.sandbox.sim.world import World
from cti.sandbox.sip.calls import AnswerPlan

PARKER, RETRIEVER, LOT, SPACE = "1001", "1002", "700", "701"
TALK_BEFORE, PARKED_FOR, TALK_AFTER = 3.0, 3.0, 4.0
ANSWERS = AnswerPlan(answer_after=1)
RING_AND_TALK = 1.0 + TALK_AFTER
Parks = Callable[[World], Awaitable[None]]
Retrieves = Callable[[World], Awaitable[None]]


async def _by_transfer(world: World) -> None:
    """The agent transfers the caller to the lot's extension (a phone's park key does this)."""
    await world.blind_transfer(PARKER, LOT)


async def _by_park_action(world: World) -> None:
    """An operator panel's park button: AMI Park of the caller, back to the agent on timeout."""
    caller = await channel_with_prefix(world, "PJSIP/trunk-")
    agent = await world.agent_channel(PARKER)
    await world.ami.action("Park", Channel=caller, TimeoutChannel=agent)


async def _by_panel(world: World) -> None:
    """The operator panel's "take parked call": 1002's phone rings into the space."""
    await originate(world, f"PJSIP/{RETRIEVER}", SPACE, context="parkedcalls")


async def _by_dialling(world: World) -> None:
    """The agent dials the space from the phone ([agents] includes `parkedcalls`)."""
    await world.phones.dial(RETRIEVER, SPACE)


def _parked_then_retrieved(
    parks: Parks, retrieves: Retrieves = _by_panel
) -> Callable[[World], Awaitable[None]]:
    async def script(world: World) -> None:
        world.phones.plans.update({PARKER: AnswerPlan(answer_after=2), RETRIEVER: ANSWERS})
        dialog = await world.carrier.call(PARKER, CUSTOMER, CUSTOMER_NAME)
        await wait_for(dialog.answered, 15)
        await asyncio.sleep(TALK_BEFORE)
        await parks(world)
        await asyncio.sleep(PARKED_FOR)
        await retrieves(world)
        await asyncio.sleep(RING_AND_TALK)
        await world.carrier.hang_up(dialog)
        await settle(world, 1)

    return script


def _record() -> list[dict[str, object]]:
    return [
        inbound(
            callee=PARKER,
            agents_rang=[PARKER],
            answered_by=PARKER,
            disposition="answered",
            transfers=[
                {"kind": "park", "from": PARKER, "to": SPACE},
                {"kind": "retrieve", "from": SPACE, "to": RETRIEVER},
            ],
        )
    ]


PARKING_FLOWS = [
    Scenario(
        "park_by_transfer_retrieved",
        "A customer dials 1001 directly; 1001 answers and after 3 s transfers the call to the"
        " parking lot (AMI BlindTransfer to 700): the caller waits in space 701; 3 s later the"
        " operator panel rings 1002 into space 701 (AMI Originate), 1002 answers after 1 s and"
        " talks 4 s until the customer hangs up.",
        _parked_then_retrieved(_by_transfer),
        _record(),
    ),
    Scenario(
        "park_by_action_retrieved",
        "A customer dials 1001 directly; 1001 answers and after 3 s an operator panel parks the"
        " caller (AMI Park): space 701; 3 s later the panel rings 1002 into space 701 (AMI"
        " Originate), 1002 answers after 1 s and talks 4 s until the customer hangs up.",
        _parked_then_retrieved(_by_park_action),
        _record(),
    ),
    Scenario(
        "park_retrieved_by_dialling",
        "A customer dials 1001 directly; 1001 answers and after 3 s transfers the call to the"
        " parking lot (AMI BlindTransfer to 700): space 701; 3 s later agent 1002 dials 701 from"
        " the phone, takes the caller and talks 5 s until the customer hangs up.",
        _parked_then_retrieved(_by_transfer, _by_dialling),
        _record(),
    ),
]
