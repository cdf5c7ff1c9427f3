"""Click-to-dial made by other tools, the way CRM plug-ins do it: AMI Originate of the agent's
phone (`PJSIP/1001`, or `Local/1001@agents` as most plug-ins and FreePBX modules send it) into
`agents` with the number to call as Exten. No click-to-call API of ours, no channel variables.
The agent's own first leg is never a record: the record is the agent's call to the number."""

from __future__ import annotations

from typing import Any

from cti.sandbox.sim.ami_kit import originate, settle
from cti.sandbox.sim.scenario_kit import Record, Scenario, talk
from cti.sandbox.sim.world import World
from cti.sandbox.sip.calls import BUSY, AnswerPlan

AGENT, COLLEAGUE, NUMBER = "1001", "1002", "0777123456"
LOCAL, DEVICE = f"Local/{AGENT}@agents", f"PJSIP/{AGENT}"
AGENT_ANSWERS = AnswerPlan(answer_after=1)
REFUSES = AnswerPlan(reject=603)


def _outbound(**fields: Any) -> Record:
    record: Record = {
        "direction": "outbound",
        "caller": AGENT,
        "callee": NUMBER,
        "queue": None,
        "agents_rang": [],
        "answered_by": None,
        "transfers": [],
    }
    return record | fields


def _internal(**fields: Any) -> Record:
    return _outbound(direction="internal", callee=COLLEAGUE) | fields


def _dials_number(first_leg: str, number_answers: AnswerPlan) -> Any:
    async def script(world: World) -> None:
        world.phones.plans[AGENT] = AGENT_ANSWERS
        world.carrier.plans[NUMBER] = number_answers
        await originate(world, first_leg, NUMBER)
        await settle(world)

    return script


def _dials_colleague(first_leg: str) -> Any:
    async def script(world: World) -> None:
        world.phones.plans.update({AGENT: AGENT_ANSWERS, COLLEAGUE: talk(3)})
        await originate(world, first_leg, COLLEAGUE)
        await settle(world)

    return script


def _agent_refuses(first_leg: str) -> Any:
    async def script(world: World) -> None:
        world.phones.plans[AGENT] = REFUSES
        world.carrier.plans[NUMBER] = talk(4)
        await originate(world, first_leg, NUMBER)
        await settle(world)

    return script


_HOW = {"local": (LOCAL, "Local/1001@agents"), "pjsip": (DEVICE, "PJSIP/1001")}


def _flows(kind: str) -> list[Scenario]:
    leg, named = _HOW[kind]
    said = f"Another tool Originates {named} into `agents`"
    return [
        Scenario(
            f"click_to_dial_{kind}_outbound",
            f"{said} with Exten {NUMBER}; 1001 answers after 1 s, the number answers after 2 s"
            " and hangs up after 4 s.",
            _dials_number(leg, talk(4)),
            [_outbound(disposition="answered")],
        ),
        Scenario(
            f"click_to_dial_{kind}_internal",
            f"{said} with Exten 1002; 1001 answers after 1 s, 1002 answers after 2 s and hangs"
            " up after 3 s.",
            _dials_colleague(leg),
            [_internal(agents_rang=[COLLEAGUE], answered_by=COLLEAGUE, disposition="answered")],
        ),
        Scenario(
            f"click_to_dial_{kind}_agent_refuses",
            f"{said} with Exten {NUMBER}; 1001's phone refuses the first leg (603): nobody else"
            " is called, so there is no business call and no record.",
            _agent_refuses(leg),
            [],
        ),
        Scenario(
            f"click_to_dial_{kind}_number_busy",
            f"{said} with Exten {NUMBER}; 1001 answers after 1 s, the number is busy (486).",
            _dials_number(leg, BUSY),
            [_outbound(disposition="busy")],
        ),
    ]


ORIGINATE_FLOWS = [*_flows("local"), *_flows("pjsip")]
