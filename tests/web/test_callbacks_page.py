"""Scheduled call-backs and agent state on the agent's page, in Chromium against the bridge's app
(no Asterisk: the scheduler is ticked by the test, click-to-call is answered by a route stub, agent
states are pushed on the bus as the bridge would). Saves docs/callbacks.png."""

from __future__ import annotations

import asyncio
import json
import re
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Page, Route, expect
from sqlalchemy import update

from crm_core.models import Task
from crm_core.models.enums import Role
from crm_core.services import Services
from crm_core.services.dto import Actor, CallFilter, UserCreate
from crm_core.services.dto.callbacks import CallbackCreate, CallbackOut
from cti.bus.base import agent_topic
from tests.fixtures.browser import WEB_DB, BridgeServer
from tests.web.test_screenpop_page import Phone, new_call, pop_of, sign_in

pytestmark = [pytest.mark.browser, WEB_DB]
SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "callbacks.png"
JANA = "+421900123456"


def anna(server: BridgeServer) -> Actor:
    return Actor(id=server.agent.id, login=server.agent.login, role=server.agent.role)


async def plan(server: BridgeServer, subject: str, due: datetime, **fields: Any) -> CallbackOut:
    data = CallbackCreate(
        contact_id=server.contacts[fields.pop("who", "jana")].id, subject=subject,
        due_at=max(due, datetime.now(UTC) + timedelta(seconds=1)), **fields,
    )  # fmt: skip
    planned = await server.services.callbacks.schedule(anna(server), data)
    if due < datetime.now(UTC):  # the API refuses the past: age it in the database
        async with server.services.sessions.begin() as session:
            await session.execute(update(Task).where(Task.id == planned.id).values(due_at=due))
    return planned


async def stub_dial(page: Page) -> list[dict[str, Any]]:
    """Answer POST /api/agents/me/calls as the bridge does (202), keeping the bodies."""
    sent: list[dict[str, Any]] = []

    async def answer(route: Route) -> None:
        sent.append(json.loads(route.request.post_data or "{}"))
        body = {"extension": "1001", "number": sent[-1]["number"], "display_name": "Jana Nováková"}
        await route.fulfill(status=202, json=body)

    await page.route("**/api/agents/me/calls", answer)
    return sent


async def test_create_call_on_a_card_plans_a_call_back_and_refuses_the_past(
    page: Page, bridge_server: BridgeServer
) -> None:
    await sign_in(page, bridge_server.url, bridge_server)
    jana = bridge_server.contacts["jana"]
    await page.goto(f"{bridge_server.url}/#/contacts/{jana.id}")
    await page.get_by_role("button", name="Create call").click()
    form = page.get_by_role("form", name="Plan a call-back")
    yesterday = (datetime.now() - timedelta(days=1)).date().isoformat()
    await form.get_by_label("Date").fill(yesterday)
    await form.get_by_role("button", name="Plan the call").click()
    await expect(form.locator('[data-field="due_date"] .field-error')).to_contain_text("past")

    tomorrow = (datetime.now() + timedelta(days=1)).date()
    await form.get_by_label("Date").fill(tomorrow.isoformat())
    await form.get_by_label("Time").fill("10:30")
    await form.get_by_label("Subject").fill("Send the contract")
    await form.get_by_label("Auto-dial: ring my phone when due and I am free").check()
    await form.get_by_role("button", name="Plan the call").click()
    await expect(page.get_by_role("status").filter(has_text="Call-back planned")).to_contain_text(
        "Send the contract"
    )
    [planned] = [c for c in await bridge_server.services.callbacks.mine(anna(bridge_server))
                 if c.scheduled]  # fmt: skip
    assert (planned.subject, planned.auto_dial, planned.contact_id) == (
        "Send the contract", True, jana.id,
    )  # fmt: skip
    assert planned.due_at is not None
    assert planned.due_at.astimezone(UTC).replace(tzinfo=None) == datetime(
        tomorrow.year, tomorrow.month, tomorrow.day, 10, 30
    )  # the browser runs in UTC (tests/fixtures/browser.py)


async def test_list_and_week_highlight_overdue_and_one_click_dials(
    page: Page, bridge_server: BridgeServer
) -> None:
    now = datetime.now(UTC)
    late = await plan(bridge_server, "Confirm the delivery", now - timedelta(hours=2))
    soon = await plan(bridge_server, "Send the offer", now + timedelta(minutes=50), auto_dial=True)
    sent = await stub_dial(page)
    await sign_in(page, bridge_server.url, bridge_server)
    await page.get_by_role("link", name="Call-backs").click()

    rows = page.get_by_test_id("callback-row")
    late_row = rows.and_(page.locator(f'[data-callback-id="{late.id}"]'))
    await expect(late_row).to_have_attribute("data-overdue", "true")
    await expect(late_row.get_by_text("Overdue")).to_be_visible()
    soon_row = rows.and_(page.locator(f'[data-callback-id="{soon.id}"]'))
    await expect(soon_row).to_have_attribute("data-overdue", "false")
    await expect(soon_row.get_by_text("Auto-dial")).to_be_visible()

    calendar = page.get_by_role("region", name="Call-backs this week")
    late_entry = calendar.locator(f'[data-callback-id="{late.id}"]')
    await expect(late_entry).to_have_attribute("data-state", "overdue")
    await expect(calendar.locator(f'[data-callback-id="{soon.id}"]')).to_have_attribute(
        "data-state", "planned"
    )
    due_now = await plan(bridge_server, "Agree the price for May", now, who="peter")
    await asyncio.sleep(1.2)
    assert bridge_server.bridge is not None
    await bridge_server.bridge.agent_page.scheduler.tick()
    notices = page.get_by_test_id("callback-due")
    await expect(notices.filter(has_text="Peter Kováč")).to_have_count(1)
    await expect(notices.filter(has_text="Confirm the delivery")).to_have_count(1)
    await expect(calendar.locator(f'[data-callback-id="{due_now.id}"]')).to_be_visible()
    await page.screenshot(path=str(SCREENSHOT), animations="disabled")

    await late_row.get_by_role("button", name="Call Jana Nováková").click()
    await expect(page.get_by_role("status").filter(has_text="Calling Jana")).to_be_visible()
    assert sent == [{"number": JANA}]

    await late_row.get_by_role("button", name="Done: Confirm the delivery").click()
    await expect(late_row).to_have_count(0)
    await expect(late_entry).to_have_attribute("data-state", "done")
    open_ids = [c.id for c in await bridge_server.services.callbacks.mine(anna(bridge_server))]
    assert late.id not in open_ids

    await soon_row.get_by_role("button", name="Move: Send the offer").click()
    move = soon_row.get_by_role("form", name="Move: Send the offer")
    tomorrow = (datetime.now() + timedelta(days=1)).date()
    await move.get_by_label("New date").fill(tomorrow.isoformat())
    await move.get_by_label("New time").fill("09:15")
    await move.get_by_role("button", name="Save the new time").click()
    await expect(soon_row.locator("time")).to_contain_text("09:15")
    moved = next(c for c in await bridge_server.services.callbacks.mine(anna(bridge_server))
                 if c.id == soon.id)  # fmt: skip
    assert moved.due_at is not None
    assert (moved.due_at.astimezone(UTC).date(), moved.due_at.astimezone(UTC).hour) == (tomorrow, 9)


async def test_a_due_call_back_is_notified_once_and_dials_in_one_click(
    page: Page, bridge_server: BridgeServer
) -> None:
    sent = await stub_dial(page)
    await sign_in(page, bridge_server.url, bridge_server)
    await plan(bridge_server, "Ask about the March order", datetime.now(UTC))
    await asyncio.sleep(1.2)
    assert bridge_server.bridge is not None
    scheduler = bridge_server.bridge.agent_page.scheduler
    await scheduler.tick()
    notice = page.get_by_test_id("callback-due")
    await expect(notice).to_have_count(1)
    await expect(notice).to_contain_text("Ask about the March order")
    await expect(notice).to_contain_text(JANA)
    await scheduler.tick()
    await page.wait_for_timeout(300)
    await expect(notice).to_have_count(1)
    # A reload (or a bridge restart) gets it back from the server, once.
    await page.reload()
    await expect(page.get_by_test_id("live-status")).to_have_text("Live")
    await expect(notice).to_have_count(1)
    await notice.get_by_role("button", name="Call Jana Nováková").click()
    await expect(notice).to_have_count(0)
    assert sent == [{"number": JANA}]
    assert scheduler.notified == 1
    await page.reload()  # dialled here: not offered again in this tab
    await expect(page.get_by_test_id("live-status")).to_have_text("Live")
    await page.wait_for_timeout(500)
    await expect(notice).to_have_count(0)


async def test_a_call_back_notified_while_the_page_was_closed_is_shown_when_it_opens(
    page: Page, bridge_server: BridgeServer
) -> None:
    planned = await plan(bridge_server, "Missed while away", datetime.now(UTC))
    await asyncio.sleep(1.2)
    assert bridge_server.bridge is not None
    await bridge_server.bridge.agent_page.scheduler.tick()  # nobody listens yet
    await sign_in(page, bridge_server.url, bridge_server)
    await expect(page.get_by_test_id("callback-due")).to_contain_text("Missed while away")
    stored = await bridge_server.services.callbacks.mine(anna(bridge_server))
    assert next(c for c in stored if c.id == planned.id).notified_at is not None


async def test_agent_state_pushed_by_the_bridge_shows_pause_and_wrap_up_countdown(
    page: Page, bridge_server: BridgeServer
) -> None:
    await sign_in(page, bridge_server.url, bridge_server)
    status = page.get_by_test_id("agent-status")
    await expect(status).to_have_text("Logged out")
    assert bridge_server.bridge is not None
    bus = bridge_server.bridge.bus

    async def push(**changes: Any) -> None:
        state = {
            "extension": "1001", "interface": "PJSIP/1001", "on_call": False, "ringing": False,
            "queues": [{"queue": "sales", "paused": False, "pause_reason": "",
                        "status": "1", "membership": "dynamic"}],
            "pause_reasons": ["lunch", "training"], "available_queues": ["sales", "support"],
            "wrapup_until": 0,
        }  # fmt: skip
        await bus.publish(agent_topic("1001"), {"type": "agent_state", **state, **changes})

    await push()
    await expect(status).to_have_text("Available · sales")
    await push(wrapup_until=time.time() + 6)
    await expect(status).to_have_text(re.compile(r"^Wrap-up [56] s$"))  # a tick may pass first
    await expect(status).to_have_text("Wrap-up 4 s", timeout=4000)
    paused = [{"queue": "sales", "paused": True, "pause_reason": "lunch", "status": "1",
               "membership": "dynamic"}]  # fmt: skip
    await push(queues=paused)
    await expect(status).to_have_text("Paused: lunch")
    await status.click()
    await expect(page.get_by_role("button", name="Resume")).to_be_visible()
    await expect(page.get_by_role("button", name="Log in to support")).to_be_visible()


async def test_supervisors_see_every_agents_overdue_call_backs(
    page: Page, bridge_server: BridgeServer
) -> None:
    await plan(bridge_server, "Overdue for the boss", datetime.now(UTC) - timedelta(hours=3))
    services: Services = bridge_server.services
    await services.users.create(
        Actor.system(), UserCreate(login="boss", password="boss-secret-1", role=Role.SUPERVISOR)
    )
    await page.goto(bridge_server.url)
    await page.get_by_label("Login").fill("boss")
    await page.get_by_label("Password").fill("boss-secret-1")
    await page.get_by_role("button", name="Sign in").click()
    await page.get_by_role("link", name="Live queues").click()
    panel = page.get_by_test_id("overdue-callbacks")
    row = panel.get_by_test_id("overdue-row")
    await expect(row).to_have_count(1)
    await expect(row).to_contain_text("anna")
    await expect(row).to_contain_text("Overdue for the boss")


async def test_the_wrap_up_plans_a_scheduled_call_back_tied_to_the_call(
    page: Page, bridge_server: BridgeServer
) -> None:
    await sign_in(page, bridge_server.url, bridge_server)
    phone = Phone(bridge_server, new_call())
    await phone.ring("1001")
    await phone.answer("1001")
    await phone.end(talk=40)
    pop = pop_of(page, phone.call)
    wrap_up = pop.get_by_role("form", name="Wrap-up")
    await wrap_up.get_by_label("Type").select_option("callback")
    tomorrow = (datetime.now() + timedelta(days=1)).date()
    await wrap_up.get_by_label("Date").fill(tomorrow.isoformat())
    await wrap_up.get_by_label("Time").fill("11:45")
    await wrap_up.get_by_label("Subject").fill("Confirm the pallets")
    await wrap_up.get_by_label("Auto-dial: ring my phone when due and I am free").check()
    await wrap_up.get_by_role("button", name="Save and close").click()
    await expect(pop).to_have_count(0)

    services = bridge_server.services
    jana = bridge_server.contacts["jana"]
    calls = (await services.calls.list(Actor.system(), CallFilter(contact_id=jana.id))).items
    call_id = next(c.id for c in calls if c.linkedid == phone.call.linkedid)
    [planned] = [c for c in await services.callbacks.mine(anna(bridge_server)) if c.scheduled]
    assert (planned.subject, planned.auto_dial, planned.call_id) == (
        "Confirm the pallets", True, call_id,
    )  # fmt: skip
    assert planned.due_at is not None
    assert planned.due_at.astimezone(UTC).hour == 11
