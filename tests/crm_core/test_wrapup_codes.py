"""Wrap-up codes (SQLite and PostgreSQL): admins define them per queue, an agent's wrap-up stores
one on the call (required ones, other queues' refused), a code's call-back rule, the webhook,
the audit, and the report per agent, queue and period (JSON and CSV)."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from crm_core.models import AuditEntry, WebhookEvent
from crm_core.models.enums import Direction, Disposition, Role
from crm_core.services import Services
from crm_core.services.dto import Actor, CallRecord, ContactCreate
from crm_core.webhooks.call_events import CallWebhookEvents
from tests.fixtures.db import LoggedIn, LoginAs

SYSTEM = Actor.system("test")
CODES = [
    {"code": "sale", "label": "Sale", "queue": "sales"},
    {"code": "complaint", "label": "Complaint", "queue": "support"},
    {"code": "information", "label": "Information"},
    {"code": "call-back-later", "label": "Call back later", "plans_callback_in_hours": 24},
]


async def define(client: httpx.AsyncClient, admin: LoggedIn) -> dict[str, int]:
    ids = {}
    for code in CODES:
        response = await client.post("/api/admin/wrapup/codes", json=code, headers=admin.headers)
        assert response.status_code == 201, response.text
        ids[code["code"]] = response.json()["id"]
    return ids


async def a_call(
    services: Services,
    linkedid: str,
    queue: str,
    extension: str,
    started: datetime | None = None,
    disposition: Disposition = Disposition.ANSWERED,
) -> int:
    started = started or datetime.now(UTC) - timedelta(minutes=5)
    record = CallRecord(
        linkedid=linkedid,
        direction=Direction.INBOUND,
        caller="+421900123456",
        queue=queue,
        answered_by=extension if disposition is Disposition.ANSWERED else "",
        started_at=started,
        answered_at=started if disposition is Disposition.ANSWERED else None,
        ended_at=started + timedelta(seconds=60),
        talk_seconds=60,
        disposition=disposition,
    )
    return (await services.calls.register(SYSTEM, record)).id


@pytest.fixture
async def people(login_as: LoginAs) -> dict[str, LoggedIn]:
    return {
        "admin": await login_as(Role.ADMIN),
        "supervisor": await login_as(Role.SUPERVISOR),
        "agent": await login_as(Role.AGENT, extensions=["1001"]),
        "agent2": await login_as(Role.AGENT, extensions=["1002"]),
    }


@pytest.fixture
async def contact_id(services: Services) -> int:
    data = ContactCreate.model_validate(
        {"first_name": "Ján", "last_name": "Šťastný", "phones": [{"number": "+421900123456"}]}
    )
    return (await services.contacts.create(SYSTEM, data)).id


async def close(
    client: httpx.AsyncClient, who: LoggedIn, call_id: int, **body: Any
) -> httpx.Response:
    return await client.post(f"/api/calls/{call_id}/wrapup", json=body, headers=who.headers)


def field_of(response: httpx.Response) -> str:
    assert response.status_code == 422, response.text
    return str(response.json()["detail"][0]["loc"][-1])


async def test_admins_define_codes_per_queue_and_everyone_reads_their_choices(
    api_client: httpx.AsyncClient, people: dict[str, LoggedIn]
) -> None:
    await define(api_client, people["admin"])
    sales = await api_client.get(
        "/api/wrapup-codes", params={"queue": "sales"}, headers=people["agent"].headers
    )
    assert sales.status_code == 200
    assert [c["code"] for c in sales.json()["codes"]] == ["sale", "call-back-later", "information"]
    assert sales.json()["code_required"] is False
    support = await api_client.get(
        "/api/wrapup-codes", params={"queue": "support"}, headers=people["agent"].headers
    )
    assert "sale" not in [c["code"] for c in support.json()["codes"]]
    for who in ("agent", "supervisor"):
        refused = await api_client.post(
            "/api/admin/wrapup/codes", json={"code": "x", "label": "X"}, headers=people[who].headers
        )
        assert refused.status_code == 403
        rule = await api_client.put(
            "/api/admin/wrapup/queues/sales",
            json={"code_required": True},
            headers=people[who].headers,
        )
        assert rule.status_code == 403
    assert (
        await api_client.get("/api/admin/wrapup", headers=people["agent"].headers)
    ).status_code == 403
    setup = await api_client.get("/api/admin/wrapup", headers=people["supervisor"].headers)
    assert len(setup.json()["codes"]) == 4


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"code": "Sale!", "label": "Sale"}, "code"),
        ({"code": "", "label": "Sale"}, "code"),
        ({"code": "sale", "label": "   "}, "label"),
        ({"code": "sale", "label": "\u200b"}, "label"),
        (
            {"code": "sale", "label": "Sale", "plans_callback_in_hours": 1000},
            "plans_callback_in_hours",
        ),
        (
            {"code": "sale", "label": "Sale", "plans_callback_in_hours": -1},
            "plans_callback_in_hours",
        ),
        ({"code": "sale", "label": "Sale", "queue": "no spaces"}, "queue"),
        ({"code": "sale", "label": "Sale", "position": "first"}, "position"),
        ({"label": "Sale"}, "code"),
    ],
)
async def test_bad_codes_are_422_naming_the_field(
    api_client: httpx.AsyncClient, login_as: LoginAs, body: dict[str, Any], field: str
) -> None:
    admin = await login_as(Role.ADMIN)
    response = await api_client.post("/api/admin/wrapup/codes", json=body, headers=admin.headers)
    assert field_of(response) == field


async def test_duplicates_null_patches_and_unknown_codes(
    api_client: httpx.AsyncClient, login_as: LoginAs
) -> None:
    admin = await login_as(Role.ADMIN)
    ids = await define(api_client, admin)
    again = await api_client.post("/api/admin/wrapup/codes", json=CODES[0], headers=admin.headers)
    assert field_of(again) == "code"
    assert "already exists in queue sales" in again.text
    same_code_other_queue = {"code": "sale", "label": "Sale", "queue": "support"}
    ok = await api_client.post(
        "/api/admin/wrapup/codes", json=same_code_other_queue, headers=admin.headers
    )
    assert ok.status_code == 201
    url = f"/api/admin/wrapup/codes/{ids['sale']}"
    assert (
        field_of(await api_client.patch(url, json={"label": None}, headers=admin.headers))
        == "label"
    )
    missing = await api_client.patch(
        "/api/admin/wrapup/codes/99999", json={"label": "X"}, headers=admin.headers
    )
    assert missing.status_code == 404
    bad_queue = await api_client.put(
        "/api/admin/wrapup/queues/a%20b", json={"code_required": True}, headers=admin.headers
    )
    assert field_of(bad_queue) == "queue"
    no_flag = await api_client.put("/api/admin/wrapup/queues/sales", json={}, headers=admin.headers)
    assert field_of(no_flag) == "code_required"


async def test_admin_changes_are_audited(
    api_client: httpx.AsyncClient, services: Services, login_as: LoginAs
) -> None:
    admin = await login_as(Role.ADMIN)
    ids = await define(api_client, admin)
    url = f"/api/admin/wrapup/codes/{ids['sale']}"
    patched = await api_client.patch(
        url, json={"label": "Sold", "plans_callback_in_hours": 0}, headers=admin.headers
    )
    assert patched.json()["label"] == "Sold"
    assert patched.json()["plans_callback_in_hours"] is None
    assert (await api_client.delete(url, headers=admin.headers)).status_code == 204
    await api_client.put(
        "/api/admin/wrapup/queues/sales", json={"code_required": True}, headers=admin.headers
    )
    async with services.sessions() as session:
        entries = (
            await session.scalars(
                select(AuditEntry)
                .where(AuditEntry.table_name.in_(["wrapup_codes", "wrapup_queue_rules"]))
                .order_by(AuditEntry.id)
            )
        ).all()
    actions = [(e.action, e.table_name) for e in entries]
    assert actions == [
        *[("create", "wrapup_codes")] * 4,
        ("update", "wrapup_codes"),
        ("delete", "wrapup_codes"),
        ("update", "wrapup_queue_rules"),
    ]
    assert entries[4].changes["label"] == ["Sale", "Sold"]
    assert entries[-1].changes == {"queue": "sales", "code_required": [None, True]}
    assert {e.actor_login for e in entries} == {admin.user.login}


async def test_the_agent_picks_a_code_it_is_on_the_call_the_card_and_the_webhook(
    api_client: httpx.AsyncClient,
    services: Services,
    people: dict[str, LoggedIn],
    contact_id: int,
) -> None:
    services.wrapups.add_hook(CallWebhookEvents(pbx="pbx1").wrapup_closed)
    await define(api_client, people["admin"])
    call_id = await a_call(services, "w1", "sales", "1001")
    agent = people["agent"]
    response = await close(api_client, agent, call_id, wrapup_code="sale", note="Bought 3 licences")
    assert response.status_code == 200, response.text
    closed = response.json()
    assert (closed["call"]["wrapup_code"], closed["call"]["wrapup_label"]) == ("sale", "Sale")
    assert closed["call"]["disposition"] == "answered"  # the telephony outcome stays apart
    assert closed["note"]["body"] == "Bought 3 licences"
    assert closed["callback"] is None
    stored = await api_client.get(f"/api/calls/{call_id}", headers=agent.headers)
    assert stored.json()["wrapup_code"] == "sale"
    card = await api_client.get(
        "/api/lookup", params={"phone": "+421900123456"}, headers=agent.headers
    )
    assert [c["wrapup_label"] for c in card.json()["last_calls"]] == ["Sale"]
    history = await api_client.get(f"/api/contacts/{contact_id}/timeline", headers=agent.headers)
    calls = [item["call"] for item in history.json() if item["kind"] == "call"]
    assert [c["wrapup_code"] for c in calls] == ["sale"]
    # the bridge registering the call again (a late event) keeps the code
    await a_call(services, "w1", "sales", "1001")
    again = await api_client.get(f"/api/calls/{call_id}", headers=agent.headers)
    assert again.json()["wrapup_code"] == "sale"
    async with services.sessions() as session:
        bodies = [
            json.loads(b)
            for b in await session.scalars(
                select(WebhookEvent.body).where(WebhookEvent.type == "call.wrapup")
            )
        ]
    assert len(bodies) == 1
    data = bodies[0]["data"]
    assert data["wrapup_code"] == {"code": "sale", "label": "Sale"}
    assert data["call"]["wrapup_code"] == "sale"
    assert data["note"]["body"] == "Bought 3 licences"
    assert bodies[0]["call_id"] == "pbx1:w1"


async def test_codes_of_another_queue_required_codes_and_other_agents(
    api_client: httpx.AsyncClient,
    services: Services,
    people: dict[str, LoggedIn],
    contact_id: int,
) -> None:
    await define(api_client, people["admin"])
    call_id = await a_call(services, "w2", "sales", "1001")
    agent = people["agent"]
    other_queue = await close(api_client, agent, call_id, wrapup_code="complaint")
    assert field_of(other_queue) == "wrapup_code"
    assert "queue support, not of queue sales" in other_queue.text
    unknown = await close(api_client, agent, call_id, wrapup_code="nonsense")
    assert field_of(unknown) == "wrapup_code"
    assert field_of(await close(api_client, agent, call_id, wrapup_code="Sale!")) == "wrapup_code"
    assert (await close(api_client, agent, call_id)).status_code == 200  # not required yet
    await api_client.put(
        "/api/admin/wrapup/queues/sales",
        json={"code_required": True},
        headers=people["admin"].headers,
    )
    choices = await api_client.get(
        "/api/wrapup-codes", params={"queue": "sales"}, headers=agent.headers
    )
    assert choices.json()["code_required"] is True
    required = await close(api_client, agent, call_id, note="no code")
    assert field_of(required) == "wrapup_code"
    assert "required for calls of queue sales" in required.text
    assert (
        await close(api_client, people["agent2"], call_id, wrapup_code="sale")
    ).status_code == 404
    assert (await close(api_client, agent, 99999, wrapup_code="sale")).status_code == 404
    by_boss = await close(api_client, people["supervisor"], call_id, wrapup_code="information")
    assert by_boss.status_code == 200
    assert by_boss.json()["call"]["wrapup_code"] == "information"  # global codes fit every queue
    async with services.sessions() as session:
        changes = (
            await session.scalars(
                select(AuditEntry.changes).where(
                    AuditEntry.table_name == "calls", AuditEntry.action == "update"
                )
            )
        ).all()
    assert {"wrapup_code": [None, "information"]} in changes


async def test_call_back_later_plans_a_call_back(
    api_client: httpx.AsyncClient,
    services: Services,
    people: dict[str, LoggedIn],
    contact_id: int,
) -> None:
    await define(api_client, people["admin"])
    call_id = await a_call(services, "w3", "support", "1001")
    agent = people["agent"]
    closed = await close(api_client, agent, call_id, wrapup_code="call-back-later")
    assert closed.status_code == 200, closed.text
    callback = closed.json()["callback"]
    due = datetime.fromisoformat(callback["due_at"])
    assert abs(due - (datetime.now(UTC) + timedelta(hours=24))) < timedelta(minutes=2)
    assert (callback["contact_id"], callback["call_id"]) == (contact_id, call_id)
    assert "Call back later" in callback["subject"]
    mine = await api_client.get("/api/callbacks", headers=agent.headers)
    assert [c["id"] for c in mine.json()] == [callback["id"]]


async def test_the_report_counts_codes_per_agent_queue_and_period(
    api_client: httpx.AsyncClient,
    services: Services,
    people: dict[str, LoggedIn],
    contact_id: int,
) -> None:
    await define(api_client, people["admin"])
    day1 = datetime(2024, 3, 4, 9, 0, tzinfo=UTC)
    day2 = datetime(2024, 3, 5, 9, 0, tzinfo=UTC)
    plan = [
        ("r1", "sales", "1001", day1, "sale"),
        ("r2", "sales", "1001", day1, "sale"),
        ("r3", "sales", "1002", day2, "information"),
        ("r4", "support", "1002", day2, "complaint"),
        ("r5", "support", "1001", day2, None),  # answered, no code
    ]
    boss = people["supervisor"]
    for linkedid, queue, extension, started, code in plan:
        call_id = await a_call(services, linkedid, queue, extension, started)
        if code:
            assert (await close(api_client, boss, call_id, wrapup_code=code)).status_code == 200
    await a_call(services, "r6", "sales", "", day1, Disposition.ABANDONED)  # counted nowhere
    period = {"from": "2024-03-04", "to": "2024-03-06"}

    async def report(group: str, **extra: str) -> dict[str, Any]:
        response = await api_client.get(
            "/api/reports/wrapup-codes",
            params={**period, "group": group, **extra},
            headers=boss.headers,
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    agents = await report("agent")
    names = {r["label"]: r for r in agents["rows"]}
    first, second = people["agent"].user.login, people["agent2"].user.login
    assert names[first]["counts"] == {"sale": 2}
    assert names[first]["answered_without_code"] == 1
    assert names[second]["counts"] == {"information": 1, "complaint": 1}
    assert [c["code"] for c in agents["codes"]] == ["sale", "complaint", "information"]
    assert agents["totals"]["coded"] == 4
    queues = {r["key"]: r for r in (await report("queue"))["rows"]}
    assert queues["sales"]["counts"] == {"sale": 2, "information": 1}
    assert queues["support"]["counts"] == {"complaint": 1}
    days = {r["key"]: r for r in (await report("period", bucket="day"))["rows"]}
    assert days["2024-03-04T00:00"]["counts"] == {"sale": 2}
    assert days["2024-03-05T00:00"]["coded"] == 2
    only_sales = await report("agent", queue="sales")
    assert only_sales["totals"]["counts"] == {"sale": 2, "information": 1}
    only_1002 = await report("queue", agent="1002")
    assert only_1002["totals"]["coded"] == 2

    response = await api_client.get(
        "/api/reports/wrapup-codes.csv", params={**period, "group": "queue"}, headers=boss.headers
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == [
        "label",
        "key",
        "Sale",
        "Complaint",
        "Information",
        "coded",
        "answered_without_code",
    ]
    assert rows[1] == ["sales", "sales", "2", "0", "1", "3", "0"]
    assert rows[-1][0] == "Total"

    agent = people["agent"]
    refused = await api_client.get(
        "/api/reports/wrapup-codes", params=period, headers=agent.headers
    )
    assert refused.status_code == 403
    bad_group = await api_client.get(
        "/api/reports/wrapup-codes", params={**period, "group": "x"}, headers=boss.headers
    )
    assert field_of(bad_group) == "group"
    backwards = await api_client.get(
        "/api/reports/wrapup-codes",
        params={"from": "2024-03-06", "to": "2024-03-04"},
        headers=boss.headers,
    )
    assert backwards.status_code == 422
    assert "from" in json.dumps(backwards.json()["detail"])
