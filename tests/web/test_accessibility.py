"""axe-core on every page of the agent's and the supervisor's screens (issue 20): sign-in,
search, card, a pop ringing and in wrap-up, call-backs, supervisor, wallboard, reports. No
serious or critical violation. The pages run in Chromium against the bridge's app (no Asterisk)."""

from __future__ import annotations

import time

import pytest
from playwright.async_api import Page, expect

from tests.fixtures.browser import WEB_DB, BridgeServer
from tests.web.axe import assert_accessible
from tests.web.test_screenpop_page import Phone, new_call, pop_of, sign_in
from tests.web.test_supervisor_page import floor, push, seed_calls, sign_in_as_supervisor

pytestmark = [pytest.mark.browser, WEB_DB]


async def test_the_agents_pages_pass_axe(page: Page, bridge_server: BridgeServer) -> None:
    await page.goto(bridge_server.url)
    await expect(page.get_by_label("Login")).to_be_visible()
    await assert_accessible(page, "the sign-in page")

    await sign_in(page, bridge_server.url, bridge_server)
    await page.get_by_label("Find a contact").fill("Nov")
    await expect(page.locator("#search-results li").first).to_be_visible()
    await assert_accessible(page, "the search")

    jana = bridge_server.contacts["jana"]
    await page.goto(f"{bridge_server.url}/#/contacts/{jana.id}")
    await expect(page.get_by_role("heading", level=2, name="Jana Nováková")).to_be_visible()
    await expect(page.locator(".timeline")).to_contain_text("answered")
    await assert_accessible(page, "the card")

    phone = Phone(bridge_server, new_call())
    await phone.ring("1001")
    pop = pop_of(page, phone.call)
    await expect(pop).to_have_attribute("data-phase", "ringing")
    await assert_accessible(page, "the ringing pop")
    await pop.get_by_role("button", name="Collapse the call with Jana Nováková").click()
    await assert_accessible(page, "the collapsed pop")
    await pop.get_by_role("button", name="Expand the call with Jana Nováková").click()
    await phone.answer("1001")
    await phone.end(talk=40)
    await expect(pop.get_by_role("form", name="Wrap-up")).to_be_visible()
    await assert_accessible(page, "the pop in wrap-up")

    await page.get_by_role("link", name="Call-backs").click()
    await expect(page.get_by_role("region", name="Call-backs this week")).to_be_visible()
    await assert_accessible(page, "the call-backs page")


@pytest.mark.parametrize("route", ["supervisor", "wallboard", "reports"])
async def test_the_supervisors_pages_pass_axe(
    page: Page, bridge_server: BridgeServer, route: str
) -> None:
    await push(bridge_server, *floor(time.time()))
    if route == "reports":
        await seed_calls(bridge_server)
    await sign_in_as_supervisor(page, bridge_server, route)
    if route == "supervisor":
        await expect(page.get_by_test_id("agent-table").locator("tbody tr")).to_have_count(6)
    elif route == "wallboard":
        await expect(page.get_by_test_id("wb-waiting")).to_be_visible()
    else:
        await expect(page.get_by_test_id("chart-agents").locator("svg rect").first).to_be_visible()
    await assert_accessible(page, f"#/{route}")
