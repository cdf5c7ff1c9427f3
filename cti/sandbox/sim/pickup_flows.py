"""Scenarios of call pickups: an agent's phone answers a call ringing a colleague's phone
(pickup groups in dialplans/asterisk/pjsip.conf; `*8` is Asterisk's pickup code)."""

from __future__ import annotations

import asyncio

from cti.sandbox.sim.scenario_kit import SUPPORT, Scenario, customer_calls, inbound
from cti.sandbox.sim.world import World
from cti.sandbox.sip.calls import NO_ANSWER

GROUP_PICKUP = "*8"
RING_BEFORE_PICKUP, TALK = 3.0, 4.0


async def _picks_up(world: World, picker: str, code: str = GROUP_PICKUP) -> None:
    """While a colleague's phone rings, the picker dials the pickup code, talks, hangs up."""
    await asyncio.sleep(RING_BEFORE_PICKUP)
    dialog = await world.phones.dial(picker, code)
    await dialog.answered.wait()
    await asyncio.sleep(TALK)
    await world.phones.hang_up(dialog)


async def pickup_group(world: World) -> None:
    world.phones.plans.update({"1001": NO_ANSWER})
    await asyncio.gather(customer_calls(world, "1001"), _picks_up(world, "1002"))


async def pickup_queue_call(world: World) -> None:
    world.phones.plans.update({ext: NO_ANSWER for ext in ("1004", "1005", "1006")})
    await asyncio.gather(customer_calls(world, SUPPORT), _picks_up(world, "1005"))


PICKUP_FLOWS = [
    Scenario(
        "pickup_group",
        "A customer dials 1001 directly; while 1001 rings, 1002 (same pickup group `sales`) dials"
        " *8 after 3 s, picks the call up and talks 4 s.",
        pickup_group,
        [
            inbound(
                callee="1001",
                agents_rang=["1001"],
                answered_by="1002",
                disposition="answered",
                transfers=[{"kind": "pickup", "from": "1001", "to": "1002"}],
            )
        ],
    ),
    Scenario(
        "pickup_queue_call",
        "A customer dials support (DID 200, round-robin); while the first agent, 1004, rings,"
        " 1005 (pickup group `support`) dials *8 after 3 s, picks the call up and talks 4 s.",
        pickup_queue_call,
        [
            inbound(
                callee=SUPPORT,
                queue="support",
                agents_rang=["1004"],
                answered_by="1005",
                disposition="answered",
                transfers=[{"kind": "pickup", "from": "1004", "to": "1005"}],
            )
        ],
    ),
]
