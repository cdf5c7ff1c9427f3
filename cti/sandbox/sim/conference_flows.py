"""A ConfBridge conference (extensions.conf [conference], rooms 801-809): an agent on a call adds
a third party, the way CTI tools do it over AMI: Redirect of the caller and the agent into a room,
then Originate of the third party (a supervisor's phone, or an outside number through
Local/NUMBER@outbound) into the same room. The record shows it in `transfers`
(`conference`: from the agent to the party added); the added party's own leg is no record."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from cti.sandbox.sim.ami_kit import channel_with_prefix, originate, wait_for
from cti.sandbox.sim.scenario_kit import CUSTOMER, CUSTOMER_NAME, Scenario, inbound, talk
from cti.sandbox.sim.world import World
from cti.sandbox.sip.calls import AnswerPlan

AGENT, SUPERVISOR, MOBILE, ROOM = "1001", "1009", "0777000900", "801"
TALK_BEFORE, IN_CONFERENCE = 3.0, 8.0


async def _into_room(world: World) -> None:
    caller = await channel_with_prefix(world, "PJSIP/trunk-")
    agent = await world.agent_channel(AGENT)
    await world.ami.action(
        "Redirect",
        Channel=caller,
        ExtraChannel=agent,
        Context="conference",
        Exten=ROOM,
        Priority="1",
        ExtraContext="conference",
        ExtraExten=ROOM,
        ExtraPriority="1",
    )


def _adds(third_party: str) -> Callable[[World], Awaitable[None]]:
    async def script(world: World) -> None:
        world.phones.plans.update({AGENT: AnswerPlan(answer_after=2), SUPERVISOR: talk(6)})
        world.carrier.plans[MOBILE] = talk(6)
        dialog = await world.carrier.call(AGENT, CUSTOMER, CUSTOMER_NAME)
        await wait_for(dialog.answered, 15)
        await asyncio.sleep(TALK_BEFORE)
        await _into_room(world)
        await asyncio.sleep(1)
        await originate(world, third_party, ROOM, context="conference")
        await asyncio.sleep(IN_CONFERENCE)  # the third party answers after 2 s, talks 6 s
        await world.carrier.hang_up(dialog)
        await asyncio.sleep(1)
        await world.agent_hangs_up(AGENT)

    return script


def _record(added: str) -> list[dict[str, object]]:
    return [
        inbound(
            callee=AGENT,
            agents_rang=[AGENT],
            answered_by=AGENT,
            disposition="answered",
            transfers=[{"kind": "conference", "from": AGENT, "to": added}],
        )
    ]


CONFERENCE_FLOWS = [
    Scenario(
        "conference_supervisor",
        "A customer dials 1001 directly; 1001 answers, after 3 s both are moved into conference"
        " room 801 (AMI Redirect) and supervisor 1009's phone is brought in (AMI Originate);"
        " 1009 answers after 2 s, the three talk, 1009 leaves after 6 s, the customer hangs up.",
        _adds(f"PJSIP/{SUPERVISOR}"),
        _record(SUPERVISOR),
    ),
    Scenario(
        "conference_external",
        "A customer dials 1001 directly; 1001 answers, after 3 s both are moved into conference"
        f" room 801 and the outside number {MOBILE} is brought in (AMI Originate of"
        f" Local/{MOBILE}@outbound); it answers after 2 s, talks 6 s, the customer hangs up.",
        _adds(f"Local/{MOBILE}@outbound"),
        _record(MOBILE),
    ),
]
