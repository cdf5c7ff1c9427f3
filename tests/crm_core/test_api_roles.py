"""Roles over the API: own tasks and calls for agents; audit and users for staff."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from crm_core.services import Services
from tests.crm_core.conftest import SYSTEM, call_record
from tests.fixtures.db import LoginAs

pytestmark = pytest.mark.usefixtures("services")


async def test_an_agent_cannot_see_another_agents_task(
    api_client: httpx.AsyncClient, login_as: LoginAs
) -> None:
    alice, bob = await login_as("agent"), await login_as("agent")
    task = await api_client.post("/api/tasks", json={"subject": "Alice's"}, headers=alice.headers)
    assert task.status_code == 201
    url = f"/api/tasks/{task.json()['id']}"
    assert (await api_client.get(url, headers=bob.headers)).status_code == 404
    assert (
        await api_client.patch(url, json={"done": True}, headers=bob.headers)
    ).status_code == 404
    assert (await api_client.get(url, headers=alice.headers)).status_code == 200


async def test_agents_assign_tasks_to_themselves_only(
    api_client: httpx.AsyncClient, login_as: LoginAs
) -> None:
    alice, bob = await login_as("agent"), await login_as("agent")
    response = await api_client.post(
        "/api/tasks", json={"subject": "x", "assignee_id": bob.user.id}, headers=alice.headers
    )
    assert response.status_code == 403


async def test_my_tasks_today_and_overdue_and_completion(
    api_client: httpx.AsyncClient, login_as: LoginAs
) -> None:
    me = await login_as("agent")
    now = datetime.now(UTC)
    for subject, due in (("late", now - timedelta(days=2)), ("soon", now + timedelta(days=3))):
        await api_client.post(
            "/api/tasks", json={"subject": subject, "due_at": due.isoformat()}, headers=me.headers
        )
    overdue = await api_client.get("/api/tasks", params={"scope": "overdue"}, headers=me.headers)
    assert [task["subject"] for task in overdue.json()["items"]] == ["late"]
    late_id = overdue.json()["items"][0]["id"]
    done = await api_client.patch(
        f"/api/tasks/{late_id}", json={"done": True, "result": "called"}, headers=me.headers
    )
    assert done.json()["done_at"] is not None
    open_tasks = await api_client.get("/api/tasks", headers=me.headers)
    assert [task["subject"] for task in open_tasks.json()["items"]] == ["soon"]


async def test_agents_see_their_calls_supervisors_all(
    api_client: httpx.AsyncClient, login_as: LoginAs, services: Services
) -> None:
    agent = await login_as("agent", extensions=["1001"])
    supervisor = await login_as("supervisor")
    await services.calls.register(
        SYSTEM, call_record("r.1", answered_by="1001", disposition="answered")
    )
    await services.calls.register(SYSTEM, call_record("r.2", disposition="missed"))
    mine = await api_client.get("/api/calls", headers=agent.headers)
    assert [call["linkedid"] for call in mine.json()["items"]] == ["r.1"]
    missed = await api_client.get(
        "/api/calls", params={"disposition": "missed"}, headers=supervisor.headers
    )
    assert [call["linkedid"] for call in missed.json()["items"]] == ["r.2"]
    assert (
        await api_client.get(
            "/api/calls", params={"disposition": "lost"}, headers=supervisor.headers
        )
    ).status_code == 422


@pytest.mark.parametrize(("role", "status"), [("agent", 403), ("supervisor", 200), ("admin", 200)])
async def test_audit_is_for_staff(
    api_client: httpx.AsyncClient, login_as: LoginAs, role: str, status: int
) -> None:
    me = await login_as(role)
    assert (await api_client.get("/api/audit", headers=me.headers)).status_code == status


@pytest.mark.parametrize(("role", "status"), [("agent", 403), ("supervisor", 403), ("admin", 201)])
async def test_only_admins_create_users(
    api_client: httpx.AsyncClient, login_as: LoginAs, role: str, status: int
) -> None:
    me = await login_as(role)
    body = {"login": f"new-{role}", "password": "long-secret-1", "role": "agent",
            "extensions": ["1099"]}  # fmt: skip
    assert (
        await api_client.post("/api/users", json=body, headers=me.headers)
    ).status_code == status


async def test_changes_through_the_api_are_audited_with_the_user(
    api_client: httpx.AsyncClient, login_as: LoginAs
) -> None:
    agent, admin = await login_as("agent"), await login_as("admin")
    contact = await api_client.post(
        "/api/contacts", json={"last_name": "Audited"}, headers=agent.headers
    )
    audit = await api_client.get(
        "/api/audit",
        params={"table": "contacts", "record_id": contact.json()["id"]},
        headers=admin.headers,
    )
    assert [(e["action"], e["actor_login"]) for e in audit.json()["items"]] == [
        ("create", agent.user.login)
    ]
