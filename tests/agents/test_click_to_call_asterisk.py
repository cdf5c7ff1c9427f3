"""Click-to-call against the sandbox: the agent's phone rings first showing the client's name, then
the client; the call lands on the card as outbound and closes the open call-back."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from crm_core.models.enums import Role, TaskKind
from crm_core.services import Services
from crm_core.services.dto import Actor, CallFilter, ContactCreate, PhoneIn, TaskCreate
from cti.sandbox.settings import SandboxSettings
from cti.sandbox.sim.scenarios import talk
from cti.sandbox.sim.world import open_world
from tests.fixtures.bridge import RunningBridge
from tests.fixtures.db import MakeUser

pytestmark = pytest.mark.asterisk
SYSTEM = Actor.system()
CLIENT = "+420777123456"


async def _agent_api(
    bridge: RunningBridge, services: Services, make_user: MakeUser, extensions: list[str]
) -> tuple[httpx.AsyncClient, int]:
    user, password = await make_user(Role.AGENT, extensions=extensions)
    token = (await services.users.login(user.login, password)).access_token
    api = httpx.AsyncClient(
        base_url=bridge.url, headers={"Authorization": f"Bearer {token}"}, timeout=10
    )
    return api, user.id


async def test_click_to_call_rings_the_agent_then_the_client_and_lands_on_the_card(
    running_bridge: RunningBridge, services: Services, make_user: MakeUser
) -> None:
    api, agent_id = await _agent_api(running_bridge, services, make_user, ["1008"])
    contact = await services.contacts.create(
        SYSTEM,
        ContactCreate(first_name="Eva", last_name="Malá", owner_id=agent_id,
                      phones=[PhoneIn(number=CLIENT)]),
    )  # fmt: skip
    await services.tasks.create(
        SYSTEM,
        TaskCreate(kind=TaskKind.CALLBACK, subject="Call Eva back", assignee_id=agent_id,
                   contact_id=contact.id),
    )  # fmt: skip
    async with open_world(SandboxSettings.from_env(), stub_agi=False) as world, api:
        world.phones.plans["1008"] = talk(3, answer_after=1)
        world.carrier.plans[CLIENT] = talk(3, answer_after=1)
        response = await api.post("/api/agents/me/calls", json={"number": "00420 777 123 456"})
        assert response.status_code == 202, response.text
        assert response.json() == {
            "extension": "1008", "number": CLIENT, "display_name": "Eva Malá",
        }  # fmt: skip
        busy = await api.post("/api/agents/me/calls", json={"number": CLIENT})
        assert busy.status_code == 409, "a second call while the phone rings is refused"
        await world.wait_idle(timeout=40)

    async def stored() -> list[object]:
        page = await services.calls.list(SYSTEM, CallFilter(contact_id=contact.id))
        return list(page.items)

    for _ in range(50):
        if await stored():
            break
        await asyncio.sleep(0.2)
    await running_bridge.bridge.pipeline.drain()
    calls = (await services.calls.list(SYSTEM, CallFilter(contact_id=contact.id))).items
    assert [(c.direction, c.disposition, c.caller) for c in calls] == [
        ("outbound", "answered", "1008")
    ]
    card = await services.cards.lookup(CLIENT)
    assert card is not None
    assert card.open_tasks == []


@pytest.mark.parametrize(
    ("extensions", "number", "status", "words"),
    [
        (["1008"], "12", 422, "not a dialable"),
        (["1008"], "anonymous", 422, "not a dialable"),
        ([], "+420777123456", 409, "no phone extension"),
        (["1099"], "+420777123456", 409, "offline"),
    ],
)
async def test_click_to_call_refuses_what_cannot_ring(
    running_bridge: RunningBridge, services: Services, make_user: MakeUser,
    extensions: list[str], number: str, status: int, words: str,
) -> None:  # fmt: skip
    api, _ = await _agent_api(running_bridge, services, make_user, extensions)
    async with api:
        response = await api.post("/api/agents/me/calls", json={"number": number})
    assert response.status_code == status, response.text
    assert words in response.text
