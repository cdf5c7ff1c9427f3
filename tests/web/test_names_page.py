"""One name for one person (issue 20): the CRM user's display name with the extension on the
agent page, a card's history, the supervisor page, the wallboard and the reports; a queue member
no user holds is shown by its interface, marked unknown. Chromium against the bridge's app."""

from __future__ import annotations

import time

import pytest
from playwright.async_api import Page, expect

from tests.fixtures.browser import WEB_DB, BridgeServer
from tests.web.test_screenpop_page import sign_in
from tests.web.test_supervisor_page import member, push, seed_calls, sign_in_as_supervisor

pytestmark = [pytest.mark.browser, WEB_DB]
ANNA = "Anna Horváthová"  # the CRM user on 1001 (seed_demo); queues.conf-style name below


async def test_the_agent_page_and_the_card_name_the_crm_user(
    page: Page, bridge_server: BridgeServer
) -> None:
    await sign_in(page, bridge_server.url, bridge_server)
    await expect(page.get_by_test_id("current-user")).to_have_text(ANNA)
    await expect(page.get_by_text("agent · ext. 1001")).to_be_visible()
    jana = bridge_server.contacts["jana"]
    await page.goto(f"{bridge_server.url}/#/contacts/{jana.id}")
    await expect(page.locator('[data-field="owner"]')).to_have_text(ANNA)  # a name, not a login
    timeline = page.locator(".timeline")
    await expect(timeline).to_contain_text(f"answered by {ANNA} (ext. 1001)")


async def test_supervisor_wallboard_and_reports_use_the_same_name(
    page: Page, bridge_server: BridgeServer
) -> None:
    now = time.time()
    # Asterisk's own names differ (queues.conf): the CRM's wins; 1009 is held by no user.
    await push(
        bridge_server,
        member("sales", "1001", now - 60, "Alice Agent"),
        member("sales", "1009", now - 60, "Temp Agent"),
    )
    await seed_calls(bridge_server)
    await sign_in_as_supervisor(page, bridge_server, "supervisor")
    agents = page.get_by_test_id("agent-table")
    anna = agents.locator('tr[data-row="1001"] td[data-col="name"]')
    await expect(anna).to_have_text(f"{ANNA} ext. 1001")
    stranger = agents.locator('tr[data-row="1009"] td[data-col="name"]')
    await expect(stranger).to_have_text("PJSIP/1009 unknown")
    await expect(stranger.locator(".agent-name")).to_have_attribute(
        "title", 'No CRM user has extension 1009; Asterisk calls it "Temp Agent"'
    )
    await expect(page.get_by_text("Alice Agent")).to_have_count(0)

    await page.goto(f"{bridge_server.url}/#/wallboard")
    await expect(page.get_by_test_id("wb-agent-1001")).to_contain_text(f"{ANNA} ext. 1001")
    await expect(page.get_by_test_id("wb-agent-1009")).to_contain_text("PJSIP/1009 unknown")

    await page.goto(f"{bridge_server.url}/#/reports")
    report = page.get_by_test_id("report-agents")
    await expect(report.locator('tr[data-row="1001"]')).to_contain_text(f"{ANNA} ext. 1001")
