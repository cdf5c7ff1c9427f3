"""Scenarios of transfers made by the phone itself over SIP (REFER, not AMI): blind, attended
(a consultation call, then REFER with Replaces), blonde (REFER with Replaces while the target
still rings), each also refused or unanswered by the target; to an outside number; to voicemail.

Agent 1001 takes a customer's direct call; 1002 is the target. A phone holds the customer
(re-INVITE, a=sendonly) before it places the consultation call, as desk phones do.
"""

from __future__ import annotations

import asyncio
from typing import Any

from cti.sandbox.sim.phone_kit import customer_answered_by, until_over, within
from cti.sandbox.sim.scenario_kit import Record, Scenario, inbound, talk
from cti.sandbox.sim.world import World
from cti.sandbox.sip.calls import NO_ANSWER, AnswerPlan
from cti.sandbox.sip.dialog import Dialog
from cti.sandbox.sip.transfer import hold, refer, resume

AGENT, TARGET = "1001", "1002"
MOBILE, VOICEMAIL = "0777000200", "*1002"
TALK_BEFORE, CONSULT_TALK, RING_BEFORE_REFER = 3.0, 3.0, 2.0
REFUSED_AFTER_RINGING = AnswerPlan(answer_after=4, reject=603, ring_first=True)


async def _blind(world: World, number: str) -> None:
    customer, leg = await customer_answered_by(world, AGENT)
    await asyncio.sleep(TALK_BEFORE)
    await refer(world.phones.ua, leg, number)
    await until_over(customer)


async def refer_blind_transfer(world: World) -> None:
    world.phones.plans[TARGET] = talk(3)
    await _blind(world, TARGET)


async def refer_blind_transfer_busy(world: World) -> None:
    world.phones.plans[TARGET] = AnswerPlan(reject=486)
    await _blind(world, TARGET)


async def refer_blind_transfer_unanswered(world: World) -> None:
    world.phones.plans[TARGET] = NO_ANSWER
    await _blind(world, TARGET)


async def refer_transfer_external(world: World) -> None:
    world.carrier.plans[MOBILE] = talk(4)
    await _blind(world, MOBILE)


async def refer_transfer_to_voicemail(world: World) -> None:
    customer, leg = await customer_answered_by(world, AGENT)
    await asyncio.sleep(TALK_BEFORE)
    await refer(world.phones.ua, leg, VOICEMAIL)
    await asyncio.sleep(6)  # the greeting, the beep, a short message
    await world.carrier.hang_up(customer)
    await until_over(customer)


async def _consult(world: World, leg: Dialog) -> Dialog:
    """Hold the customer and call the target on the phone's second line."""
    await hold(world.phones.ua, leg)
    return await world.phones.dial(AGENT, TARGET)


async def refer_attended_transfer(world: World) -> None:
    world.phones.plans[TARGET] = AnswerPlan(answer_after=2, talk=CONSULT_TALK + 4)
    customer, leg = await customer_answered_by(world, AGENT)
    await asyncio.sleep(TALK_BEFORE)
    consultation = await _consult(world, leg)
    await within(consultation.answered)
    await asyncio.sleep(CONSULT_TALK)
    await refer(world.phones.ua, leg, TARGET, consultation)
    await until_over(customer, consultation)


async def _consult_fails(world: World, give_up_after: float | None) -> None:
    """The consultation call fails; the agent resumes the customer, talks, hangs up."""
    customer, leg = await customer_answered_by(world, AGENT)
    await asyncio.sleep(TALK_BEFORE)
    consultation = await _consult(world, leg)
    if give_up_after is not None:
        await asyncio.sleep(give_up_after)
        await world.phones.hang_up(consultation)
    await within(consultation.ended)
    await resume(world.phones.ua, leg)
    await asyncio.sleep(3)
    await world.phones.hang_up(leg)
    await until_over(customer)


async def refer_attended_consult_busy(world: World) -> None:
    world.phones.plans[TARGET] = AnswerPlan(reject=486)
    await _consult_fails(world, give_up_after=None)


async def refer_attended_consult_unanswered(world: World) -> None:
    world.phones.plans[TARGET] = NO_ANSWER
    await _consult_fails(world, give_up_after=6)


async def _blonde(world: World) -> None:
    customer, leg = await customer_answered_by(world, AGENT)
    await asyncio.sleep(TALK_BEFORE)
    consultation = await _consult(world, leg)
    await within(consultation.ringing)
    await asyncio.sleep(RING_BEFORE_REFER)
    await refer(world.phones.ua, leg, TARGET, consultation)
    await until_over(customer, consultation)


async def refer_blonde_transfer(world: World) -> None:
    world.phones.plans[TARGET] = talk(4, answer_after=5)
    await _blonde(world)


async def refer_blonde_transfer_refused(world: World) -> None:
    world.phones.plans[TARGET] = REFUSED_AFTER_RINGING
    await _blonde(world)


async def refer_blonde_transfer_unanswered(world: World) -> None:
    world.phones.plans[TARGET] = NO_ANSWER
    await _blonde(world)


def _customer_record(agents_rang: list[str], kind: str | None, to: str = TARGET) -> Record:
    transfers = [] if kind is None else [{"kind": kind, "from": AGENT, "to": to}]
    return inbound(
        callee=AGENT,
        agents_rang=agents_rang,
        answered_by=AGENT,
        disposition="answered",
        transfers=transfers,
    )


def _consultation(agents_rang: list[str], answered: bool, disposition: str) -> Record:
    record: dict[str, Any] = {
        "direction": "internal",
        "caller": AGENT,
        "callee": TARGET,
        "queue": None,
        "agents_rang": agents_rang,
        "answered_by": TARGET if answered else None,
        "disposition": disposition,
        "transfers": [],
    }
    return record


PHONE_TRANSFERS = [
    Scenario(
        "refer_blind_transfer",
        "A customer dials 1001; 1001 answers after 2 s and after 3 s its phone blind-transfers"
        " (SIP REFER to 1002); 1002 answers after 2 s and talks 3 s.",
        refer_blind_transfer,
        [_customer_record([AGENT, TARGET], "blind")],
    ),
    Scenario(
        "refer_blind_transfer_busy",
        "As refer_blind_transfer, but 1002's phone refuses the transferred call at once (486);"
        " the PBX then hangs the customer up (busy).",
        refer_blind_transfer_busy,
        [_customer_record([AGENT], "blind")],
    ),
    Scenario(
        "refer_blind_transfer_unanswered",
        "As refer_blind_transfer, but 1002 rings 20 s unanswered; the PBX then hangs the"
        " customer up.",
        refer_blind_transfer_unanswered,
        [_customer_record([AGENT, TARGET], "blind")],
    ),
    Scenario(
        "refer_attended_transfer",
        "A customer dials 1001; 1001 answers, after 3 s holds the customer and calls 1002, who"
        " answers after 2 s; after 3 s 1001's phone transfers (REFER with Replaces); the"
        " customer talks with 1002 until 1002 hangs up.",
        refer_attended_transfer,
        [_customer_record([AGENT], "attended"), _consultation([TARGET], True, "answered")],
    ),
    Scenario(
        "refer_attended_consult_busy",
        "A customer dials 1001; 1001 answers, holds the customer and calls 1002, whose phone"
        " refuses (486); 1001 resumes the customer, talks 3 s and hangs up. No transfer.",
        refer_attended_consult_busy,
        [_customer_record([AGENT], None), _consultation([], False, "busy")],
    ),
    Scenario(
        "refer_attended_consult_unanswered",
        "A customer dials 1001; 1001 answers, holds the customer and calls 1002, which rings"
        " 6 s unanswered; 1001 gives up, resumes the customer, talks 3 s, hangs up.",
        refer_attended_consult_unanswered,
        [_customer_record([AGENT], None), _consultation([TARGET], False, "missed")],
    ),
    Scenario(
        "refer_blonde_transfer",
        "A customer dials 1001; 1001 answers, holds the customer and calls 1002; 2 s into the"
        " ringing 1001's phone transfers (REFER with Replaces) and leaves; 1002 answers 5 s"
        " after it began ringing and talks 4 s with the customer.",
        refer_blonde_transfer,
        [_customer_record([AGENT, TARGET], "blonde"), _consultation([TARGET], False, "missed")],
    ),
    Scenario(
        "refer_blonde_transfer_refused",
        "As refer_blonde_transfer, but 1002 declines (603) after ringing 4 s; the PBX hangs the"
        " customer up.",
        refer_blonde_transfer_refused,
        [_customer_record([AGENT, TARGET], "blonde"), _consultation([TARGET], False, "missed")],
    ),
    Scenario(
        "refer_blonde_transfer_unanswered",
        "As refer_blonde_transfer, but 1002 never answers; the PBX gives up after 20 s and hangs"
        " the customer up.",
        refer_blonde_transfer_unanswered,
        [_customer_record([AGENT, TARGET], "blonde"), _consultation([TARGET], False, "missed")],
    ),
    Scenario(
        "refer_transfer_external",
        "A customer dials 1001; 1001 answers and after 3 s blind-transfers (REFER) the customer"
        " to a mobile, 0777000200, through the trunk; the mobile answers after 2 s, talks 4 s.",
        refer_transfer_external,
        [_customer_record([AGENT], "blind", MOBILE)],
    ),
    Scenario(
        "refer_transfer_to_voicemail",
        "A customer dials 1001; 1001 answers and after 3 s transfers (REFER) the customer to"
        " 1002's voicemail (*1002); the customer leaves a message and hangs up after 6 s.",
        refer_transfer_to_voicemail,
        [_customer_record([AGENT], "blind", VOICEMAIL)],
    ),
]
