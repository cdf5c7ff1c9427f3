"""The `route` script against a real CRM (SQLite and PostgreSQL), its stored rules and the live
agent state."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime

from crm_core.models.enums import Role
from crm_core.services import Services
from crm_core.services.dto import Actor, CompanyCreate, ContactCreate, PhoneIn
from crm_core.services.routing_dto import (
    AfterHours,
    BusinessHours,
    DidQueue,
    OwnerFirst,
    Priority,
    RulePatch,
    RuleSpec,
)
from cti.agents.registry import AgentRegistry
from cti.routing.agi import AgiRequest
from cti.routing.router import RouteHandler
from cti.routing.settings import TelephonySettings
from cti.state.events import AmiEvent
from cti.state.tracker import AgentCalls
from tests.fixtures.db import MakeUser

CLIENT = "+421900123456"
SYSTEM = Actor.system()
NOON = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


class Calls:
    def __init__(self) -> None:
        self.busy: set[str] = set()

    def agent_calls(self, agent: str) -> AgentCalls:
        return AgentCalls((), ("call-1",) if agent in self.busy else ())

    def agents_on_calls(self) -> set[str]:
        return set(self.busy)


def member(queue: str, extension: str, paused: str = "0", reason: str = "") -> AmiEvent:
    headers = {"Queue": queue, "Interface": f"PJSIP/{extension}", "Paused": paused}
    return AmiEvent("QueueMemberAdded", headers | {"PausedReason": reason}, 0.0)


def request(number: str, queue: str = "sales", did: str = "", answer: str = "") -> AgiRequest:
    return AgiRequest({"agi_network_script": "route", "agi_arg_1": queue, "agi_arg_2": number,
                       "agi_arg_3": did, "agi_arg_4": answer})  # fmt: skip


async def _client(services: Services, make_user: MakeUser, tags: list[str] | None = None) -> None:
    owner, _ = await make_user(Role.AGENT, extensions=["1002"])
    company = await services.companies.create(SYSTEM, CompanyCreate(name="Acme", tags=tags or []))
    data = ContactCreate(last_name="Client", owner_id=owner.id, company_id=company.id,
                         phones=[PhoneIn(number=CLIENT)])  # fmt: skip
    await services.contacts.create(SYSTEM, data)


# These tests are about what the lookup finds: a loaded CI machine must not turn a found card
# into "CRM lookup too slow" (the budget itself is tested below with 0.05 s).
UNHURRIED = TelephonySettings(route_lookup_budget=10.0)


def _handler(services: Services, calls: Calls, agents: AgentRegistry) -> RouteHandler:
    return RouteHandler(UNHURRIED, services, calls, agents, clock=lambda: NOON)


async def _replace(services: Services, kind: str, spec: RuleSpec) -> None:
    await services.routing.ensure_defaults()
    rule = next(r for r in await services.routing.list(SYSTEM) if r.rule.kind == kind)
    await services.routing.replace(SYSTEM, rule.id, spec)


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
    assert (await route(request(CLIENT)))["CTI_ROUTE_RING"] == "15"
    await _replace(services, "owner_first", OwnerFirst(ring_seconds=12))  # seen at once
    assert (await route(request(CLIENT)))["CTI_ROUTE_RING"] == "12"
    calls.busy.add("1002")
    assert (await route(request(CLIENT)))["CTI_ROUTE_REASON"].endswith("busy -> queue sales")
    calls.busy.clear()
    agents.apply(member("support", "1002", paused="1", reason="lunch"))
    assert "paused (lunch)" in (await route(request(CLIENT)))["CTI_ROUTE_REASON"]


async def test_unknown_caller_and_missing_number(services: Services) -> None:
    route = _handler(services, Calls(), AgentRegistry())
    unknown = {"CTI_ROUTE_QUEUE": "support", "CTI_ROUTE_REASON": "unknown caller -> queue support"}
    assert await route(request("+421900999999", "support")) == unknown
    assert await route(request("", "support")) == unknown


async def test_the_dialplan_asking_for_it_gets_one_packed_variable(
    services: Services, make_user: MakeUser
) -> None:
    await _client(services, make_user)
    agents = AgentRegistry()
    agents.apply(member("sales", "1002"))
    route = _handler(services, Calls(), agents)
    owner = await route(request(CLIENT, answer="packed"))
    reason = (await route(request(CLIENT)))["CTI_ROUTE_REASON"]
    assert reason.endswith("free -> ring 1002 for 15 s, then queue sales")
    assert owner == {"CTI_ROUTE": f"sales|1002|15||||{reason}"}
    unknown = await route(request("+421900999999", "support", answer="packed"))
    assert unknown == {"CTI_ROUTE": "support||||||unknown caller -> queue support"}


async def test_a_slow_crm_sends_the_call_to_the_queue(services: Services) -> None:
    route = _handler(services, Calls(), AgentRegistry())
    route.settings = TelephonySettings(route_lookup_budget=0.05)

    async def slow(_: object) -> None:
        await asyncio.sleep(1)

    route.caller_info = slow  # type: ignore[assignment,method-assign]
    assert (await route(request(CLIENT)))["CTI_ROUTE_REASON"] == (
        "CRM lookup too slow -> queue sales"
    )


async def test_owner_first_switched_off(services: Services) -> None:
    route = _handler(services, Calls(), AgentRegistry())
    await services.routing.ensure_defaults()
    owner_first = (await services.routing.list(SYSTEM))[0]
    await services.routing.patch(SYSTEM, owner_first.id, RulePatch(enabled=False))
    reason = (await route(request(CLIENT)))["CTI_ROUTE_REASON"]
    assert reason == "owner-first routing off -> queue sales"


async def test_a_did_rule_picks_the_queue(services: Services) -> None:
    route = _handler(services, Calls(), AgentRegistry())
    assert (await route(request("", "sales", did="100")))["CTI_ROUTE_QUEUE"] == "sales"
    await _replace(services, "did_queue", DidQueue(did="100", queue="support"))
    answer = await route(request("", "sales", did="100"))
    assert answer["CTI_ROUTE_QUEUE"] == "support"
    assert answer["CTI_ROUTE_REASON"] == "unknown caller -> queue support"


async def test_a_vip_waits_with_priority(services: Services, make_user: MakeUser) -> None:
    await _client(services, make_user, tags=["VIP"])
    route = _handler(services, Calls(), AgentRegistry())
    vip = Priority(field="company_tag", value="vip", priority=10, queue="sales", label="VIP")
    await services.routing.create(SYSTEM, vip)
    answer = await route(request(CLIENT))
    assert answer["CTI_ROUTE_PRIO"] == "10"
    assert answer["CTI_ROUTE_REASON"].endswith("; VIP -> priority 10 in queue sales")
    assert "CTI_ROUTE_PRIO" not in await route(request(CLIENT, "support"))


async def test_after_hours_before_anything_else(services: Services, make_user: MakeUser) -> None:
    await _client(services, make_user, tags=["VIP"])
    route = _handler(services, Calls(), AgentRegistry())
    voicemail = AfterHours(action="voicemail", target="100@default")
    closed = BusinessHours(queue="sales", closed_dates=[date(2026, 11, 30)], after_hours=voicemail)
    await services.routing.create(SYSTEM, closed)
    assert await route(request(CLIENT)) == {
        "CTI_ROUTE_QUEUE": "sales",
        "CTI_ROUTE_REASON": "after hours, queue sales closed on 2026-11-30 -> voicemail "
        "100@default",
        "CTI_ROUTE_AFTER": "voicemail",
        "CTI_ROUTE_DEST": "100@default",
    }
    assert "CTI_ROUTE_AFTER" not in await route(request(CLIENT, "support"))
