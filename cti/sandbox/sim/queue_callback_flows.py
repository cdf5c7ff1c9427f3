"""Queue call-back: a caller waiting in `sales` (every member paused) presses 1, a real RFC 4733
key press on the early media the queue opens, leaves the queue for `cti-queue-callback` and is
hung up after the thank-you. One record, `callback_requested`: the caller left by choice."""

from __future__ import annotations

import asyncio

from cti.sandbox.sim.scenario_kit import CUSTOMER, CUSTOMER_NAME, Scenario, inbound
from cti.sandbox.sim.world import World

SALES_DID, SALES_MEMBERS = "100", ("PJSIP/1001", "PJSIP/1002", "PJSIP/1003")


async def queue_callback_requested(world: World) -> None:
    for member in SALES_MEMBERS:
        await world.ami.action("QueuePause", Interface=member, Paused="true", Reason="meeting")
    try:
        dialog = await world.carrier.call(SALES_DID, CUSTOMER, CUSTOMER_NAME)
        for _ in range(100):
            if dialog.dtmf_payload is not None:
                break
            await asyncio.sleep(0.1)
        await asyncio.sleep(3)
        await dialog.press("1")
        await asyncio.wait_for(dialog.ended.wait(), 15)
        await world.wait_idle(timeout=10)
    finally:
        for member in SALES_MEMBERS:
            await world.ami.action("QueuePause", Interface=member, Paused="false")


QUEUE_CALLBACK_FLOWS = [
    Scenario(
        "queue_callback_requested",
        "A customer dials sales (DID 100) while every member is paused, waits 3 s and presses 1"
        " (RFC 4733): they leave the queue for `cti-queue-callback`, hear the thank-you and are"
        " hung up. The bridge calls back later (its own record, `callback_of`).",
        queue_callback_requested,
        [
            inbound(
                callee=SALES_DID, queue="sales", agents_rang=[], disposition="callback_requested"
            )
        ],
    )
]
