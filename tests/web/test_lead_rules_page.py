"""Lead distribution (#/leads, issue 17) in Chromium against the bridge's app.

An admin adds a round-robin rule for queue sales on the page (a team naming nobody is refused,
the page says why by the field); reps' queue states are what the bridge recorded (Petr paused).
New leads get owners in turn, the page lists each with the reason, a supervisor selects two and
gives them to another rep, and the card says why it has its owner. An agent gets no link.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.async_api import Page, expect

from crm_core.models.enums import Role
from crm_core.services import Services
from crm_core.services.dto import Actor, ContactCreate, PhoneIn, UserCreate, UserOut
from crm_core.services.dto.agent_events import AgentEventIn, AgentEventKind
from crm_core.services.lead_rules import lead_rules_of
from tests.fixtures.browser import WEB_DB, BridgeServer
from tests.web.axe import assert_accessible

pytestmark = [pytest.mark.browser, WEB_DB]

SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "lead-rules.png"
SYSTEM = Actor.system()
PASSWORD = "lead-rules-secret-1"


async def _user(services: Services, login: str, name: str, role: Role, ext: str) -> UserOut:
    data = UserCreate(login=login, password=PASSWORD, role=role, display_name=name,
                      extensions=[ext] if ext else [])  # fmt: skip
    return await services.users.create(SYSTEM, data)


async def _states(services: Services, ready: list[str], paused: list[str]) -> None:
    at = datetime.now(UTC) - timedelta(minutes=5)
    events = [AgentEventIn(extension=e, queue="sales", kind=AgentEventKind.LOGIN, at=at)
              for e in ready + paused]  # fmt: skip
    later = at + timedelta(seconds=9)
    events += [AgentEventIn(extension=e, queue="sales", kind=AgentEventKind.PAUSE,
                            reason="lunch", at=later) for e in paused]  # fmt: skip
    await services.agent_events.record_many(events)


async def sign_in(page: Page, url: str, login: str, password: str) -> None:
    await page.goto(url)
    await page.get_by_label("Login").fill(login)
    await page.get_by_label("Password").fill(password)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_test_id("current-user")).to_be_visible()


async def test_rules_made_on_the_page_place_leads_and_a_supervisor_reassigns(
    page: Page, bridge_server: BridgeServer
) -> None:
    services = bridge_server.services
    await _user(services, "ada", "Ada Admin", Role.ADMIN, "")
    await _user(services, "sam", "Sam Supervisor", Role.SUPERVISOR, "")
    await _user(services, "eva", "Eva Malá", Role.AGENT, "1011")
    await _user(services, "petr", "Petr Dlhý", Role.AGENT, "1012")
    await _user(services, "jana", "Jana Krátka", Role.AGENT, "1013")
    await _states(services, ready=["1011", "1013"], paused=["1012"])

    await sign_in(page, bridge_server.url, "ada", PASSWORD)
    await page.locator(".nav-more > summary").click()  # the top bar's "More" menu
    await page.get_by_role("link", name="Leads").click()
    await expect(page.get_by_role("heading", name="Lead distribution")).to_be_visible()
    await expect(page.get_by_test_id("lead-rules-empty")).to_be_visible()

    form = page.locator("form.lead-form")
    await form.get_by_label("Name").fill("VIP team")
    await form.get_by_label("Hand leads to").select_option("team")
    await form.get_by_label("Team").fill("eva, nobody")
    await form.get_by_role("button", name="Add rule").click()
    await expect(form.get_by_role("alert")).to_contain_text(
        "pool.members: No active user with login 'nobody'."
    )
    await expect(form.get_by_label("Team")).to_have_attribute("aria-invalid", "true")

    await form.get_by_label("Name").fill("Sales round-robin")
    await form.get_by_label("Hand leads to").select_option("queue")
    await form.get_by_label("Queue").select_option("sales")
    await form.get_by_label("Caller's country").fill("SK")
    await form.get_by_label("Daily cap per rep").fill("5")
    await form.get_by_role("button", name="Add rule").click()
    rules = page.get_by_test_id("lead-rule")
    await expect(rules).to_have_count(1)
    await expect(rules.first).to_contain_text("country SK")
    await expect(rules.first).to_contain_text(
        "round-robin among members of queue sales, at most 5 a day each"
    )

    for n in range(4):
        data = ContactCreate(last_name=f"Lead {n + 1}", phones=[PhoneIn(number=f"+42190566600{n}")])
        await services.contacts.create(SYSTEM, data)
    await page.reload()
    leads = page.get_by_test_id("lead")
    await expect(leads).to_have_count(5)  # and the seeded lead
    newest = leads.first  # Lead 4: Jana's 2nd, Petr skipped
    await expect(newest.locator("[data-field=owner]")).to_have_text("Jana Krátka")
    await expect(newest.locator("[data-field=reason]")).to_have_text(
        "assigned to Jana Krátka by rule 'Sales round-robin': round-robin in queue sales,"
        " 2nd of 5 today; skipped Petr Dlhý (paused)"
    )
    await expect(leads.nth(3).locator("[data-field=owner]")).to_have_text("Eva Malá")
    await page.screenshot(path=str(SCREENSHOT), animations="disabled", full_page=True)
    await assert_accessible(page, "lead distribution (admin)")

    off = rules.first.get_by_role("checkbox", name="Rule Sales round-robin on")
    await off.click()
    await expect(rules.first).to_have_attribute("data-enabled", "false")
    rule_list = await lead_rules_of(services).list_rules(SYSTEM)
    assert rule_list[0].rule.enabled is False

    await page.get_by_role("button", name="Log out").click()
    await expect(page.get_by_label("Login")).to_be_visible()
    await sign_in(page, bridge_server.url, "sam", PASSWORD)
    await page.goto(f"{bridge_server.url}/#/leads")
    await expect(page.locator("form.lead-form")).to_have_count(0)  # supervisors do not edit rules
    await leads.nth(0).get_by_role("checkbox").check()
    await leads.nth(1).get_by_role("checkbox").check()
    await page.get_by_label("New owner").select_option(label="Petr Dlhý")
    await page.get_by_role("button", name="Reassign 2 selected").click()
    await expect(page.get_by_test_id("lead-status")).to_have_text("2 leads now with Petr Dlhý.")
    await expect(leads.nth(0).locator("[data-field=reason]")).to_have_text(
        "reassigned to Petr Dlhý by sam (supervisor)"
    )
    await assert_accessible(page, "lead distribution (supervisor)")

    await leads.nth(3).get_by_role("link").click()
    await expect(page.locator("[data-field=assignment]")).to_have_text(
        "assigned to Eva Malá by rule 'Sales round-robin':"
        " round-robin in queue sales, 1st of 5 today"
    )


async def test_an_agent_gets_no_link_and_a_refusal(page: Page, bridge_server: BridgeServer) -> None:
    await sign_in(page, bridge_server.url, bridge_server.agent.login, bridge_server.password)
    await expect(page.get_by_role("link", name="Call-backs")).to_be_visible()
    await expect(page.get_by_role("link", name="Leads")).to_have_count(0)
    await page.goto(f"{bridge_server.url}/#/leads")
    await expect(page.get_by_role("alert")).to_have_text("This page is for supervisors and admins.")
