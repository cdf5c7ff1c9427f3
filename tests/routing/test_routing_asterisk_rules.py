"""Stored rules acting on real calls through the sandbox: a VIP overtakes a waiting caller in
the queue (QUEUE_PRIO) and is answered first; after hours the call goes to voicemail or hears a
message."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, time, timedelta

import pytest

from crm_core.services import Services
from crm_core.services.dto import Actor, CallFilter, CallOut, CompanyCreate, ContactCreate, PhoneIn
from crm_core.services.routing_dto import AfterHours, BusinessHours, Opening, Priority
from cti.sandbox.settings import SandboxSettings
from cti.sandbox.sim.scenarios import SALES, talk
from cti.sandbox.sim.world import World, open_world
from cti.sandbox.sip.calls import NO_ANSWER
from tests.fixtures.bridge import RunningBridge
from tests.sandbox.helpers import collecting

pytestmark = pytest.mark.asterisk
SYSTEM = Actor.system()
VIP, NORMAL = "+420601000777", "+420601000778"
AGENTS = ("1001", "1002", "1003")  # the members of sales


async def _vip_client(services: Services) -> None:
    company = await services.companies.create(SYSTEM, CompanyCreate(name="Big", tags=["vip"]))
    data = ContactCreate(last_name="Boss", company_id=company.id, phones=[PhoneIn(number=VIP)])
    await services.contacts.create(SYSTEM, data)
    rule = Priority(field="company_tag", value="vip", priority=10, queue="sales", label="VIP")
    await services.routing.create(SYSTEM, rule)


async def _call_of(services: Services, bridge: RunningBridge, caller: str) -> CallOut:
    for _ in range(100):
        await bridge.bridge.pipeline.drain()
        calls = (await services.calls.list(SYSTEM, CallFilter())).items
        ended = [c for c in calls if c.caller == caller and c.ended_at is not None]
        if ended:
            return ended[0]
        await asyncio.sleep(0.2)
    raise AssertionError(f"no finished call record from {caller}")


async def _pause_sales(world: World, paused: bool, *extensions: str) -> None:
    for extension in extensions:
        await world.ami.action("QueuePause", Interface=f"PJSIP/{extension}", Queue="sales",
                               Paused="true" if paused else "false")  # fmt: skip


async def test_a_vip_entering_later_is_answered_first(
    services: Services, routing_bridge: RunningBridge
) -> None:
    await _vip_client(services)
    settings = SandboxSettings.from_env()
    async with (
        open_world(settings, stub_agi=False) as world,
        collecting(settings.account("recorder")) as log,
    ):
        world.phones.plans.update({"1001": talk(1, answer_after=0.5), "1002": NO_ANSWER,
                                   "1003": NO_ANSWER})  # fmt: skip
        await _pause_sales(world, True, *AGENTS)  # callers wait: nobody is rung yet
        try:
            normal = await world.carrier.call(SALES, NORMAL, "Normal Caller")
            first = await log.wait_for("QueueCallerJoin", 10, CallerIDNum=NORMAL)
            await world.carrier.call(SALES, VIP, "Very Important")
            joined = await log.wait_for("QueueCallerJoin", 10, CallerIDNum=VIP)
            await _pause_sales(world, False, "1001")  # one agent free: who gets them?
            answered = await log.wait_for("AgentConnect", 15, Queue="sales")
        finally:
            await _pause_sales(world, False, *AGENTS)
        await world.carrier.hang_up(normal)
        await world.wait_idle(30)
    assert (first["Position"], joined["Position"], joined["Queue"]) == ("1", "1", "sales")
    assert answered["CallerIDNum"] == VIP
    call = await _call_of(services, routing_bridge, VIP)
    vip_reason = "client without owner -> queue sales; VIP -> priority 10 in queue sales"
    assert (call.routing_reason, call.answered_by) == (vip_reason, "1001")
    other = await _call_of(services, routing_bridge, NORMAL)
    assert other.routing_reason == "unknown caller -> queue sales"


def _closed_now(after: AfterHours) -> BusinessHours:
    """Open one hour a day, twelve hours from now: closed at the time of the test."""
    start = (datetime.now(UTC) + timedelta(hours=12)).time().replace(minute=0, second=0)
    end = time(start.hour, 59)
    days = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    weekly = {day: [Opening(start=start, end=end)] for day in days}
    return BusinessHours(queue="sales", weekly=weekly, after_hours=after)


@pytest.mark.parametrize(
    ("after", "application"),
    [
        (AfterHours(action="voicemail", target="100@default"), "VoiceMail"),
        (AfterHours(action="message", target="vm-goodbye"), "Playback"),
    ],
)
async def test_after_hours_the_call_goes_where_the_rule_says(
    services: Services, routing_bridge: RunningBridge, after: AfterHours, application: str
) -> None:
    await services.routing.create(SYSTEM, _closed_now(after))
    settings = SandboxSettings.from_env()
    caller = "+420601000779"
    async with (
        open_world(settings, stub_agi=False) as world,
        collecting(settings.account("recorder")) as log,
    ):
        dialog = await world.carrier.call(SALES, caller, "Late Caller")
        ran = await log.wait_for("Newexten", 10, Context="cti-closed", Application=application)
        await asyncio.wait_for(dialog.answered.wait(), 10)
        await asyncio.sleep(2)
        await world.carrier.hang_up(dialog)
        await world.wait_idle(30)
    assert ran["AppData"] == after.target + (",u" if after.action == "voicemail" else "")
    assert not log.named("QueueCallerJoin")
    call = await _call_of(services, routing_bridge, caller)
    assert call.routing_reason.startswith("after hours, queue sales closed at ")
    assert call.routing_reason.endswith(f"-> {after.action} {after.target}")
    assert (call.queue, call.agents_rang) == ("", [])
