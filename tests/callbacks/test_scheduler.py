"""The call-back scheduler on a real database: a due call-back is notified once, also across a
restart; a reschedule is notified again; auto-dial dials a free agent, waits for a busy one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from crm_core.errors import ConflictError
from crm_core.models.enums import Role
from crm_core.services import Services
from crm_core.services.dto import Actor, ContactCreate, PhoneIn
from crm_core.services.dto.callbacks import (
    CallbackChange,
    CallbackCreate,
    CallbackDone,
    CallbackOut,
)
from cti.callbacks.autodial import AutoDialer
from cti.callbacks.scheduler import CallbackScheduler
from tests.fixtures.db import MakeUser

HOUR = 3600.0


class Recorder:
    def __init__(self) -> None:
        self.sent: list[tuple[str, dict[str, Any]]] = []

    async def publish(self, topic: str, message: dict[str, Any]) -> None:
        self.sent.append((topic, message))

    def kinds(self) -> list[tuple[str, str, int]]:
        return [(t, m["type"], m["callback"]["id"]) for t, m in self.sent]


class FakeDialer:
    def __init__(self) -> None:
        self.dialled: list[tuple[str, str]] = []
        self.refuse: str | None = None

    async def dial(self, extension: str, number: str) -> object:
        if self.refuse:
            raise ConflictError(self.refuse)
        self.dialled.append((extension, number))
        return None


async def _plan(services: Services, make_user: MakeUser, **fields: Any) -> CallbackOut:
    user, _ = await make_user(Role.AGENT, extensions=["1004"])
    me = Actor(id=user.id, login=user.login, role=user.role)
    jana = await services.contacts.create(
        me, ContactCreate(first_name="Jana", phones=[PhoneIn(number="0900 123 456")])
    )
    due = datetime.now(UTC) + timedelta(minutes=5)
    data = {"contact_id": jana.id, "subject": "Offer", "due_at": due} | fields
    return await services.callbacks.schedule(me, CallbackCreate.model_validate(data))


def _scheduler(services: Services, bus: Recorder, later: float, **dial: Any) -> CallbackScheduler:
    clock = lambda: datetime.now(UTC).timestamp() + later  # noqa: E731
    scheduler = CallbackScheduler(services.due_callbacks, bus, None, 1.0, clock)  # type: ignore[arg-type]
    if dial:
        scheduler.dialer = AutoDialer(
            services.due_callbacks, dial["dialer"], dial["free"], scheduler.publish
        )
    return scheduler


async def test_a_due_call_back_is_notified_once_and_not_before_its_time(
    services: Services, make_user: MakeUser
) -> None:
    planned = await _plan(services, make_user)
    bus = Recorder()
    await _scheduler(services, bus, later=0).tick()
    assert bus.sent == []
    scheduler = _scheduler(services, bus, later=HOUR)
    await scheduler.tick()
    await scheduler.tick()
    assert bus.kinds() == [("agent.1004", "callback_due", planned.id)]
    message = bus.sent[0][1]["callback"]
    assert (message["contact_name"], message["phone"]) == ("Jana", "+421900123456")


async def test_after_a_restart_nothing_is_notified_twice_and_a_missed_one_is_sent(
    services: Services, make_user: MakeUser
) -> None:
    first = await _plan(services, make_user)
    before = Recorder()
    await _scheduler(services, before, later=HOUR).tick()
    assert before.kinds() == [("agent.1004", "callback_due", first.id)]
    # the bridge is down while the second one falls due; a fresh scheduler starts
    owner = Actor(id=first.assignee_id, login="x", role=Role.AGENT)
    second = await services.callbacks.schedule(
        owner, CallbackCreate(contact_id=first.contact_id or 0, subject="Second",
                              due_at=datetime.now(UTC) + timedelta(minutes=1)),
    )  # fmt: skip
    after = Recorder()
    await _scheduler(services, after, later=HOUR).tick()
    assert after.kinds() == [("agent.1004", "callback_due", second.id)]
    # what a page that (re)connects is shown again: notified, still open
    await services.callbacks.done(owner, first.id, CallbackDone())
    since = datetime.now(UTC) - timedelta(hours=1)
    again = await services.due_callbacks.notified_open(first.assignee_id, since)
    assert [c.id for c in again] == [second.id]


async def test_a_rescheduled_call_back_is_notified_again_a_done_one_never(
    services: Services, make_user: MakeUser
) -> None:
    planned = await _plan(services, make_user)
    bus = Recorder()
    await _scheduler(services, bus, later=HOUR).tick()
    owner = Actor(id=planned.assignee_id, login="x", role=Role.AGENT)
    later = datetime.now(UTC) + timedelta(hours=2)
    await services.callbacks.change(owner, planned.id, CallbackChange(due_at=later))
    await _scheduler(services, bus, later=HOUR).tick()
    assert len(bus.sent) == 1
    await _scheduler(services, bus, later=3 * HOUR).tick()
    assert len(bus.sent) == 2


async def test_auto_dial_dials_a_free_agent_once(services: Services, make_user: MakeUser) -> None:
    await _plan(services, make_user, auto_dial=True)
    bus, dialer = Recorder(), FakeDialer()
    scheduler = _scheduler(services, bus, later=HOUR, dialer=dialer, free=lambda e, t: True)
    await scheduler.tick()
    await scheduler.tick()
    assert dialer.dialled == [("1004", "+421900123456")]
    assert [kind for _, kind, _ in bus.kinds()] == ["callback_due", "callback_dialing"]


async def test_auto_dial_waits_while_the_agent_is_busy_then_dials(
    services: Services, make_user: MakeUser
) -> None:
    await _plan(services, make_user, auto_dial=True)
    bus, dialer, free = Recorder(), FakeDialer(), {"1004": False}
    scheduler = _scheduler(services, bus, later=HOUR, dialer=dialer, free=lambda e, t: free[e])
    await scheduler.tick()
    await scheduler.tick()
    assert dialer.dialled == []
    assert [kind for _, kind, _ in bus.kinds()] == ["callback_due", "callback_waiting"]
    free["1004"] = True
    await scheduler.tick()
    assert dialer.dialled == [("1004", "+421900123456")]
    # a restarted scheduler does not dial it again
    await _scheduler(services, bus, later=HOUR, dialer=dialer, free=lambda e, t: True).tick()
    assert len(dialer.dialled) == 1


async def test_a_refused_auto_dial_is_said_once_and_retried_later(
    services: Services, make_user: MakeUser
) -> None:
    await _plan(services, make_user, auto_dial=True)
    bus, dialer = Recorder(), FakeDialer()
    dialer.refuse = "the phone of extension 1004 is offline (UNAVAILABLE)"
    scheduler = _scheduler(services, bus, later=HOUR, dialer=dialer, free=lambda e, t: True)
    await scheduler.tick()
    await scheduler.tick()
    waiting = [m for _, m in bus.sent if m["type"] == "callback_waiting"]
    assert len(waiting) == 1
    assert "offline" in waiting[0]["reason"]
    dialer.refuse = None
    await _scheduler(services, bus, later=HOUR, dialer=dialer, free=lambda e, t: True).tick()
    assert dialer.dialled == [("1004", "+421900123456")]


pytestmark = pytest.mark.usefixtures("services")
