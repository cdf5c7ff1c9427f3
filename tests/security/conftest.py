"""Helpers for the issue 13 tests: two agents, a card of agent1's with a call and a task."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx
import pytest_asyncio

from crm_core.services import Services
from crm_core.services.dto import Actor, CallRecord
from tests.fixtures.db import LoggedIn, LoginAs

SYSTEM = Actor.system()
PHONE = "+421900123456"


@dataclass(frozen=True)
class AgentsCard:
    agent1: LoggedIn
    agent2: LoggedIn
    contact_id: int
    call_id: int
    task_id: int
    callback_id: int


def answered_call(linkedid: str, extension: str) -> CallRecord:
    started = datetime.now(UTC) - timedelta(minutes=10)
    return CallRecord.model_validate(
        {
            "linkedid": linkedid,
            "direction": "inbound",
            "caller": PHONE,
            "callee": "700",
            "answered_by": extension,
            "started_at": started,
            "answered_at": started + timedelta(seconds=5),
            "ended_at": started + timedelta(seconds=65),
            "talk_seconds": 60,
            "disposition": "answered",
        }
    )


@pytest_asyncio.fixture
async def agents_card(
    api_client: httpx.AsyncClient, login_as: LoginAs, services: Services
) -> AgentsCard:
    agent1 = await login_as("agent", extensions=["1001"])
    agent2 = await login_as("agent", extensions=["1002"])
    body = {"first_name": "Jana", "status": "client", "phones": [{"number": PHONE}]}
    contact = (await api_client.post("/api/contacts", json=body, headers=agent1.headers)).json()
    call = await services.calls.register(SYSTEM, answered_call("sec-1", "1001"))
    task_body = {"subject": "Send the offer", "contact_id": contact["id"]}
    task = await api_client.post("/api/tasks", json=task_body, headers=agent1.headers)
    due = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    callback_body = {"contact_id": contact["id"], "subject": "Ring back", "due_at": due}
    callback = await api_client.post("/api/callbacks", json=callback_body, headers=agent1.headers)
    assert (call.contact_id, call.agent_id) == (contact["id"], agent1.user.id)
    return AgentsCard(
        agent1, agent2, contact["id"], call.id, task.json()["id"], callback.json()["id"]
    )
