"""Registering calls: an upsert by linkedid that matches the card and the agent."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from crm_core.models import AuditEntry, Call
from crm_core.models.enums import Disposition, Role
from crm_core.services import Services, insert_task
from crm_core.services.dto import Actor, CallFilter, CallOut, TaskCreate, TaskFilter, Transfer
from tests.crm_core.conftest import SYSTEM, AddContact, call_record, minutes_ago
from tests.fixtures.db import MakeUser


async def _count_calls(services: Services) -> int:
    async with services.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(Call)) or 0)


async def test_registering_twice_updates_instead_of_duplicating(
    services: Services, add_contact: AddContact, make_user: MakeUser
) -> None:
    agent, _ = await make_user(Role.AGENT, extensions=["1001"])
    contact = await add_contact("Ján", "Šťastný", "+421900123456")
    first = await services.calls.register(SYSTEM, call_record("1700000000.1", "0900 123 456"))
    assert first.disposition is None
    assert first.contact_id == contact.id
    assert first.external_e164 == "+421900123456"
    transfer = Transfer.model_validate(
        {"kind": "blind", "from": "1001", "to": "1002", "at": minutes_ago(1)}
    )
    final = await services.calls.register(
        SYSTEM,
        call_record(
            "1700000000.1",
            "0900 123 456",
            answered_by="1001",
            agents_rang=["1001", "1002"],
            disposition=Disposition.ANSWERED,
            talk_seconds=42,
            transfers=[transfer],
        ),
    )
    assert final.id == first.id
    assert (final.agent_id, final.talk_seconds, final.disposition) == (agent.id, 42, "answered")
    assert final.transfers[0]["from"] == "1001"
    assert await _count_calls(services) == 1


async def test_each_registration_is_audited(services: Services) -> None:
    started = minutes_ago(5)
    await services.calls.register(SYSTEM, call_record("a.1", started_at=started))
    await services.calls.register(
        SYSTEM, call_record("a.1", started_at=started, disposition="missed")
    )
    await services.calls.register(
        SYSTEM, call_record("a.1", started_at=started, disposition="missed")
    )
    async with services.sessions() as session:
        entries = (
            await session.scalars(select(AuditEntry).where(AuditEntry.table_name == "calls"))
        ).all()
    assert [entry.action for entry in entries] == ["create", "update"]
    assert entries[1].changes["disposition"] == [None, "missed"]


async def test_anonymous_and_short_callers_are_kept_as_typed(
    services: Services, add_contact: AddContact
) -> None:
    await add_contact("Ján", "Šťastný", "+421900123456")
    for linkedid, caller in (("x.1", "anonymous"), ("x.2", "123456"), ("x.3", "\udcff weird")):
        call = await services.calls.register(SYSTEM, call_record(linkedid, caller))
        assert (call.contact_id, call.external_e164) == (None, None)
    assert (
        await services.calls.register(SYSTEM, call_record("x.1", "anonymous"))
    ).caller == "anonymous"


async def test_outbound_call_belongs_to_the_dialling_agent(
    services: Services, make_user: MakeUser
) -> None:
    agent, _ = await make_user(Role.AGENT, extensions=["1002"])
    call = await services.calls.register(
        SYSTEM, call_record("o.1", "1002", direction="outbound", callee="+442079460958")
    )
    assert (call.agent_id, call.external_e164) == (agent.id, "+442079460958")


async def test_agents_list_only_their_calls(services: Services, make_user: MakeUser) -> None:
    me, _ = await make_user(Role.AGENT, extensions=["1001"])
    await make_user(Role.AGENT, extensions=["1002"])
    await services.calls.register(SYSTEM, call_record("m.1", answered_by="1001"))
    await services.calls.register(SYSTEM, call_record("m.2", answered_by="1002"))
    actor = Actor(id=me.id, login=me.login, role=Role.AGENT)
    mine = await services.calls.list(actor, CallFilter())
    assert [call.linkedid for call in mine.items] == ["m.1"]
    everyone = await services.calls.list(Actor.system(), CallFilter())
    assert everyone.total == 2


async def test_hooks_run_in_the_registering_transaction(
    services: Services, make_user: MakeUser
) -> None:
    agent, _ = await make_user(Role.AGENT, extensions=["1001"])

    async def callback_on_missed(
        session: AsyncSession, actor: Actor, call: CallOut, before: CallOut | None
    ) -> None:
        if call.disposition == Disposition.MISSED and (
            before is None or before.disposition is None
        ):
            await insert_task(
                session,
                actor,
                TaskCreate(
                    kind="callback", subject="Call back", assignee_id=agent.id, call_id=call.id
                ),
            )

    services.calls.add_hook(callback_on_missed)
    await services.calls.register(SYSTEM, call_record("h.1"))
    await services.calls.register(SYSTEM, call_record("h.1", disposition="missed"))
    await services.calls.register(SYSTEM, call_record("h.1", disposition="missed"))
    tasks = await services.tasks.list(Actor.system(), TaskFilter(assignee_id=agent.id))
    assert [task.kind for task in tasks.items] == ["callback"]
