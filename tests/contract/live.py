"""The app of `cti serve` (no Asterisk) served by uvicorn in a thread with its own event loop.

Tests talk to it over real HTTP and websockets; `LiveApp.reset()` refills the database with the
same people and objects: two agents, a supervisor, an admin, and agent1's contact, company, note,
task, call-back, call, a routing rule and a wrap-up code. Logins stay valid across resets (users
are kept).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import httpx
import uvicorn
from fastapi import FastAPI
from sqlalchemy import text

from crm_core.models import Base
from crm_core.models.enums import Role
from crm_core.services import Services, build_services
from crm_core.services.dto import (
    Actor,
    CallRecord,
    CompanyCreate,
    ContactCreate,
    NoteCreate,
    TaskCreate,
    UserCreate,
)
from crm_core.services.dto.callbacks import CallbackCreate
from crm_core.services.dto.transcripts import KeywordRuleCreate
from crm_core.services.dto.wrapup import WrapupCodeCreate
from crm_core.services.lead_rules import lead_rules_of
from crm_core.services.lead_rules_dto import LeadRuleSpec, QueuePool
from crm_core.services.routing_dto import DidQueue
from crm_core.services.transcript_access import keyword_rules_of
from crm_core.services.webhook_deliveries import Outcome
from crm_core.settings import CrmSettings
from crm_core.webhooks.dto import SubscriptionCreate
from cti.composition import build_app
from cti.settings import BridgeSettings
from tests.fixtures.bridge import free_port

T = TypeVar("T")
PASSWORD = "contract-password"
PEOPLE = {
    "agent": (Role.AGENT, "2001"),
    "agent2": (Role.AGENT, "2002"),
    "supervisor": (Role.SUPERVISOR, "2003"),
    "admin": (Role.ADMIN, "2004"),
}


@dataclass
class LiveApp:
    url: str
    services: Services
    loop: asyncio.AbstractEventLoop
    app: FastAPI
    tokens: dict[str, str] = field(default_factory=dict)
    user_ids: dict[str, int] = field(default_factory=dict)
    ids: dict[str, int] = field(default_factory=dict)
    changed: bool = True

    def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(30)

    def headers(self, who: str) -> dict[str, str]:
        token = self.tokens.get(who)
        return {"Authorization": f"Bearer {token}"} if token else {}

    def reset(self) -> None:
        """Objects afresh; the four people too when one of them no longer signs in as before."""
        if not self._people_intact():
            self.run(_empty(self.services, keep_users=False))
            self.user_ids = self.run(_people(self.services))
            self.tokens = {who: self._login(who) for who in PEOPLE}
        else:
            self.run(_empty(self.services, keep_users=True, users=set(self.user_ids.values())))
        self.ids = self.run(_objects(self.services, self.user_ids))

    def _login(self, who: str) -> str:
        body = {"login": who, "password": PASSWORD}
        response = httpx.post(f"{self.url}/api/auth/login", json=body, timeout=10)
        response.raise_for_status()
        return str(response.json()["access_token"])

    def _people_intact(self) -> bool:
        if set(self.tokens) != set(PEOPLE):
            return False
        for who, (role, extension) in PEOPLE.items():
            me = httpx.get(f"{self.url}/api/auth/me", headers=self.headers(who), timeout=10)
            if me.status_code != 200:
                return False
            user = me.json()
            if (user["role"], user["extensions"], user["active"]) != (role, [extension], True):
                return False
        return True


async def _empty(services: Services, keep_users: bool, users: set[int] | None = None) -> None:
    kept = {"users", "user_extensions"} if keep_users else set()
    async with services.engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            if table.name in kept:
                continue
            await connection.execute(table.delete())
        if keep_users and users:
            listed = ", ".join(str(user_id) for user_id in sorted(users))
            for table in ("user_extensions", "users"):
                column = "user_id" if table == "user_extensions" else "id"
                await connection.execute(
                    text(f"DELETE FROM {table} WHERE {column} NOT IN ({listed})")
                )


async def _people(services: Services) -> dict[str, int]:
    ids = {}
    for who, (role, extension) in PEOPLE.items():
        data = UserCreate(login=who, password=PASSWORD, role=role, extensions=[extension])
        ids[who] = (await services.users.create(Actor.system(), data)).id
    return ids


async def _objects(services: Services, user_ids: dict[str, int]) -> dict[str, int]:
    system = Actor.system()
    agent = Actor(id=user_ids["agent"], login="agent", role=Role.AGENT)
    company = await services.companies.create(
        system, CompanyCreate(name="Acme", owner_id=user_ids["agent"])
    )
    contact = await services.contacts.create(
        system,
        ContactCreate.model_validate(
            {
                "first_name": "Jana",
                "last_name": "Nováková",
                "owner_id": user_ids["agent"],
                "company_id": company.id,
                "phones": [{"number": "+421900123456"}],
            }
        ),
    )
    other = await services.contacts.create(system, ContactCreate(first_name="Peter"))
    note = await services.notes.add(agent, contact.id, NoteCreate(body="Called back"))
    task = await services.tasks.create(agent, TaskCreate(subject="Send the offer"))
    callback = await services.callbacks.schedule(
        agent,
        CallbackCreate(
            contact_id=contact.id, subject="Ring back", due_at=datetime.now(UTC) + timedelta(days=1)
        ),
    )
    started = datetime.now(UTC) - timedelta(minutes=5)
    call = await services.calls.register(
        system,
        CallRecord.model_validate(
            {
                "linkedid": f"contract-{started.timestamp()}",
                "direction": "inbound",
                "caller": "+421900123456",
                "callee": "700",
                "answered_by": "2001",
                "started_at": started,
                "answered_at": started + timedelta(seconds=5),
                "ended_at": started + timedelta(seconds=65),
                "talk_seconds": 60,
                "disposition": "answered",
            }
        ),
    )
    queue = services.routing.known_queues()[0]
    rule = await services.routing.create(system, DidQueue(did="700", queue=queue), None)
    lead_rule = await lead_rules_of(services).create(
        system, LeadRuleSpec(name="Sales", pool=QueuePool(queue=queue), enabled=False)
    )
    webhook, dead_letter = await _webhook_with_a_dead_letter(services)
    code = await services.wrapup_codes.create(
        system, WrapupCodeCreate(code="sale", label="Sale", queue="sales")
    )
    return {
        "company": company.id,
        "contact": contact.id,
        "other_contact": other.id,
        "note": note.id,
        "task": task.id,
        "callback": callback.id,
        "call": call.id,
        "rule": rule.id,
        "lead_rule": lead_rule.id,
        "webhook": webhook,
        "dead_letter": dead_letter,
        "wrapup_code": code.id,
        "keyword_rule": (
            await keyword_rules_of(services).create(system, KeywordRuleCreate(keyword="lawyer"))
        ).id,
    } | {f"user:{who}": user_id for who, user_id in user_ids.items()}


async def _webhook_with_a_dead_letter(services: Services) -> tuple[int, int]:
    """A subscription (to a port nothing listens on) and one delivery given up on."""
    data = SubscriptionCreate(url="http://127.0.0.1:9/hook", events=["contact.created"])
    webhook = await services.webhooks.create(Actor.system(), data)
    await services.webhook_deliveries.dispatch()
    first = (await services.webhook_deliveries.due(datetime.now(UTC), limit=1))[0]
    await services.webhook_deliveries.record([Outcome(first.delivery_id, False, "seeded")])
    return webhook.id, first.delivery_id


@contextmanager
def live_app(crm_settings: CrmSettings) -> Iterator[LiveApp]:
    loop = asyncio.new_event_loop()
    started = threading.Event()
    port = free_port()
    holder: dict[str, Any] = {}

    async def serve() -> None:
        services = build_services(crm_settings)
        holder["services"] = services
        settings = BridgeSettings(ingest=False, sandbox=False, bus_url="memory://")
        app = build_app(crm_settings, settings, services=services)
        holder["app"] = app
        config = uvicorn.Config(
            app, host="127.0.0.1", port=port, log_level="warning", ws="websockets-sansio"
        )
        server = uvicorn.Server(config)
        holder["server"] = server
        task = asyncio.create_task(server.serve())
        while not server.started and not task.done():  # noqa: ASYNC110 uvicorn has no event
            await asyncio.sleep(0.02)
        started.set()
        await task
        await services.dispose()

    thread = threading.Thread(target=lambda: loop.run_until_complete(serve()), daemon=True)
    thread.start()
    if not started.wait(20) or not holder["server"].started:
        raise RuntimeError("the contract test server did not start")
    app = LiveApp(f"http://127.0.0.1:{port}", holder["services"], loop, holder["app"])
    try:
        app.reset()
        yield app
    finally:
        holder["server"].should_exit = True
        thread.join(20)
        loop.close()
