"""The `route` script against a real CRM (SQLite and PostgreSQL) and the live agent state."""

from __future__ import annotations

import asyncio

from crm_core.models.enums import Role
from crm_core.services import Services
from crm_core.services.dto import Actor, ContactCreate, PhoneIn
from cti.agents.registry import AgentRegistry
from cti.routing.agi import AgiRequest
from cti.routing.router import RouteHandler
from cti.routing.settings import TelephonySettings
from cti.state.events import AmiEvent
from cti.state.tracker import AgentCalls
from tests.fixtures.db import MakeUser

CLIENT = "+421900123456"


class Calls:
    def __init__(self) -> None:
        self.busy: set[str] = set()

    def agent_calls(self, agent: str) -> AgentCalls:
        return AgentCalls((), ("call-1",) if agent in self.busy else ())


def member(queue: str, extension: str, paused: str = "0", reason: str = "") -> AmiEvent:
    headers = {"Queue": queue, "Interface": f"PJSIP/{extension}", "Paused": paused}
    return AmiEvent("QueueMemberAdded", headers | {"PausedReason": reason}, 0.0)


def request(number: str, queue: str = "sales") -> AgiRequest:
    return AgiRequest({"agi_network_script": "route", "agi_arg_1": queue, "agi_arg_2": number})


async def _client(services: Services, make_user: MakeUser) -> None:
    owner, _ = await make_user(Role.AGENT, extensions=["1002"])
    data = ContactCreate(last_name="Client", owner_id=owner.id, phones=[PhoneIn(number=CLIENT)])
    await services.contacts.create(Actor.system(), data)


def _handler(services: Services, calls: Calls, agents: AgentRegistry) -> RouteHandler:
    return RouteHandler(TelephonySettings(route_ring_seconds=12), services, calls, agents)


async def test_owner_free_busy_paused_and_logged_out(
    services: Services, make_user: MakeUser
) -> None:
    await _client(services, make_user)
    calls, agents = Calls(), AgentRegistry()
    route = _handler(services, calls, agents)
    first = await route(request(CLIENT))
    assert first["CTI_ROUTE_REASON"].endswith("not logged in -> queue sales")
    agents.apply(member("support", "1002"))
    assert (await route(request(CLIENT)))["CTI_ROUTE_TARGET"] == "1002"
    assert (await route(request(CLIENT)))["CTI_ROUTE_RING"] == "12"
    calls.busy.add("1002")
    assert (await route(request(CLIENT)))["CTI_ROUTE_REASON"].endswith("busy -> queue sales")
    calls.busy.clear()
    agents.apply(member("support", "1002", paused="1", reason="lunch"))
    assert "paused (lunch)" in (await route(request(CLIENT)))["CTI_ROUTE_REASON"]


async def test_unknown_caller_and_missing_number(services: Services) -> None:
    route = _handler(services, Calls(), AgentRegistry())
    unknown = {"CTI_ROUTE_REASON": "unknown caller -> queue support"}
    assert await route(request("+421900999999", "support")) == unknown
    assert await route(request("", "support")) == unknown


async def test_a_slow_crm_sends_the_call_to_the_queue(services: Services) -> None:
    route = _handler(services, Calls(), AgentRegistry())
    route.settings = TelephonySettings(route_lookup_budget=0.05)

    async def slow(_: object) -> None:
        await asyncio.sleep(1)

    route.caller_info = slow  # type: ignore[assignment,method-assign]
    assert await route(request(CLIENT)) == {
        "CTI_ROUTE_REASON": "CRM lookup too slow -> queue sales"
    }


async def test_owner_first_off(services: Services) -> None:
    route = RouteHandler(
        TelephonySettings(route_owner_first=False), services, Calls(), AgentRegistry()
    )
    reason = (await route(request(CLIENT)))["CTI_ROUTE_REASON"]
    assert reason == "owner-first routing off -> queue sales"
