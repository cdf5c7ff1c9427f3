"""Scheduled call-backs over the API: create, validation, list by week, reschedule, done, overdue
for staff only, audit."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from crm_core.services import Services
from crm_core.services.dto import PageParams
from tests.crm_core.conftest import SYSTEM, AddContact
from tests.fixtures.db import LoggedIn, LoginAs

pytestmark = pytest.mark.usefixtures("services")


def _at(**delta: float) -> str:
    return (datetime.now(UTC) + timedelta(**delta)).isoformat()


async def _plan(
    api: httpx.AsyncClient, me: LoggedIn, contact_id: int, **fields: Any
) -> httpx.Response:
    body = {"contact_id": contact_id, "subject": "Send the offer", "due_at": _at(hours=2)}
    return await api.post("/api/callbacks", json=body | fields, headers=me.headers)


async def test_an_agent_plans_a_call_back_on_a_card_and_sees_it_with_the_number(
    api_client: httpx.AsyncClient, login_as: LoginAs, add_contact: AddContact
) -> None:
    me = await login_as("agent", extensions=["1001"])
    jana = await add_contact("Jana", "Nováková", "0900 123 456")
    response = await _plan(api_client, me, jana.id, auto_dial=True)
    assert response.status_code == 201, response.text
    created = response.json()
    assert (created["kind"], created["scheduled"], created["auto_dial"]) == ("callback", True, True)
    assert (created["contact_name"], created["phone"]) == ("Jana Nováková", "+421900123456")
    assert created["assignee_id"] == me.user.id
    assert created["notified_at"] is None

    listed = (await api_client.get("/api/callbacks", headers=me.headers)).json()
    assert [item["id"] for item in listed] == [created["id"]]


async def test_past_time_empty_subject_unknown_card_are_refused_clearly(
    api_client: httpx.AsyncClient, login_as: LoginAs, add_contact: AddContact
) -> None:
    me = await login_as("agent")
    jana = await add_contact("Jana", "Nováková", "0900 123 456")
    past = await _plan(api_client, me, jana.id, due_at=_at(hours=-1))
    assert past.status_code == 422
    assert past.json()["detail"][0]["loc"] == ["body", "due_at"]
    assert "past" in past.json()["detail"][0]["msg"]
    assert (await _plan(api_client, me, jana.id, subject="   ")).status_code == 422
    unknown = await _plan(api_client, me, 999_999)
    assert (unknown.status_code, unknown.json()["detail"]) == (404, "contact 999999 not found")
    naive = await _plan(api_client, me, jana.id, due_at="2030-01-01T10:00:00")
    assert naive.status_code == 422


async def test_the_week_lists_call_backs_due_in_it_done_ones_too(
    api_client: httpx.AsyncClient, login_as: LoginAs, add_contact: AddContact
) -> None:
    me = await login_as("agent")
    jana = await add_contact("Jana", "Nováková", "0900 123 456")
    soon = (await _plan(api_client, me, jana.id, due_at=_at(hours=1))).json()
    later = (await _plan(api_client, me, jana.id, due_at=_at(days=10))).json()
    done = await api_client.post(
        f"/api/callbacks/{soon['id']}/done", json={"result": "Agreed"}, headers=me.headers
    )
    assert done.status_code == 200
    assert done.json()["done_at"] is not None
    week = {"start": _at(hours=-1), "end": _at(days=7)}
    listed = (await api_client.get("/api/callbacks", params=week, headers=me.headers)).json()
    assert [item["id"] for item in listed] == [soon["id"]]
    open_ones = (await api_client.get("/api/callbacks", headers=me.headers)).json()
    assert [item["id"] for item in open_ones] == [later["id"]]
    backwards = {"start": _at(days=7), "end": _at(hours=-1)}
    response = await api_client.get("/api/callbacks", params=backwards, headers=me.headers)
    assert response.status_code == 422


async def test_reschedule_is_notified_again_and_done_twice_is_a_conflict(
    api_client: httpx.AsyncClient, login_as: LoginAs, add_contact: AddContact,
    services: Services,
) -> None:  # fmt: skip
    me, other = await login_as("agent"), await login_as("agent")
    jana = await add_contact("Jana", "Nováková", "0900 123 456")
    planned = (await _plan(api_client, me, jana.id)).json()
    await services.due_callbacks.claim_notified(planned["id"], datetime.now(UTC))
    url = f"/api/callbacks/{planned['id']}"
    new_time = _at(days=1)
    moved = await api_client.patch(url, json={"due_at": new_time}, headers=me.headers)
    assert moved.status_code == 200
    assert moved.json()["notified_at"] is None
    assert datetime.fromisoformat(moved.json()["due_at"]) == datetime.fromisoformat(new_time)
    assert (
        await api_client.patch(url, json={"due_at": new_time}, headers=other.headers)
    ).status_code == 404
    past = await api_client.patch(url, json={"due_at": _at(days=-1)}, headers=me.headers)
    assert past.status_code == 422
    assert (await api_client.post(f"{url}/done", json={}, headers=me.headers)).status_code == 200
    assert (await api_client.post(f"{url}/done", json={}, headers=me.headers)).status_code == 409

    page = PageParams(limit=50)
    audit = (await services.audit.list(SYSTEM, page, "tasks", planned["id"])).items
    assert sorted(a.action for a in audit) == ["create", "update", "update"]
    assert {a.actor_login for a in audit} == {me.user.login}


async def test_supervisors_see_overdue_call_backs_of_all_agents_agents_do_not(
    api_client: httpx.AsyncClient, login_as: LoginAs, add_contact: AddContact,
    services: Services,
) -> None:  # fmt: skip
    alice, bob = await login_as("agent"), await login_as("agent")
    boss = await login_as("supervisor")
    jana = await add_contact("Jana", "Nováková", "0900 123 456")
    late = (await _plan(api_client, alice, jana.id, due_at=_at(seconds=1))).json()
    await _plan(api_client, bob, jana.id, due_at=_at(days=1))
    await _make_late(services, late["id"])
    response = await api_client.get("/api/callbacks/overdue", headers=boss.headers)
    assert response.status_code == 200
    assert [(c["id"], c["assignee_login"], c["overdue"]) for c in response.json()] == [
        (late["id"], alice.user.login, True)
    ]
    assert (
        await api_client.get("/api/callbacks/overdue", headers=alice.headers)
    ).status_code == 403


async def _make_late(services: Services, task_id: int) -> None:
    from sqlalchemy import update

    from crm_core.models import Task

    async with services.sessions.begin() as session:
        due = datetime.now(UTC) - timedelta(hours=1)
        await session.execute(update(Task).where(Task.id == task_id).values(due_at=due))
