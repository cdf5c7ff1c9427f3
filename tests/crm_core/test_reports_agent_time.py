"""The agent report's pause and login time from stored agent events (SQLite and PostgreSQL)."""

from __future__ import annotations

import csv
import io

import httpx

from crm_core.models.enums import Role
from crm_core.services import Services
from tests.crm_core.test_agent_events import DAY, T0
from tests.crm_core.test_reports import get, seed
from tests.fixtures.db import LoginAs, MakeUser

DAY_OF_T0 = {"from": T0.date().isoformat(), "to": "2024-03-05"}


async def test_agent_report_has_pause_time_by_reason_and_login_time(
    api_client: httpx.AsyncClient, services: Services, make_user: MakeUser, login_as: LoginAs
) -> None:
    await seed(services, make_user)  # anna 1001 and bert 1002 answered calls on 2024-03-04
    await services.agent_events.record_many(DAY)
    me = await login_as(Role.SUPERVISOR)
    report = await get(api_client, me, "agents", **DAY_OF_T0)
    rows = {row["key"]: row for row in report["rows"]}
    anna, bert = rows["1001"], rows["1002"]
    assert anna["pause_reasons"] == {"lunch": 1830, "break": 600}
    assert (anna["pause_seconds"], anna["login_seconds"]) == (2430, 4 * 3600)
    assert (anna["answered"], anna["talk_seconds"]) == (2, 150)
    assert (bert["pause_reasons"], bert["login_seconds"]) == ({"training": 2700}, 3600)
    totals = report["totals"]
    assert totals["pause_seconds"] == 2430 + 2700
    assert totals["pause_reasons"] == {"lunch": 1830, "break": 600, "training": 2700}
    assert any("pause_seconds" in note for note in report["notes"])
    queues = await get(api_client, me, "queues", **DAY_OF_T0)
    assert {row["pause_seconds"] for row in queues["rows"]} == {None}

    support = await get(api_client, me, "agents", queue="support", **DAY_OF_T0)
    assert {row["key"]: row["pause_reasons"] for row in support["rows"]} == {
        "1001": {"lunch": 1830},
        "1002": {},
    }

    response = await api_client.get("/api/reports/agents.csv", params=DAY_OF_T0, headers=me.headers)
    table = list(csv.DictReader(io.StringIO(response.text)))
    assert [row["key"] for row in table] == ["1001", "1002", "total"]
    assert (table[0]["pause:lunch"], table[0]["pause:break"], table[0]["pause:training"]) == (
        "1830", "600", "0",
    )  # fmt: skip
    assert (table[2]["pause_seconds"], table[2]["login_seconds"]) == ("5130", "18000")


async def test_an_agent_who_only_paused_has_a_row(
    api_client: httpx.AsyncClient, services: Services, login_as: LoginAs
) -> None:
    await services.agent_events.record_many([e for e in DAY if e.extension == "1002"])
    me = await login_as(Role.SUPERVISOR)
    report = await get(api_client, me, "agents", **DAY_OF_T0)
    [row] = report["rows"]
    assert (row["key"], row["answered"], row["offered"]) == ("1002", 0, None)
    assert row["pause_reasons"] == {"training": 2700}
