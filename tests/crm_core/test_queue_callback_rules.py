"""The queue call-back rules on SQLite and PostgreSQL: a `callback_requested` call keeps one place
(replays change nothing), a withheld number none; a call-back call settles its place: answered ->
done, unanswered -> again after the retry interval, and after the last attempt a call-back task.
A call-back call's record is its own, linked by `callback_of`."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from crm_core.models import QueueCallback, Task
from crm_core.models.enums import Role
from crm_core.services import Services
from crm_core.services.dto import Actor, CallFilter
from crm_core.services.dto.queue_callbacks import QueueCallbackPolicy
from crm_core.services.dto.reports import ReportQuery
from crm_core.services.queue_callback_rules import QueueCallbackRules
from crm_core.services.reports import ReportService
from tests.crm_core.conftest import SYSTEM, call_record, minutes_ago
from tests.fixtures.db import MakeUser

CALLER = "+421900555666"


@pytest.fixture
def rules(services: Services) -> Services:
    services.calls.add_hook(QueueCallbackRules(QueueCallbackPolicy(attempts=2, retry_seconds=60)))
    return services


async def _press_one(services: Services, linkedid: str = "first", caller: str = CALLER) -> None:
    record = call_record(
        linkedid, caller, queue="sales", queued_at=minutes_ago(9), ended_at=minutes_ago(8),
        disposition="callback_requested",
    )  # fmt: skip
    await services.calls.register(SYSTEM, record)


async def _call_back(services: Services, linkedid: str, disposition: str) -> None:
    record = call_record(
        linkedid, "1001", direction="outbound", callee=CALLER, callback_of="first",
        started_at=minutes_ago(5), ended_at=minutes_ago(4), disposition=disposition,
    )  # fmt: skip
    await services.calls.register(SYSTEM, record)


async def _places(services: Services) -> list[QueueCallback]:
    async with services.sessions() as session:
        return list(await session.scalars(select(QueueCallback)))


async def test_pressing_1_keeps_one_place_from_the_queue_join(rules: Services) -> None:
    await _press_one(rules)
    await _press_one(rules)  # a replay, a reconnect
    [place] = await _places(rules)
    assert (place.queue, place.number, place.status, place.attempts) == (
        "sales", CALLER, "waiting", 0,
    )  # fmt: skip
    assert abs(place.queued_at - minutes_ago(9)) < timedelta(seconds=5)
    [listed] = await rules.queue_callbacks.places()
    assert listed.call_linkedid == "first"


async def test_a_withheld_number_keeps_no_place(rules: Services) -> None:
    await _press_one(rules, "anonymous", caller="anonymous")
    assert await _places(rules) == []


async def test_an_answered_call_back_ends_the_place(rules: Services) -> None:
    await _press_one(rules)
    await _call_back(rules, "back-1", "answered")
    [place] = await _places(rules)
    assert (place.status, place.attempts, place.last_result) == ("answered", 1, "answered")
    assert await rules.queue_callbacks.places() == []
    calls = await rules.calls.list(SYSTEM, CallFilter())
    back = next(c for c in calls.items if c.linkedid == "back-1")
    assert back.callback_of == "first"


async def test_unanswered_call_backs_retry_then_leave_a_task(
    rules: Services, make_user: MakeUser
) -> None:
    supervisor, _ = await make_user(Role.SUPERVISOR)
    await _press_one(rules)
    await _call_back(rules, "back-1", "missed")
    [place] = await _places(rules)
    assert (place.status, place.attempts) == ("waiting", 1)
    assert abs(place.next_attempt_at - (minutes_ago(4) + timedelta(seconds=60))) < timedelta(
        seconds=5
    )

    assert await rules.queue_callbacks.claim_dialing(place.id, "1002", minutes_ago(3))
    assert not await rules.queue_callbacks.claim_dialing(place.id, "1003", minutes_ago(3))
    await _call_back(rules, "back-2", "busy")
    [place] = await _places(rules)
    assert (place.status, place.attempts, place.extension) == ("task", 2, "1002")
    async with rules.sessions() as session:
        task = await session.get(Task, place.task_id)
        tasks = await session.scalar(select(func.count()).select_from(Task))
    assert task is not None
    assert (task.kind, task.assignee_id, tasks) == ("callback", supervisor.id, 1)
    await _call_back(rules, "back-2", "busy")  # the same record again: nothing more
    assert [p.attempts for p in await _places(rules)] == [2]


async def test_the_queue_report_counts_call_backs_asked_as_their_own_outcome(
    rules: Services, make_user: MakeUser
) -> None:
    supervisor, _ = await make_user(Role.SUPERVISOR)
    await _press_one(rules)
    await _call_back(rules, "back-1", "answered")
    abandoned = call_record(
        "gave-up", queue="sales", ended_at=minutes_ago(7), disposition="abandoned"
    )
    await rules.calls.register(SYSTEM, abandoned)
    staff = Actor(id=supervisor.id, login=supervisor.login, role=supervisor.role)
    period = ReportQuery.model_validate({"from": minutes_ago(60), "to": minutes_ago(-1)})
    report = await ReportService(rules.sessions, rules.settings).queues(staff, period)
    [sales] = [row for row in report.rows if row.key == "sales"]
    assert (sales.offered, sales.answered, sales.abandoned, sales.callback_requested) == (
        2,
        0,
        1,
        1,
    )
    assert report.totals.callback_requested == 1
