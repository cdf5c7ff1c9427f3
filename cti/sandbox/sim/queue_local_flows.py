"""Queues whose members are Local channels (`Local/1001@agents/n`, queue `sales-local`, DID 340),
the way FreePBX and most GUIs configure them, and a direct line with voicemail (DID 350). A
Local channel and its ;1/;2 halves are plumbing: the record names the agents' phones."""

from __future__ import annotations

import asyncio

from cti.sandbox.sim.ami_kit import wait_for
from cti.sandbox.sim.scenario_kit import (
    CUSTOMER,
    CUSTOMER_NAME,
    Scenario,
    customer_calls,
    inbound,
    talk,
)
from cti.sandbox.sim.world import World
from cti.sandbox.sip.calls import BUSY, NO_ANSWER

LOCAL_QUEUE, QUEUE_NAME = "340", "sales-local"
OPTIMISED_QUEUE, OPTIMISED_NAME = "341", "support-local"
VOICEMAIL_LINE, VOICEMAIL_AGENT = "350", "1007"
GROUP = ["1001", "1002", "1003"]
MESSAGE_SECONDS = 3.0


async def queue_local_ringall_answered(world: World) -> None:
    world.phones.plans.update({"1001": NO_ANSWER, "1002": talk(4, 3), "1003": NO_ANSWER})
    await customer_calls(world, LOCAL_QUEUE)


async def queue_local_member_rejects(world: World) -> None:
    world.phones.plans.update({"1001": BUSY, "1002": talk(4, 3), "1003": NO_ANSWER})
    await customer_calls(world, LOCAL_QUEUE)


async def queue_local_optimised_member_rejects(world: World) -> None:
    world.phones.plans.update({"1004": BUSY, "1005": talk(4), "1006": NO_ANSWER})
    await customer_calls(world, OPTIMISED_QUEUE)


async def voicemail_no_answer(world: World) -> None:
    """The agent's phone rings out; the caller leaves a message for 3 s and hangs up."""
    world.phones.plans[VOICEMAIL_AGENT] = NO_ANSWER
    dialog = await world.carrier.call(VOICEMAIL_LINE, CUSTOMER, CUSTOMER_NAME)
    await wait_for(dialog.answered, 20)  # VoiceMail() answers the caller
    await asyncio.sleep(MESSAGE_SECONDS)
    await world.carrier.hang_up(dialog)
    await wait_for(dialog.ended, 10)


QUEUE_LOCAL_FLOWS = [
    Scenario(
        "queue_local_ringall_answered",
        "A customer dials DID 340: queue sales-local (ring-all) whose members are Local channels"
        " (Local/1001@agents/n ...); 1001-1003 ring, 1002 answers after 3 s and talks 4 s.",
        queue_local_ringall_answered,
        [
            inbound(
                callee=LOCAL_QUEUE,
                queue=QUEUE_NAME,
                agents_rang=GROUP,
                answered_by="1002",
                disposition="answered",
            )
        ],
    ),
    Scenario(
        "queue_local_member_rejects",
        "A customer dials DID 340 (queue sales-local, Local channel members); 1001's phone"
        " rejects (486), 1003 rings, 1002 answers after 3 s and talks 4 s.",
        queue_local_member_rejects,
        [
            inbound(
                callee=LOCAL_QUEUE,
                queue=QUEUE_NAME,
                agents_rang=["1002", "1003"],
                answered_by="1002",
                disposition="answered",
            )
        ],
    ),
    Scenario(
        "queue_local_optimised_member_rejects",
        "A customer dials DID 341: queue support-local (round-robin) whose members are Local"
        " channels without /n (Local/1004@queue-members ...); the first member, 1004, rejects"
        " (486), the next, 1005, answers after 2 s and talks 4 s; Asterisk optimises the Local"
        " channel away.",
        queue_local_optimised_member_rejects,
        [
            inbound(
                callee=OPTIMISED_QUEUE,
                queue=OPTIMISED_NAME,
                agents_rang=["1005"],
                answered_by="1005",
                disposition="answered",
            )
        ],
    ),
    Scenario(
        "voicemail_no_answer",
        "A customer dials DID 350, agent 1007's line with voicemail; the phone rings 8 s"
        " unanswered, the caller leaves a 3 s message in box 1007@default and hangs up.",
        voicemail_no_answer,
        [
            inbound(
                callee=VOICEMAIL_LINE,
                agents_rang=[VOICEMAIL_AGENT],
                disposition="missed",
            )
        ],
    ),
]
