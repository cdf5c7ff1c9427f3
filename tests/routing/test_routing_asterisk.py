"""The bridge's own FastAGI server answering the real dialplan's routing hook (sandbox Asterisk),
with the rules stored in the database: owner first, VIP priority, after hours.

The fallback (no AGI server listening: the call still reaches its queue) is covered by
tests/sandbox/test_calls.py::test_no_routing_server_still_reaches_the_queue.
"""

from __future__ import annotations

import asyncio

import pytest

from crm_core.models.enums import Role
from crm_core.services import Services
from crm_core.services.dto import Actor, CallFilter, CallOut, ContactCreate, PhoneIn, UserUpdate
from cti.sandbox.settings import SandboxSettings
from cti.sandbox.sim.scenarios import CUSTOMER, CUSTOMER_NAME, SALES, talk
from cti.sandbox.sim.world import World, open_world
from cti.sandbox.sip.calls import NO_ANSWER
from tests.fixtures.bridge import RunningBridge, wait_until
from tests.fixtures.db import MakeUser

pytestmark = pytest.mark.asterisk
SYSTEM = Actor.system()
OWNER = 'Petra O\'Brien "Pet"'


async def _owned_client(services: Services, make_user: MakeUser) -> int:
    owner, _ = await make_user(Role.AGENT, extensions=["1002"])
    # quotes travel escaped through AGI and back C-escaped in AMI's VarSet
    await services.users.update(SYSTEM, owner.id, UserUpdate(display_name=OWNER))
    data = ContactCreate(first_name="Petr", last_name="Novák", owner_id=owner.id,
                         phones=[PhoneIn(number=CUSTOMER)])  # fmt: skip
    return (await services.contacts.create(SYSTEM, data)).id


async def _customer_calls(world: World) -> None:
    dialog = await world.carrier.call(SALES, CUSTOMER, CUSTOMER_NAME)
    await asyncio.wait_for(dialog.ended.wait(), 90)


async def _only_call(services: Services, bridge: RunningBridge, contact_id: int) -> CallOut:
    async def logged() -> list[CallOut]:
        await bridge.bridge.pipeline.drain()
        return (await services.calls.list(SYSTEM, CallFilter(contact_id=contact_id))).items

    for _ in range(50):
        if calls := await logged():
            assert len(calls) == 1
            return calls[0]
        await asyncio.sleep(0.2)
    raise AssertionError("no call record")


async def test_a_known_client_rings_the_free_owner_first(
    services: Services, make_user: MakeUser, routing_bridge: RunningBridge
) -> None:
    contact_id = await _owned_client(services, make_user)
    async with open_world(SandboxSettings.from_env(), stub_agi=False) as world:
        world.phones.plans.update({"1001": NO_ANSWER, "1002": talk(2), "1003": NO_ANSWER})
        await _customer_calls(world)
    call = await _only_call(services, routing_bridge, contact_id)
    assert (call.answered_by, call.agents_rang, call.queue) == ("1002", ["1002"], "")
    assert call.routing_reason == f"owner {OWNER} free -> ring 1002 for 10 s, then queue sales"
    assert routing_bridge.bridge.metrics.get("agi.answered") == 1


async def test_a_paused_owner_is_skipped_and_the_queue_answers(
    services: Services, make_user: MakeUser, routing_bridge: RunningBridge
) -> None:
    contact_id = await _owned_client(services, make_user)
    agents = routing_bridge.bridge.telephony.agents
    async with open_world(SandboxSettings.from_env(), stub_agi=False) as world:
        # 1002 is in sales as its phone and in sales-local as a Local channel: paused in both
        pauses = [
            {"Interface": "PJSIP/1002", "Queue": "sales", "Reason": "lunch"},
            {"Interface": "Local/1002@agents/n", "Queue": "sales-local", "Reason": "lunch"},
        ]
        for pause in pauses:
            await world.ami.action("QueuePause", Paused="true", **pause)
        try:
            memberships = lambda: agents.of_interface("PJSIP/1002")  # noqa: E731
            await wait_until(lambda: all(m.paused for m in memberships()), 10, "pause")
            world.phones.plans.update({"1001": talk(2), "1002": talk(2), "1003": NO_ANSWER})
            await _customer_calls(world)
        finally:
            for pause in pauses:
                await world.ami.action("QueuePause", Paused="false", **pause)
    call = await _only_call(services, routing_bridge, contact_id)
    assert (call.answered_by, call.queue) == ("1001", "sales")
    assert "1002" not in call.agents_rang
    assert call.routing_reason.endswith("paused (lunch) -> queue sales")
