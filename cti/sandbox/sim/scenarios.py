"""Named call scenarios: what the people do, and the call record it must produce.

Expected records follow docs' call semantics (one business call = one record); `linkedid` is filled
in from the recording. Agents are named by extension.
"""

from __future__ import annotations

import asyncio

from cti.sandbox.agi_stub import RouteAnswer
from cti.sandbox.sim.conference_flows import CONFERENCE_FLOWS
from cti.sandbox.sim.dialplan_flows import DIALPLAN_FLOWS
from cti.sandbox.sim.originate_flows import ORIGINATE_FLOWS
from cti.sandbox.sim.parking_flows import PARKING_FLOWS
from cti.sandbox.sim.phone_flows import PHONE_FLOWS
from cti.sandbox.sim.phone_transfers import PHONE_TRANSFERS
from cti.sandbox.sim.pickup_flows import PICKUP_FLOWS
from cti.sandbox.sim.queue_callback_flows import QUEUE_CALLBACK_FLOWS
from cti.sandbox.sim.queue_local_flows import QUEUE_LOCAL_FLOWS
from cti.sandbox.sim.scenario_kit import (
    CUSTOMER,
    CUSTOMER_NAME,
    SALES,
    SUPPORT,
    Scenario,
    inbound,
    talk,
)
from cti.sandbox.sim.scenario_kit import customer_calls as _customer_calls
from cti.sandbox.sim.world import World
from cti.sandbox.sip.calls import BUSY, NO_ANSWER, AnswerPlan

__all__ = ["SCENARIOS", "Scenario"]


# --- direct calls to an agent (DID 10XX)


async def direct_answered(world: World) -> None:
    world.phones.plans["1001"] = talk(4)
    await _customer_calls(world, "1001")


async def direct_unanswered(world: World) -> None:
    world.phones.plans["1001"] = NO_ANSWER
    await _customer_calls(world, "1001")


async def direct_busy(world: World) -> None:
    world.phones.plans["1001"] = BUSY
    await _customer_calls(world, "1001")


async def direct_abandoned(world: World) -> None:
    world.phones.plans["1001"] = NO_ANSWER
    await _customer_calls(world, "1001", hang_up_after=5)


# --- queues


async def queue_answered_first_agent(world: World) -> None:
    world.phones.plans["1004"] = talk(4)
    await _customer_calls(world, SUPPORT)


async def queue_ringall_one_answers(world: World) -> None:
    world.phones.plans.update({"1001": NO_ANSWER, "1002": talk(4, 3), "1003": NO_ANSWER})
    await _customer_calls(world, SALES)


async def queue_abandoned(world: World) -> None:
    world.phones.plans.update({ext: NO_ANSWER for ext in ("1001", "1002", "1003")})
    await _customer_calls(world, SALES, hang_up_after=6)


async def queue_timeout_fallback(world: World) -> None:
    world.phones.plans.update({ext: NO_ANSWER for ext in ("1001", "1002", "1003")})
    world.phones.plans["1010"] = talk(3)
    await _customer_calls(world, SALES)


async def agi_route_to_owner(world: World) -> None:
    assert world.agi is not None
    owner = {"CTI_ROUTE_TARGET": "1005", "CTI_ROUTE_RING": "10", "CTI_ROUTE_REASON": "owner"}
    world.agi.answer = RouteAnswer(owner)
    world.phones.plans["1005"] = talk(4)
    await _customer_calls(world, SALES)


async def non_ascii_caller(world: World) -> None:
    world.phones.plans.update({"1001": talk(3), "1002": NO_ANSWER, "1003": NO_ANSWER})
    dialog = await world.carrier.call(SALES, "+420602111222", "José Ščasný")
    await dialog.ended.wait()


# --- agents calling


async def outbound_answered(world: World) -> None:
    world.carrier.plans["0777123456"] = talk(4)
    dialog = await world.phones.dial("1004", "0777123456")
    await dialog.ended.wait()


async def outbound_unanswered(world: World) -> None:
    world.carrier.plans["0777123456"] = NO_ANSWER
    dialog = await world.phones.dial("1004", "0777123456")
    await asyncio.sleep(8)
    await world.phones.hang_up(dialog)


async def internal_call(world: World) -> None:
    world.phones.plans["1002"] = talk(3)
    dialog = await world.phones.dial("1001", "1002")
    await dialog.ended.wait()


# --- transfers (made over AMI, as the bridge's transfer buttons do)


async def blind_transfer(world: World) -> None:
    world.phones.plans.update({"1001": AnswerPlan(answer_after=2), "1002": talk(3)})
    dialog = await world.carrier.call("1001", CUSTOMER, CUSTOMER_NAME)
    await dialog.answered.wait()
    await asyncio.sleep(3)
    await world.blind_transfer("1001", "1002")
    await dialog.ended.wait()


async def attended_transfer(world: World) -> None:
    world.phones.plans.update({"1001": AnswerPlan(answer_after=2), "1002": talk(6)})
    dialog = await world.carrier.call("1001", CUSTOMER, CUSTOMER_NAME)
    await dialog.answered.wait()
    await asyncio.sleep(3)
    await world.attended_transfer("1001", "1002")
    await asyncio.sleep(5)  # 1002 answers after 2 s; they talk, then 1001 hangs up
    await world.agent_hangs_up("1001")
    await dialog.ended.wait()


async def transfer_to_queue(world: World) -> None:
    world.phones.plans.update({"1001": AnswerPlan(answer_after=2), "1004": talk(3)})
    dialog = await world.carrier.call("1001", CUSTOMER, CUSTOMER_NAME)
    await dialog.answered.wait()
    await asyncio.sleep(3)
    await world.blind_transfer("1001", SUPPORT)
    await dialog.ended.wait()


SCENARIOS: dict[str, Scenario] = {
    s.name: s
    for s in [
        Scenario(
            "direct_answered",
            "A customer dials agent 1001's direct number; 1001 answers after 2 s, talks 4 s,"
            " hangs up.",
            direct_answered,
            [
                inbound(
                    callee="1001", agents_rang=["1001"], answered_by="1001", disposition="answered"
                )
            ],
        ),
        Scenario(
            "direct_unanswered",
            "A customer dials 1001's direct number; nobody answers; the PBX gives up after 20 s.",
            direct_unanswered,
            [inbound(callee="1001", agents_rang=["1001"], disposition="missed")],
        ),
        Scenario(
            "direct_busy",
            "A customer dials 1001's direct number; the phone rejects the call (486 Busy Here).",
            direct_busy,
            [inbound(callee="1001", agents_rang=[], disposition="busy")],
        ),
        Scenario(
            "direct_abandoned",
            "A customer dials 1001's direct number and hangs up after 5 s of ringing.",
            direct_abandoned,
            [inbound(callee="1001", agents_rang=["1001"], disposition="abandoned")],
        ),
        Scenario(
            "queue_answered_first_agent",
            "A customer dials support (DID 200, round-robin); the first agent rung, 1004, answers"
            " after 2 s and talks 4 s.",
            queue_answered_first_agent,
            [
                inbound(
                    callee=SUPPORT,
                    queue="support",
                    agents_rang=["1004"],
                    answered_by="1004",
                    disposition="answered",
                )
            ],
        ),
        Scenario(
            "queue_ringall_one_answers",
            "A customer dials sales (DID 100, ring-all 1001-1003); all three ring, 1002"
            " answers after 3 s and talks 4 s.",
            queue_ringall_one_answers,
            [
                inbound(
                    callee=SALES,
                    queue="sales",
                    agents_rang=["1001", "1002", "1003"],
                    answered_by="1002",
                    disposition="answered",
                )
            ],
        ),
        Scenario(
            "queue_abandoned",
            "A customer dials sales; 1001-1003 ring, nobody answers; the customer hangs up"
            " after 6 s.",
            queue_abandoned,
            [
                inbound(
                    callee=SALES,
                    queue="sales",
                    agents_rang=["1001", "1002", "1003"],
                    disposition="abandoned",
                )
            ],
        ),
        Scenario(
            "queue_timeout_fallback",
            "A customer dials sales; nobody in the queue answers within 20 s; the call falls"
            " back to reception (1010), who answers after 2 s and talks 3 s.",
            queue_timeout_fallback,
            [
                inbound(
                    callee=SALES,
                    queue="sales",
                    agents_rang=["1001", "1002", "1003", "1010"],
                    answered_by="1010",
                    disposition="answered",
                )
            ],
        ),
        Scenario(
            "agi_route_to_owner",
            "A customer dials sales; the routing hook (stub FastAGI) names the account owner 1005,"
            " who is rung first and answers after 2 s; the call never reaches the queue.",
            agi_route_to_owner,
            [
                inbound(
                    callee=SALES, agents_rang=["1005"], answered_by="1005", disposition="answered"
                )
            ],
        ),
        Scenario(
            "non_ascii_caller",
            "José Ščasný (+420602111222) dials sales; 1001 answers after 2 s. The caller name is"
            " UTF-8 on the wire.",
            non_ascii_caller,
            [
                inbound(
                    caller="+420602111222",
                    caller_name="José Ščasný",
                    callee=SALES,
                    queue="sales",
                    agents_rang=["1001", "1002", "1003"],
                    answered_by="1001",
                    disposition="answered",
                )
            ],
        ),
        Scenario(
            "outbound_answered",
            "Agent 1004 dials 0777123456 from the phone; the outside party answers after 2 s and"
            " hangs up after 4 s.",
            outbound_answered,
            [
                {
                    "direction": "outbound",
                    "caller": "1004",
                    "callee": "0777123456",
                    "queue": None,
                    "agents_rang": [],
                    "answered_by": None,
                    "disposition": "answered",
                    "transfers": [],
                }
            ],
        ),
        Scenario(
            "outbound_unanswered",
            "Agent 1004 dials 0777123456; it rings 8 s unanswered and the agent hangs up.",
            outbound_unanswered,
            [
                {
                    "direction": "outbound",
                    "caller": "1004",
                    "callee": "0777123456",
                    "queue": None,
                    "agents_rang": [],
                    "answered_by": None,
                    "disposition": "missed",
                    "transfers": [],
                }
            ],
        ),
        Scenario(
            "internal_call",
            "Agent 1001 dials agent 1002; 1002 answers after 2 s, talks 3 s, hangs up.",
            internal_call,
            [
                {
                    "direction": "internal",
                    "caller": "1001",
                    "callee": "1002",
                    "queue": None,
                    "agents_rang": ["1002"],
                    "answered_by": "1002",
                    "disposition": "answered",
                    "transfers": [],
                }
            ],
        ),
        Scenario(
            "blind_transfer",
            "A customer dials 1001 directly; 1001 answers, and after 3 s blind-transfers (AMI"
            " BlindTransfer) to 1002, who answers after 2 s and talks 3 s.",
            blind_transfer,
            [
                inbound(
                    callee="1001",
                    agents_rang=["1001", "1002"],
                    answered_by="1001",
                    disposition="answered",
                    transfers=[{"kind": "blind", "from": "1001", "to": "1002"}],
                )
            ],
        ),
        Scenario(
            "attended_transfer",
            "A customer dials 1001 directly; 1001 answers, after 3 s consults 1002 (AMI Atxfer);"
            " 1002 answers after 2 s, 1001 hangs up 3 s later, completing the transfer; the"
            " customer talks with 1002.",
            attended_transfer,
            [
                inbound(
                    callee="1001",
                    agents_rang=["1001", "1002"],
                    answered_by="1001",
                    disposition="answered",
                    transfers=[{"kind": "attended", "from": "1001", "to": "1002"}],
                )
            ],
        ),
        Scenario(
            "transfer_to_queue",
            "A customer dials 1001 directly; 1001 answers and after 3 s blind-transfers to the"
            " support queue (extension 200); 1004 answers after 2 s and talks 3 s.",
            transfer_to_queue,
            [
                inbound(
                    callee="1001",
                    queue="support",
                    agents_rang=["1001", "1004"],
                    answered_by="1001",
                    disposition="answered",
                    transfers=[{"kind": "blind", "from": "1001", "to": SUPPORT}],
                )
            ],
        ),
        *DIALPLAN_FLOWS,
        *PICKUP_FLOWS,
        # issue 12 part B: flows the PBX and other tools make
        *ORIGINATE_FLOWS,
        *QUEUE_LOCAL_FLOWS,
        *PARKING_FLOWS,
        *CONFERENCE_FLOWS,
        *PHONE_TRANSFERS,
        *PHONE_FLOWS,
        # issue 17: queue call-back
        *QUEUE_CALLBACK_FLOWS,
    ]
}
