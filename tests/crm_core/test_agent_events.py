"""Agent events (SQLite and PostgreSQL): stored once, summed into login and pause time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from crm_core.models import AgentEvent
from crm_core.models.enums import Role
from crm_core.services import Services
from crm_core.services.dto.agent_events import AgentEventIn, AgentEventKind
from tests.fixtures.db import MakeUser

T0 = datetime(2024, 3, 4, 8, 0, tzinfo=UTC)
LOGIN, LOGOUT = AgentEventKind.LOGIN, AgentEventKind.LOGOUT
PAUSE, UNPAUSE = AgentEventKind.PAUSE, AgentEventKind.UNPAUSE
MINUTES_5 = timedelta(minutes=5)


def ev(ext: str, queue: str, kind: AgentEventKind, minute: float, reason: str = "") -> AgentEventIn:
    at = T0 + timedelta(minutes=minute)
    return AgentEventIn(extension=ext, queue=queue, kind=kind, reason=reason, at=at)


# 1001: in sales and support 8:00-12:00; lunch 10:00-10:30 in both queues at once (counted once),
# a break 11:00-11:10 in sales only. 1002: in sales 7:30-8:30, paused for training from 7:45.
DAY = [
    ev("1001", "sales", LOGIN, 0), ev("1001", "support", LOGIN, 0),
    ev("1001", "sales", PAUSE, 120, "lunch"), ev("1001", "support", PAUSE, 120, "lunch"),
    ev("1001", "sales", UNPAUSE, 150), ev("1001", "support", UNPAUSE, 150.5),
    ev("1001", "sales", PAUSE, 180, "break"), ev("1001", "sales", UNPAUSE, 190),
    ev("1001", "sales", LOGOUT, 240), ev("1001", "support", LOGOUT, 240),
    ev("1002", "sales", LOGIN, -30), ev("1002", "sales", PAUSE, -15, "training"),
    ev("1002", "sales", LOGOUT, 30),
]  # fmt: skip


async def stored(services: Services) -> int:
    async with services.sessions() as session:
        return int(await session.scalar(select(func.count(AgentEvent.id))) or 0)


async def test_events_are_stored_once_with_the_user(
    services: Services, make_user: MakeUser
) -> None:
    anna, _ = await make_user(Role.AGENT, extensions=["1001"])
    await services.agent_events.record_many(DAY[:4])
    await services.agent_events.record_many(DAY)  # a replay after a reconnect
    assert await stored(services) == len(DAY)
    async with services.sessions() as session:
        users = set(await session.scalars(select(AgentEvent.user_id).distinct()))
    assert users == {anna.id, None}
    states = {(s.extension, s.queue): s for s in await services.agent_events.last_states()}
    assert not states["1001", "sales"].logged_in
    await services.agent_events.record_many([ev("1003", "vip", PAUSE, 5, "lunch")])
    vip = {(s.extension, s.queue): s for s in await services.agent_events.last_states()}
    assert (vip["1003", "vip"].paused, vip["1003", "vip"].reason) == (True, "lunch")


async def test_pause_and_login_time_over_a_period(services: Services) -> None:
    await services.agent_events.record_many(DAY)
    times = await services.agent_events.time_by_agent(T0, T0 + timedelta(hours=5))
    anna = times["1001"]
    assert anna.login_seconds == 4 * 3600
    assert anna.pause_reasons == {"lunch": 30 * 60 + 30, "break": 10 * 60}
    assert anna.pause_seconds == 40 * 60 + 30
    # 1002 paused from 7:45, before the period: counted from 8:00 until the logout at 8:30
    assert (times["1002"].login_seconds, times["1002"].pause_reasons) == (1800, {"training": 1800})


async def test_a_period_in_the_middle_of_a_pause_and_one_agent(services: Services) -> None:
    await services.agent_events.record_many(DAY)
    start = T0 + timedelta(minutes=135)  # 10:15, in the lunch pause
    times = await services.agent_events.time_by_agent(start, start + timedelta(minutes=60), "1001")
    assert set(times) == {"1001"}
    assert times["1001"].pause_reasons == {"lunch": 15 * 60 + 30, "break": 10 * 60}
    assert times["1001"].login_seconds == 3600
    empty = await services.agent_events.time_by_agent(
        T0 - timedelta(days=9), T0 - timedelta(days=8)
    )
    assert empty == {}


async def test_a_pause_still_running_counts_until_now(services: Services) -> None:
    now = datetime.now(UTC)
    login = AgentEventIn(
        extension="1005", queue="support", kind=LOGIN, at=now - timedelta(minutes=10)
    )
    pause = login.model_copy(
        update={"kind": PAUSE, "reason": "meeting", "at": login.at + MINUTES_5}
    )
    await services.agent_events.record_many([login, pause])
    times = await services.agent_events.time_by_agent(
        now - timedelta(hours=1), now + timedelta(hours=1)
    )
    assert 295 <= times["1005"].pause_reasons["meeting"] <= 310
    assert 595 <= times["1005"].login_seconds <= 610
