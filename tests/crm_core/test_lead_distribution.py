"""Lead rules give new leads an owner, on SQLite and PostgreSQL: round-robin in a queue (members
and their pauses as the bridge recorded them) or a team, by DID / country / prefix / language,
with a daily cap; from a call (one by one and batched), an import and the API; a replayed call
assigns nothing twice; leads made at once never share a turn."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from itertools import count
from pathlib import Path

import pytest
from sqlalchemy import func, select

from crm_core.importing import import_contacts_csv
from crm_core.models import Contact, LeadAssignment, Task
from crm_core.models.enums import Direction, Disposition, Role
from crm_core.services import Services
from crm_core.services.call_followup import FollowUpRules
from crm_core.services.dto import Actor, CallRecord, ContactCreate, PhoneIn, UserOut
from crm_core.services.dto.agent_events import AgentEventIn, AgentEventKind
from crm_core.services.lead_rules import lead_rules_of
from crm_core.services.lead_rules_dto import LeadRuleSpec
from tests.fixtures.db import MakeUser

SYSTEM = Actor.system("cti")
NOW = datetime.now(UTC)
_linkedids = count(1)
_numbers = count(100)


def _number() -> str:
    return f"+42190{next(_numbers):07d}"


def _call(caller: str, callee: str = "100", disposition: Disposition = Disposition.MISSED,
          ) -> CallRecord:  # fmt: skip
    return CallRecord.model_validate({
        "linkedid": f"1764234000.{next(_linkedids)}", "direction": Direction.INBOUND,
        "caller": caller, "callee": callee, "queue": "sales", "started_at": NOW,
        "ended_at": NOW + timedelta(seconds=30), "disposition": disposition,
    })  # fmt: skip


async def _reps(services: Services, make_user: MakeUser, *names: str) -> list[UserOut]:
    reps = []
    for i, name in enumerate(names, start=1):
        user, _ = await make_user(Role.AGENT, login=name.lower(), extensions=[f"10{i:02d}"])
        reps.append(user)
    return reps


async def _in_queue(services: Services, queue: str, *states: tuple[UserOut, str]) -> None:
    events = []
    for i, (user, state) in enumerate(states):
        ext, at = user.extensions[0], NOW - timedelta(minutes=10 - i)
        events.append(AgentEventIn(extension=ext, queue=queue, kind=AgentEventKind.LOGIN, at=at))
        if state != "ready":
            kind = AgentEventKind.PAUSE if state == "paused" else AgentEventKind.LOGOUT
            later = at + timedelta(seconds=30)
            events.append(AgentEventIn(extension=ext, queue=queue, kind=kind, at=later))
    await services.agent_events.record_many(events)


async def _rule(services: Services, **fields: object) -> int:
    spec = LeadRuleSpec.model_validate({"name": "Sales round-robin"} | fields)
    return (await lead_rules_of(services).create(SYSTEM, spec)).id


async def _owners(services: Services) -> list[tuple[int | None, str]]:
    async with services.sessions() as session:
        rows = await session.execute(
            select(Contact.owner_id, Contact.assignment_reason).order_by(Contact.id)
        )
        return [(owner, reason) for owner, reason in rows]


async def _lead(services: Services, number: str | None = None, **fields: object) -> int:
    data = ContactCreate.model_validate(
        {"last_name": "Lead", "phones": [{"number": number or _number()}]} | fields
    )
    return (await services.contacts.create(SYSTEM, data)).id


async def test_round_robin_in_a_queue_skips_the_paused_and_says_why(
    services: Services, make_user: MakeUser
) -> None:
    eva, petr, jana = await _reps(services, make_user, "Eva", "Petr", "Jana")
    await _in_queue(services, "sales", (eva, "ready"), (petr, "paused"), (jana, "ready"))
    await _rule(services, pool={"kind": "queue", "queue": "sales"}, daily_cap=5)
    for _ in range(4):
        await _lead(services)
    owners = await _owners(services)
    assert [owner for owner, _ in owners] == [eva.id, jana.id, eva.id, jana.id]
    assert owners[3][1] == (
        "assigned to jana by rule 'Sales round-robin': round-robin in queue sales, 2nd of 5 today;"
        " skipped petr (paused)"
    )
    assert owners[0][1].endswith("1st of 5 today")


async def test_the_daily_cap_passes_the_turn_on_then_nobody_is_left(
    services: Services, make_user: MakeUser
) -> None:
    eva, petr = await _reps(services, make_user, "Eva", "Petr")
    await _rule(services, pool={"kind": "team", "members": ["eva", "petr"]}, daily_cap=1,
                skip_away=False)  # fmt: skip
    creator, _ = await make_user(Role.SUPERVISOR, login="boss")
    for _ in range(3):
        data = ContactCreate(last_name="Lead", phones=[PhoneIn(number=_number())])
        await services.contacts.create(Actor(id=creator.id, login="boss", role=Role.SUPERVISOR),
                                       data)  # fmt: skip
    owners = await _owners(services)
    assert [owner for owner, _ in owners] == [eva.id, petr.id, creator.id]
    assert "round-robin among 2 reps, 1st of 1 today" in owners[1][1]
    assert owners[2][1] == (
        "left with its creator: rule 'Sales round-robin': nobody available"
        " (eva (at cap 1), petr (at cap 1))"
    )


async def test_did_country_prefix_and_language_choose_the_rule(
    services: Services, make_user: MakeUser
) -> None:
    eva, petr, jana, ivan = await _reps(services, make_user, "Eva", "Petr", "Jana", "Ivan")
    team = {"skip_away": False}
    await _rule(services, name="Czech", when={"countries": ["CZ"]},
                pool={"kind": "team", "members": ["petr"]}, **team)  # fmt: skip
    await _rule(services, name="Bratislava", when={"prefixes": ["+4212"]},
                pool={"kind": "team", "members": ["jana"]}, **team)  # fmt: skip
    await _rule(services, name="Hungarian", when={"languages": ["hu"]},
                pool={"kind": "team", "members": ["ivan"]}, **team)  # fmt: skip
    await _rule(services, name="Line 200", when={"dids": ["200"], "sources": ["call"]},
                pool={"kind": "team", "members": ["eva"]}, **team)  # fmt: skip
    services.calls.add_hook(FollowUpRules(lead_policy="always"))
    await _lead(services, "+420 601 123 456")  # Czech mobile
    await _lead(services, "02 5443 1234")  # Bratislava fixed line
    await _lead(services, "+421 905 111 222", language="hu")
    await services.calls.register(SYSTEM, _call("+421905333444", callee="200"))
    await _lead(services, "+43 664 1234567")  # Austrian: no rule
    owners = await _owners(services)
    assert [owner for owner, _ in owners[:4]] == [petr.id, jana.id, ivan.id, eva.id]
    assert "by rule 'Line 200'" in owners[3][1]
    assert owners[4] == (
        None,
        "not assigned: no lead rule matches (source api, country AT, language de)",
    )


async def test_a_call_lead_is_assigned_once_its_callback_goes_to_the_rep_and_a_replay_is_a_noop(
    services: Services, make_user: MakeUser
) -> None:
    eva, petr = await _reps(services, make_user, "Eva", "Petr")
    await _in_queue(services, "sales", (eva, "ready"), (petr, "ready"))
    await _rule(services, pool={"kind": "queue", "queue": "sales"})
    services.calls.add_hook(FollowUpRules(lead_policy="always"))
    call = _call("+421905777888")
    await services.calls.register(SYSTEM, call)
    await services.calls.register(SYSTEM, call)  # the same event again
    await services.calls.register_many(SYSTEM, [call])
    owners = await _owners(services)
    assert owners == [(eva.id, "assigned to eva by rule 'Sales round-robin': "
                               "round-robin in queue sales, 1st today")]  # fmt: skip
    async with services.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(LeadAssignment)) == 1
        callbacks = list(await session.scalars(select(Task.assignee_id)))
    assert callbacks == [eva.id]  # the missed caller's call-back goes to the lead's new owner


async def test_a_batch_of_calls_hands_its_leads_out_in_turn(
    services: Services, make_user: MakeUser
) -> None:
    eva, petr, jana = await _reps(services, make_user, "Eva", "Petr", "Jana")
    await _in_queue(services, "sales", (eva, "ready"), (petr, "ready"), (jana, "logged out"))
    await _rule(services, pool={"kind": "queue", "queue": "sales"})
    services.calls.add_hook(FollowUpRules(lead_policy="always"))
    calls = [_call(_number()) for _ in range(3)]
    await services.calls.register_many(SYSTEM, calls)
    await services.calls.register_many(SYSTEM, calls)  # replayed: nothing more
    owners = await _owners(services)
    assert [owner for owner, _ in owners] == [eva.id, petr.id, eva.id]
    assert "skipped jana (logged out)" in owners[2][1]
    async with services.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(LeadAssignment)) == 3


async def test_imported_leads_without_an_owner_are_distributed(
    services: Services, make_user: MakeUser, tmp_path: Path
) -> None:
    eva, petr = await _reps(services, make_user, "Eva", "Petr")
    await _rule(services, when={"sources": ["import"]},
                pool={"kind": "team", "members": ["eva", "petr"]}, skip_away=False)  # fmt: skip
    path = tmp_path / "leads.csv"
    path.write_text(
        "first_name,last_name,company,email,phone,phone2,owner,status\n"
        "Ana,One,,,+421905100001,,,lead\nBen,Two,,,+421905100002,,,lead\n"
        "Cyril,Three,,,+421905100003,,petr,lead\nDana,Four,,,+421905100004,,,client\n",
        encoding="utf-8",
    )
    report = await import_contacts_csv(services.sessions, SYSTEM, path, region="SK")
    assert report.imported == 4
    owners = await _owners(services)
    assert [owner for owner, _ in owners] == [eva.id, petr.id, petr.id, None]
    assert [bool(reason) for _, reason in owners] == [True, True, False, False]


@pytest.mark.parametrize("leads", [6])
async def test_leads_made_at_once_never_share_a_turn(
    services: Services, make_user: MakeUser, leads: int
) -> None:
    reps = await _reps(services, make_user, "Eva", "Petr", "Jana")
    await _in_queue(services, "sales", *((rep, "ready") for rep in reps))
    await _rule(services, pool={"kind": "queue", "queue": "sales"})
    await asyncio.gather(*(_lead(services) for _ in range(leads)))
    owners = [owner for owner, _ in await _owners(services)]
    assert sorted(owners.count(rep.id) for rep in reps) == [2, 2, 2]
    async with services.sessions() as session:
        order = list(await session.scalars(
            select(LeadAssignment.user_id).order_by(LeadAssignment.id)
        ))  # fmt: skip
        reasons = list(await session.scalars(
            select(LeadAssignment.reason).order_by(LeadAssignment.id)
        ))  # fmt: skip
    ids = [rep.id for rep in reps]
    assert order == ids + ids  # the turn went round in order, whatever the race
    assert sum("1st today" in r for r in reasons) == 3
    assert sum("2nd today" in r for r in reasons) == 3


async def test_no_enabled_rule_leaves_everything_as_it_was(
    services: Services, make_user: MakeUser
) -> None:
    await _reps(services, make_user, "Eva")
    rule = await _rule(services, pool={"kind": "team", "members": ["eva"]}, enabled=False)
    assert rule
    await _lead(services)
    assert await _owners(services) == [(None, "")]
