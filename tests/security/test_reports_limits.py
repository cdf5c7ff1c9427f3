"""Finding 6 and part of 9 (issue 13): a report's period and buckets are bounded (422 naming
the field); CSV cells that a spreadsheet would run as a formula are escaped."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import httpx

from crm_core.services import Services
from crm_core.services.dto import UserCreate
from tests.fixtures.db import LoginAs
from tests.security.conftest import SYSTEM, answered_call


async def test_a_period_since_year_one_is_422_naming_from(
    api_client: httpx.AsyncClient, login_as: LoginAs
) -> None:
    boss = await login_as("supervisor")
    for report in ("timeline", "queues", "agents"):
        params = {"from": "0001-01-01", "to": "2026-01-01", "bucket": "day"}
        path = f"/api/reports/{report}"
        response = await api_client.get(path, params=params, headers=boss.headers)
        assert response.status_code == 422, response.text
        assert response.json()["detail"][0]["loc"] == ["query", "from"]
        assert len(response.content) < 1000


async def test_report_csv_cells_cannot_be_formulas(
    api_client: httpx.AsyncClient, login_as: LoginAs, services: Services
) -> None:
    boss = await login_as("supervisor")
    evil = '=HYPERLINK("http://x","y")'
    await services.users.create(
        SYSTEM, UserCreate(login="eve", password="x" * 12, display_name=evil, extensions=["1009"])
    )
    call = answered_call("sec-csv", "1009").model_copy(update={"queue": "+sales"})
    await services.calls.register(SYSTEM, call)
    hour = timedelta(hours=1)
    start, end = (call.started_at + shift for shift in (-hour, hour))
    params = {"from": start.isoformat(), "to": end.isoformat(), "format": "csv"}
    for report, label in (("agents", evil), ("queues", "+sales")):
        path = f"/api/reports/{report}"
        response = await api_client.get(path, params=params, headers=boss.headers)
        assert response.status_code == 200, response.text
        rows = list(csv.reader(io.StringIO(response.text)))
        labels = [row[0] for row in rows[1:]]
        assert "'" + label in labels, labels
        assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
