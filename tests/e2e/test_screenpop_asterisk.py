"""A known client calls the ring-all `sales` queue on the real Asterisk: the ringing agents get the
card before anyone answers, the others lose it when 1002 answers, and the one business call lands
on the client's card with the right direction, agent and outcome."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from websockets.asyncio.client import ClientConnection

from crm_core.models.enums import Role
from crm_core.services import Services
from crm_core.services.dto import Actor, CallFilter, ContactCreate, PhoneIn
from cti.sandbox.manager import ConnectionInfo
from cti.sandbox.settings import SandboxSettings
from cti.sandbox.sim.scenarios import CUSTOMER, queue_abandoned, queue_ringall_one_answers
from cti.sandbox.sim.world import open_world
from tests.fixtures.bridge import RunningBridge, agent_socket, next_message, wait_until
from tests.fixtures.db import MakeUser

pytestmark = pytest.mark.asterisk
SYSTEM = Actor.system()


async def _collect(websocket: ClientConnection, into: list[dict[str, Any]]) -> None:
    """The pop frames only: the agent's own state (`agent_state`) is pushed on the same socket."""
    while True:
        message = await next_message(websocket, timeout=120)
        if message["type"] != "agent_state":
            into.append(message)


async def _client_card(services: Services, make_user: MakeUser) -> tuple[int, dict[str, str]]:
    tokens = {}
    owner_id = 0
    for extension in ("1001", "1002", "1003"):
        user, password = await make_user(Role.AGENT, extensions=[extension])
        tokens[extension] = (await services.users.login(user.login, password)).access_token
        owner_id = owner_id or user.id
    contact = await services.contacts.create(
        SYSTEM,
        ContactCreate(
            first_name="Petr", last_name="Novák", owner_id=owner_id,
            phones=[PhoneIn(number=CUSTOMER.replace("+420", "00420 "))],
        ),
    )  # fmt: skip
    return contact.id, tokens


async def test_ring_all_call_pops_the_card_and_lands_once_on_it(
    services: Services, make_user: MakeUser, running_bridge: RunningBridge, asterisk: ConnectionInfo
) -> None:
    contact_id, tokens = await _client_card(services, make_user)
    screens: dict[str, list[dict[str, Any]]] = {ext: [] for ext in tokens}
    readers = []
    async with (
        agent_socket(running_bridge.ws_url, tokens["1001"]) as ws1,
        agent_socket(running_bridge.ws_url, tokens["1002"]) as ws2,
        agent_socket(running_bridge.ws_url, tokens["1003"]) as ws3,
    ):
        for extension, websocket in zip(tokens, (ws1, ws2, ws3), strict=True):
            assert (await next_message(websocket))["type"] == "hello"
            assert (await next_message(websocket))["type"] == "snapshot"
            readers.append(asyncio.create_task(_collect(websocket, screens[extension])))
        async with open_world(SandboxSettings.from_env(), stub_agi=False) as world:
            await queue_ringall_one_answers(world)
        await wait_until(lambda: any(m["type"] == "ended" for m in screens["1002"]), 20, "end")
        for reader in readers:
            reader.cancel()

    kinds = {ext: [m["type"] for m in messages] for ext, messages in screens.items()}
    assert kinds["1002"] == ["ring", "answered", "ended"]
    assert kinds["1001"] == ["ring", "withdraw"]
    assert kinds["1003"] == ["ring", "withdraw"]
    ring = screens["1002"][0]
    assert ring["card"]["contact"]["id"] == contact_id
    assert ring["card"]["contact"]["last_name"] == "Novák"
    assert screens["1001"][1]["reason"] == "answered by 1002"

    await running_bridge.bridge.pipeline.drain()
    calls = (await services.calls.list(SYSTEM, CallFilter(contact_id=contact_id))).items
    assert len(calls) == 1
    call = calls[0]
    assert (call.direction, call.disposition, call.answered_by) == ("inbound", "answered", "1002")
    assert sorted(call.agents_rang) == ["1001", "1002", "1003"]
    assert call.queue == "sales"
    timeline = await services.cards.timeline(contact_id)
    assert [item.call.id for item in timeline if item.call is not None] == [call.id]


async def test_abandoned_ring_all_call_is_one_record_and_one_callback(
    services: Services, make_user: MakeUser, running_bridge: RunningBridge, asterisk: ConnectionInfo
) -> None:
    contact_id, _ = await _client_card(services, make_user)
    async with open_world(SandboxSettings.from_env(), stub_agi=False) as world:
        await queue_abandoned(world)
    await asyncio.sleep(0.5)
    await running_bridge.bridge.pipeline.drain()
    calls = (await services.calls.list(SYSTEM, CallFilter(contact_id=contact_id))).items
    assert [(c.disposition, c.answered_by) for c in calls] == [("abandoned", "")]
    card = await services.cards.lookup(CUSTOMER)
    assert card is not None
    assert [task.kind for task in card.open_tasks] == ["callback"]
