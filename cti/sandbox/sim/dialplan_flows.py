"""Scenarios of flows the dialplan makes without a queue: ring groups, hunt groups, forwards and
follow-me (dialplans/asterisk/extensions.conf, DIDs 3XX)."""

from __future__ import annotations

from cti.sandbox.sim.scenario_kit import Scenario, customer_calls, inbound, talk
from cti.sandbox.sim.world import World
from cti.sandbox.sip.calls import BUSY, NO_ANSWER

RING_GROUP, HUNT_GROUP = "300", "301"
GROUP = ["1001", "1002", "1003"]
FORWARD_ALWAYS, FORWARD_BUSY, FORWARD_NOANSWER = "310", "311", "312"
FOLLOW_ME, MOBILE = "320", "0777000106"


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


async def forward_unconditional(world: World) -> None:
    world.phones.plans.update({"1004": talk(4), "1005": talk(4)})
    await customer_calls(world, FORWARD_ALWAYS)


async def forward_on_busy(world: World) -> None:
    world.phones.plans.update({"1004": BUSY, "1005": talk(4)})
    await customer_calls(world, FORWARD_BUSY)


async def forward_on_no_answer(world: World) -> None:
    world.phones.plans.update({"1004": NO_ANSWER, "1005": talk(4)})
    await customer_calls(world, FORWARD_NOANSWER)


async def follow_me_external(world: World) -> None:
    world.phones.plans["1006"] = NO_ANSWER
    world.carrier.plans[MOBILE] = talk(4)
    await customer_calls(world, FOLLOW_ME)


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
    Scenario(
        "forward_unconditional",
        "A customer dials DID 310: agent 1004 with all calls forwarded to 1005; 1004 never rings,"
        " 1005 answers after 2 s and talks 4 s.",
        forward_unconditional,
        [
            inbound(
                callee=FORWARD_ALWAYS,
                agents_rang=["1005"],
                answered_by="1005",
                disposition="answered",
            )
        ],
    ),
    Scenario(
        "forward_on_busy",
        "A customer dials DID 311: agent 1004, forwarded to 1005 when busy; 1004's phone rejects"
        " the call (486), 1005 answers after 2 s and talks 4 s.",
        forward_on_busy,
        [
            inbound(
                callee=FORWARD_BUSY,
                agents_rang=["1005"],
                answered_by="1005",
                disposition="answered",
            )
        ],
    ),
    Scenario(
        "forward_on_no_answer",
        "A customer dials DID 312: agent 1004, forwarded to 1005 on no answer; 1004 rings 8 s"
        " unanswered, 1005 answers after 2 s and talks 4 s.",
        forward_on_no_answer,
        [
            inbound(
                callee=FORWARD_NOANSWER,
                agents_rang=["1004", "1005"],
                answered_by="1005",
                disposition="answered",
            )
        ],
    ),
    Scenario(
        "follow_me_external",
        "A customer dials DID 320: agent 1006's follow-me (a Local channel); the desk phone rings"
        " 8 s unanswered, then the agent's mobile 0777000106 via the trunk answers after 2 s and"
        " talks 4 s.",
        follow_me_external,
        [inbound(callee=FOLLOW_ME, agents_rang=["1006"], disposition="answered")],
    ),
]
