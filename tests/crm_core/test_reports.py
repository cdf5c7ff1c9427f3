"""/api/reports on known calls (SQLite and PostgreSQL): figures, buckets, bad input, roles, CSV."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from crm_core.models.enums import Direction, Disposition, Role, TaskKind
from crm_core.services import Services
from crm_core.services.dto import Actor, CallRecord, TaskCreate, TaskUpdate
from tests.fixtures.db import LoggedIn, LoginAs, MakeUser

SYSTEM = Actor.system("test")
PERIOD = {"from": "2024-03-04", "to": "2024-03-06"}
# (linkedid, queue, disposition, answered_by, wait, talk, started UTC)
CALLS = [
    ("s1", "sales", "answered", "1001", 5, 100, datetime(2024, 3, 4, 9, 10, tzinfo=UTC)),
    ("s2", "sales", "answered", "1002", 30, 200, datetime(2024, 3, 4, 9, 40, tzinfo=UTC)),
    ("s3", "sales", "abandoned", "", 40, 0, datetime(2024, 3, 4, 10, 5, tzinfo=UTC)),
    ("s4", "sales", "answered", "1001", 10, 60, datetime(2024, 3, 5, 14, 0, tzinfo=UTC)),
    ("p1", "support", "answered", "1002", 25, 300, datetime(2024, 3, 4, 11, 0, tzinfo=UTC)),
    ("p2", "support", "abandoned", "", 8, 0, datetime(2024, 3, 4, 11, 30, tzinfo=UTC)),
    ("d1", "", "answered", "1001", 0, 50, datetime(2024, 3, 4, 12, 0, tzinfo=UTC)),  # no queue
    ("x1", "sales", "answered", "1001", 1, 10, datetime(2024, 3, 10, 9, 0, tzinfo=UTC)),  # after
]


async def seed(services: Services, make_user: MakeUser) -> dict[str, int]:
    anna, _ = await make_user(Role.AGENT, login="anna", extensions=["1001"])
    await make_user(Role.AGENT, login="bert", extensions=["1002"])
    ids: dict[str, int] = {}
    for linkedid, queue, disposition, agent, wait, talk, started in CALLS:
        answered = disposition == "answered"
        call = await services.calls.register(
            SYSTEM,
            CallRecord(
                linkedid=linkedid,
                direction=Direction.INBOUND,
                caller="+421900000001",
                queue=queue,
                answered_by=agent,
                started_at=started,
                answered_at=started + timedelta(seconds=wait) if answered else None,
                ended_at=started + timedelta(seconds=wait + talk),
                wait_seconds=wait,
                talk_seconds=talk,
                disposition=Disposition(disposition),
            ),
        )
        ids[linkedid] = call.id
    due = datetime(2024, 3, 4, 10, 30, tzinfo=UTC)
    for subject, call in (("call back s3", "s3"), ("call back p2", "p2")):
        await services.tasks.create(
            SYSTEM,
            TaskCreate(
                kind=TaskKind.CALLBACK,
                subject=subject,
                due_at=due,
                assignee_id=anna.id,
                call_id=ids[call],
            ),
        )
    late = await services.tasks.create(
        SYSTEM,
        TaskCreate(kind=TaskKind.CALLBACK, subject="done late", due_at=due, assignee_id=anna.id),
    )
    await services.tasks.update(SYSTEM, late.id, TaskUpdate(done=True))
    future = datetime.now(UTC) + timedelta(days=30)
    await services.tasks.create(  # not overdue yet, and outside the period anyway
        SYSTEM,
        TaskCreate(kind=TaskKind.CALLBACK, subject="later", due_at=future, assignee_id=anna.id),
    )
    return ids


@pytest.fixture
async def supervisor(services: Services, make_user: MakeUser, login_as: LoginAs) -> LoggedIn:
    await seed(services, make_user)
    return await login_as(Role.SUPERVISOR)


async def get(client: httpx.AsyncClient, me: LoggedIn, path: str, **params: Any) -> dict[str, Any]:
    response = await client.get(f"/api/reports/{path}", params=params, headers=me.headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def by_key(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {row["key"]: row for row in report["rows"]}


async def test_queue_report_on_known_calls(
    api_client: httpx.AsyncClient, supervisor: LoggedIn
) -> None:
    report = await get(api_client, supervisor, "queues", **PERIOD)
    rows = by_key(report)
    assert list(rows) == ["sales", "support"]
    sales, support, total = rows["sales"], rows["support"], report["totals"]
    assert (sales["offered"], sales["answered"], sales["abandoned"]) == (4, 3, 1)
    assert sales["answered_within"] == 2
    assert sales["service_level"] == pytest.approx(2 / 3)
    assert sales["asa"] == pytest.approx(15.0)
    assert sales["aht"] == pytest.approx(120.0)
    assert sales["abandon_wait"] == pytest.approx(40.0)
    assert (sales["longest_wait"], sales["talk_seconds"]) == (40, 360)
    assert sales["pause_seconds"] is None
    assert (support["service_level"], support["asa"], support["abandon_wait"]) == (0.0, 25.0, 8.0)
    # the overdue open call-back of s3 is sales', p2's is support's; the one done late has no call
    assert (sales["missed_callbacks"], support["missed_callbacks"]) == (1, 1)
    assert (total["offered"], total["answered"], total["abandoned"]) == (6, 4, 2)
    assert total["service_level"] == pytest.approx(0.5)
    assert total["asa"] == pytest.approx(17.5)
    assert total["aht"] == pytest.approx(165.0)
    assert total["missed_callbacks"] == 3
    assert report["from"].startswith("2024-03-04T00:00:00")
    assert any("pause" in note for note in report["notes"])


async def test_the_threshold_moves_the_service_level(
    api_client: httpx.AsyncClient, supervisor: LoggedIn
) -> None:
    report = await get(api_client, supervisor, "queues", threshold=30, **PERIOD)
    assert by_key(report)["sales"]["service_level"] == 1.0
    assert by_key(report)["support"]["service_level"] == 1.0
    assert report["threshold"] == 30


async def test_agent_report_counts_what_each_agent_answered(
    api_client: httpx.AsyncClient, supervisor: LoggedIn
) -> None:
    report = await get(api_client, supervisor, "agents", **PERIOD)
    rows = by_key(report)
    assert list(rows) == ["1001", "1002"]
    anna, bert = rows["1001"], rows["1002"]
    assert (anna["label"], anna["answered"], anna["talk_seconds"]) == ("anna", 3, 210)
    assert (anna["aht"], anna["asa"], anna["service_level"]) == (70.0, 5.0, 1.0)
    assert (anna["offered"], anna["abandoned"]) == (None, None)
    assert anna["missed_callbacks"] == 3
    assert (bert["answered"], bert["asa"], bert["service_level"]) == (2, 27.5, 0.0)
    only_sales = by_key(await get(api_client, supervisor, "agents", queue="sales", **PERIOD))
    assert (only_sales["1001"]["answered"], only_sales["1002"]["answered"]) == (2, 1)


async def test_timeline_by_hour_day_and_week(
    api_client: httpx.AsyncClient, supervisor: LoggedIn
) -> None:
    hours = await get(
        api_client,
        supervisor,
        "timeline",
        bucket="hour",
        **{"from": "2024-03-04", "to": "2024-03-05"},
    )
    rows = by_key(hours)
    assert len(rows) == 24  # empty hours included, as zeros
    assert (rows["2024-03-04T09:00"]["offered"], rows["2024-03-04T09:00"]["answered"]) == (2, 2)
    assert rows["2024-03-04T10:00"]["abandoned"] == 1
    assert rows["2024-03-04T10:00"]["missed_callbacks"] == 3  # all due 10:30
    assert rows["2024-03-04T11:00"]["offered"] == 2
    assert rows["2024-03-04T12:00"]["offered"] == 0  # d1 has no queue
    assert rows["2024-03-04T03:00"]["service_level"] is None
    days = by_key(await get(api_client, supervisor, "timeline", bucket="day", **PERIOD))
    assert {k: v["offered"] for k, v in days.items()} == {
        "2024-03-04T00:00": 5,
        "2024-03-05T00:00": 1,
    }
    weeks = await get(
        api_client,
        supervisor,
        "timeline",
        bucket="week",
        **{"from": "2024-03-01", "to": "2024-03-15"},
    )
    assert {r["key"]: r["offered"] for r in weeks["rows"]} == {
        "2024-02-26T00:00": 0,
        "2024-03-04T00:00": 7,  # Monday 4 to Sunday 10 March: x1 included
        "2024-03-11T00:00": 0,
    }


async def test_buckets_follow_the_time_zone(
    api_client: httpx.AsyncClient, supervisor: LoggedIn
) -> None:
    report = await get(
        api_client,
        supervisor,
        "timeline",
        bucket="hour",
        tz="Europe/Bratislava",
        **{"from": "2024-03-04T00:00", "to": "2024-03-04T23:00"},
    )
    rows = by_key(report)
    assert report["from"].startswith("2024-03-03T23:00:00")  # local midnight, in UTC
    assert rows["2024-03-04T10:00"]["offered"] == 2  # 09:10 and 09:40 UTC
    assert rows["2024-03-04T09:00"]["offered"] == 0


async def test_a_period_without_calls_gives_zeros_and_nulls(
    api_client: httpx.AsyncClient, supervisor: LoggedIn
) -> None:
    period = {"from": "2031-01-01", "to": "2031-01-02"}
    queues = await get(api_client, supervisor, "queues", **period)
    assert queues["rows"] == []
    assert (queues["totals"]["offered"], queues["totals"]["service_level"]) == (0, None)
    assert queues["totals"]["asa"] is None
    days = await get(api_client, supervisor, "timeline", bucket="day", **period)
    assert [(r["key"], r["offered"]) for r in days["rows"]] == [("2031-01-01T00:00", 0)]


async def test_unknown_queue_or_agent_is_an_empty_report(
    api_client: httpx.AsyncClient, supervisor: LoggedIn
) -> None:
    queues = await get(api_client, supervisor, "queues", queue="nope", **PERIOD)
    assert (queues["rows"], queues["totals"]["offered"]) == ([], 0)
    agents = await get(api_client, supervisor, "agents", agent="9999", **PERIOD)
    assert (agents["rows"], agents["totals"]["answered"]) == ([], 0)


async def test_ten_years_by_day_and_week_work_hours_are_refused(
    api_client: httpx.AsyncClient, supervisor: LoggedIn
) -> None:
    decade = {"from": "2015-01-01", "to": "2025-01-01"}
    days = await get(api_client, supervisor, "timeline", bucket="day", **decade)
    assert len(days["rows"]) == 3653
    assert days["totals"]["offered"] == 7
    weeks = await get(api_client, supervisor, "timeline", bucket="week", **decade)
    assert len(weeks["rows"]) == 523
    response = await api_client.get(
        "/api/reports/timeline", params={"bucket": "hour", **decade}, headers=supervisor.headers
    )
    assert response.status_code == 422
    assert "92 days" in response.text


@pytest.mark.parametrize(
    "params",
    [
        {"from": "2024-03-06", "to": "2024-03-04"},
        {"from": "2024-03-04", "to": "2024-03-04"},
        {"from": "yesterday", "to": "2024-03-04"},
        {"to": "2024-03-04"},
        {**PERIOD, "tz": "Mars/Olympus"},
        {**PERIOD, "bucket": "minute"},
        {**PERIOD, "threshold": "-1"},
    ],
)
async def test_bad_input_is_422(
    api_client: httpx.AsyncClient, supervisor: LoggedIn, params: dict[str, str]
) -> None:
    response = await api_client.get(
        "/api/reports/queues", params=params, headers=supervisor.headers
    )
    assert response.status_code == 422, response.text


async def test_agents_are_refused_and_admins_allowed(
    api_client: httpx.AsyncClient, supervisor: LoggedIn, login_as: LoginAs
) -> None:
    agent, admin = await login_as(Role.AGENT, extensions=["1003"]), await login_as(Role.ADMIN)
    for path in ("queues", "agents", "timeline", "queues.csv"):
        url = f"/api/reports/{path}"
        assert (await api_client.get(url, params=PERIOD, headers=agent.headers)).status_code == 403
        assert (await api_client.get(url, params=PERIOD, headers=admin.headers)).status_code == 200
    assert (await api_client.get("/api/reports/queues", params=PERIOD)).status_code == 401


async def test_csv_export_of_every_table(
    api_client: httpx.AsyncClient, supervisor: LoggedIn
) -> None:
    for path, params in (
        ("queues.csv", PERIOD),
        ("agents", {**PERIOD, "format": "csv"}),
        ("timeline.csv", {**PERIOD, "bucket": "day"}),
    ):
        response = await api_client.get(
            f"/api/reports/{path}", params=params, headers=supervisor.headers
        )
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/csv")
        assert "attachment" in response.headers["content-disposition"]
        table = list(csv.DictReader(io.StringIO(response.text)))
        assert table[-1]["key"] == "total"
        if path == "queues.csv":
            assert [r["key"] for r in table] == ["sales", "support", "total"]
            assert (table[0]["offered"], table[0]["asa"], table[0]["pause_seconds"]) == (
                "4",
                "15.0",
                "",
            )
