"""Scenarios of other flows the phones make themselves: directed pickup (`**10XX`), a phone's own
call forwarding (SIP 302), call waiting (a second call while on a call), hold and resume."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from cti.sandbox.sim.phone_kit import (
    SECOND_CUSTOMER,
    SECOND_CUSTOMER_NAME,
    customer_answered_by,
    leg_of,
    until_over,
    within,
)
from cti.sandbox.sim.scenario_kit import Scenario, customer_calls, inbound, talk
from cti.sandbox.sim.world import World
from cti.sandbox.sip.calls import NO_ANSWER, AnswerPlan
from cti.sandbox.sip.transfer import hold, resume

FORWARDING_PHONE, FORWARD_TO, FORWARD_MOBILE = "1004", "1005", "0777000104"
FORWARD_OUTSIDE_DID = "330"


async def pickup_directed(world: World) -> None:
    """1004 is in another pickup group than 1001: a directed pickup does not need one."""
    world.phones.plans["1001"] = NO_ANSWER
    await asyncio.gather(customer_calls(world, "1001"), _picks_up(world, "1004", "**1001"))


async def _picks_up(world: World, picker: str, code: str) -> None:
    await asyncio.sleep(3)
    dialog = await world.phones.dial(picker, code)
    await within(dialog.answered)
    await asyncio.sleep(4)
    await world.phones.hang_up(dialog)


async def sip_302_forward(world: World) -> None:
    world.phones.plans.update(
        {FORWARDING_PHONE: AnswerPlan(redirect=FORWARD_TO), FORWARD_TO: talk(4)}
    )
    await customer_calls(world, FORWARDING_PHONE)


async def sip_302_forward_external(world: World) -> None:
    world.phones.plans[FORWARDING_PHONE] = AnswerPlan(redirect=FORWARD_MOBILE)
    world.carrier.plans[FORWARD_MOBILE] = talk(4)
    await customer_calls(world, FORWARD_OUTSIDE_DID)


def _second_call(plan: AnswerPlan) -> Callable[[str], AnswerPlan]:
    """1001's phone: the first call is answered after 2 s; the next one follows `plan`."""
    calls = 0

    def planner(extension: str) -> AnswerPlan:
        nonlocal calls
        calls += 1
        return AnswerPlan(answer_after=2) if calls == 1 else plan

    return planner


async def _call_waiting(world: World, plan: AnswerPlan) -> None:
    world.phones.planner = _second_call(plan)
    first, leg = await customer_answered_by(world, "1001")
    await asyncio.sleep(3)
    second = await world.carrier.call("1001", SECOND_CUSTOMER, SECOND_CUSTOMER_NAME)
    if plan.reject is None:
        waiting = await leg_of(world, "1001", {leg.call_id})
        await asyncio.sleep(1)  # the agent holds the first caller, then answers the second
        await hold(world.phones.ua, leg)
        await until_over(second, waiting)
        await resume(world.phones.ua, leg)
    else:
        await until_over(second)
    await asyncio.sleep(2)
    await world.phones.hang_up(leg)
    await until_over(first)


async def call_waiting_answered(world: World) -> None:
    await _call_waiting(world, talk(3))


async def call_waiting_rejected(world: World) -> None:
    await _call_waiting(world, AnswerPlan(reject=486))


async def hold_and_resume(world: World) -> None:
    customer, leg = await customer_answered_by(world, "1001")
    await asyncio.sleep(2)
    await hold(world.phones.ua, leg)
    await asyncio.sleep(3)
    await resume(world.phones.ua, leg)
    await asyncio.sleep(2)
    await world.phones.hang_up(leg)
    await until_over(customer)


def _second_customer(**fields: object) -> dict[str, object]:
    return inbound(caller=SECOND_CUSTOMER, caller_name=SECOND_CUSTOMER_NAME, **fields)


_ANSWERED_BY_1001 = inbound(
    callee="1001", agents_rang=["1001"], answered_by="1001", disposition="answered"
)

PHONE_FLOWS = [
    Scenario(
        "pickup_directed",
        "A customer dials 1001 directly; while 1001 rings, 1004 (another pickup group) dials"
        " **1001 (directed pickup) after 3 s, picks the call up and talks 4 s.",
        pickup_directed,
        [
            inbound(
                callee="1001",
                agents_rang=["1001"],
                answered_by="1004",
                disposition="answered",
                transfers=[{"kind": "pickup", "from": "1001", "to": "1004"}],
            )
        ],
    ),
    Scenario(
        "sip_302_forward",
        "A customer dials 1004 directly; 1004's phone forwards the call itself (302 Moved"
        " Temporarily, Contact 1005) without ringing; 1005 answers after 2 s and talks 4 s.",
        sip_302_forward,
        [
            inbound(
                callee=FORWARDING_PHONE,
                agents_rang=[FORWARD_TO],
                answered_by=FORWARD_TO,
                disposition="answered",
                transfers=[{"kind": "forward", "from": FORWARDING_PHONE, "to": FORWARD_TO}],
            )
        ],
    ),
    Scenario(
        "sip_302_forward_external",
        "A customer dials DID 330 (agent 1004); the phone forwards the call (302) to the"
        " agent's mobile 0777000104, which the PBX dials through the trunk; it answers after"
        " 2 s and talks 4 s.",
        sip_302_forward_external,
        [
            inbound(
                callee=FORWARD_OUTSIDE_DID,
                agents_rang=[],
                disposition="answered",
                transfers=[{"kind": "forward", "from": FORWARDING_PHONE, "to": FORWARD_MOBILE}],
            )
        ],
    ),
    Scenario(
        "call_waiting_answered",
        "A customer dials 1001, who answers after 2 s; 3 s later a second customer dials 1001;"
        " the phone rings, the agent holds the first caller, answers the second after 2 s,"
        " talks 3 s, hangs up, resumes the first, talks 2 s and hangs up.",
        call_waiting_answered,
        [
            _ANSWERED_BY_1001,
            _second_customer(
                callee="1001", agents_rang=["1001"], answered_by="1001", disposition="answered"
            ),
        ],
    ),
    Scenario(
        "call_waiting_rejected",
        "A customer dials 1001, who answers after 2 s; 3 s later a second customer dials 1001;"
        " the phone, on a call, refuses it at once (486); the agent talks on and hangs up.",
        call_waiting_rejected,
        [_ANSWERED_BY_1001, _second_customer(callee="1001", agents_rang=[], disposition="busy")],
    ),
    Scenario(
        "hold_and_resume",
        "A customer dials 1001, who answers after 2 s; after 2 s the phone holds the customer"
        " (re-INVITE a=sendonly) for 3 s, resumes (sendrecv), talks 2 s and hangs up.",
        hold_and_resume,
        [_ANSWERED_BY_1001],
    ),
]
