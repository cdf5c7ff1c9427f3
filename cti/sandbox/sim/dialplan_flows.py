"""Scenarios of flows the dialplan makes without a queue: ring groups, hunt groups, forwards and
follow-me (dialplans/asterisk/extensions.conf, DIDs 3XX)."""

from __future__ import annotations

from cti.sandbox.sim.scenario_kit import Scenario, customer_calls, inbound, talk
from cti.sandbox.sim.world import World
from cti.sandbox.sip.calls import NO_ANSWER

RING_GROUP, HUNT_GROUP = "300", "301"
GROUP = ["1001", "1002", "1003"]


async def ring_group_answered(world: World) -> None:
    world.phones.plans.update({"1001": NO_ANSWER, "1002": talk(4, 3), "1003": NO_ANSWER})
    await customer_calls(world, RING_GROUP)


async def ring_group_unanswered(world: World) -> None:
    world.phones.plans.update({ext: NO_ANSWER for ext in GROUP})
    await customer_calls(world, RING_GROUP)


async def ring_group_abandoned(world: World) -> None:
    world.phones.plans.update({ext: NO_ANSWER for ext in GROUP})
    await customer_calls(world, RING_GROUP, hang_up_after=5)


async def hunt_group_answered_second(world: World) -> None:
    world.phones.plans.update({"1001": NO_ANSWER, "1002": talk(4), "1003": NO_ANSWER})
    await customer_calls(world, HUNT_GROUP)


async def hunt_group_unanswered(world: World) -> None:
    world.phones.plans.update({ext: NO_ANSWER for ext in GROUP})
    await customer_calls(world, HUNT_GROUP)


DIALPLAN_FLOWS = [
    Scenario(
        "ring_group_answered",
        "A customer dials the ring group (DID 300: Dial of 1001&1002&1003); all three ring, 1002"
        " answers after 3 s and talks 4 s.",
        ring_group_answered,
        [inbound(callee=RING_GROUP, agents_rang=GROUP, answered_by="1002", disposition="answered")],
    ),
    Scenario(
        "ring_group_unanswered",
        "A customer dials the ring group (DID 300); 1001-1003 ring, nobody answers; the PBX gives"
        " up after 15 s.",
        ring_group_unanswered,
        [inbound(callee=RING_GROUP, agents_rang=GROUP, disposition="missed")],
    ),
    Scenario(
        "ring_group_abandoned",
        "A customer dials the ring group (DID 300); 1001-1003 ring; the customer hangs up after"
        " 5 s.",
        ring_group_abandoned,
        [inbound(callee=RING_GROUP, agents_rang=GROUP, disposition="abandoned")],
    ),
    Scenario(
        "hunt_group_answered_second",
        "A customer dials the hunt group (DID 301: 1001, 1002, 1003 one after another, 6 s each);"
        " 1001 rings out, 1002 answers after 2 s and talks 4 s.",
        hunt_group_answered_second,
        [
            inbound(
                callee=HUNT_GROUP,
                agents_rang=["1001", "1002"],
                answered_by="1002",
                disposition="answered",
            )
        ],
    ),
    Scenario(
        "hunt_group_unanswered",
        "A customer dials the hunt group (DID 301); 1001, 1002 and 1003 each ring 6 s in turn,"
        " nobody answers.",
        hunt_group_unanswered,
        [inbound(callee=HUNT_GROUP, agents_rang=GROUP, disposition="missed")],
    ),
]
