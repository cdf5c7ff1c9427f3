"""Every page fits and stays legible at 1366x768 (a common agent laptop) and 1920x1080, the
wallboard also at 3840x2160 (a TV): no sideways scrolling, no text under 12 px, and a wallboard
figure never wraps inside its tile ("100 %" on one line). Chromium against the bridge's app."""

from __future__ import annotations

import re
import time

import pytest
from playwright.async_api import Page, ViewportSize, expect

from tests.fixtures.browser import WEB_DB, BridgeServer
from tests.stats.helpers import complete, connect, join, leave
from tests.web.test_screenpop_page import Phone, new_call, pop_of, sign_in
from tests.web.test_supervisor_page import floor, member, push, seed_calls, sign_in_as_supervisor
from tests.web.test_wrapup_codes_page import a_finished_call, define_codes

pytestmark = [pytest.mark.browser, WEB_DB]
LAPTOP: ViewportSize = {"width": 1366, "height": 768}
DESKTOP: ViewportSize = {"width": 1920, "height": 1080}
TV: ViewportSize = {"width": 3840, "height": 2160}

FIT = """() => {
  const root = document.scrollingElement;
  const small = [];
  for (const el of document.querySelectorAll("body *")) {
    if (!el.checkVisibility() || el.closest(".visually-hidden")) continue;
    const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (own && size < 12) small.push(`${el.className || el.tagName}: ${size}px`);
  }
  return {overflow: root.scrollWidth - root.clientWidth, small: small.slice(0, 5)};
}"""


async def assert_fits(page: Page, where: str) -> None:
    await page.wait_for_timeout(250)  # layout after the resize
    found = await page.evaluate(FIT)
    assert found["overflow"] <= 0, f"{where}: {found['overflow']} px wider than the window"
    assert not found["small"], f"{where}: text under 12 px: {found['small']}"


async def test_the_agents_pages_fit_a_laptop_and_a_desktop(
    page: Page, bridge_server: BridgeServer
) -> None:
    await sign_in(page, bridge_server.url, bridge_server)
    jana = bridge_server.contacts["jana"]
    phone = Phone(bridge_server, new_call())
    await phone.ring("1001")
    routes = {"search": "", "card": f"contacts/{jana.id}", "call-backs": "callbacks"}
    for size in (LAPTOP, DESKTOP):
        await page.set_viewport_size(size)
        for name, route in routes.items():
            await page.goto(f"{bridge_server.url}/#/{route}")
            await expect(page.get_by_test_id("pop")).to_be_visible()
            await assert_fits(page, f"{name} with a ringing pop at {size}")
        await page.get_by_role("button", name=re.compile("^Collapse the call")).click()
        await assert_fits(page, f"collapsed pop at {size}")
        await page.get_by_role("button", name=re.compile("^Expand the call")).click()


@pytest.mark.parametrize("route", ["supervisor", "reports"])
async def test_the_supervisors_pages_fit(
    page: Page, bridge_server: BridgeServer, route: str
) -> None:
    await push(bridge_server, *floor(time.time()))
    await seed_calls(bridge_server)
    await sign_in_as_supervisor(page, bridge_server, route)
    await expect(page.locator(".data-table").first).to_be_visible()
    for size in (LAPTOP, DESKTOP):
        await page.set_viewport_size(size)
        await assert_fits(page, f"#/{route} at {size}")


async def test_wallboard_figures_never_wrap_from_a_laptop_to_a_tv(
    page: Page, bridge_server: BridgeServer
) -> None:
    now = time.time()
    answered = [
        join("sales", "a-1", now - 60),
        leave("sales", "a-1", now - 55),
        connect("sales", "a-1", "1001", now - 55),
        complete("sales", "a-1", "1001", now - 9, 40),
    ]
    await push(bridge_server, member("sales", "1001", now - 600, "Anna"), *answered)
    await sign_in_as_supervisor(page, bridge_server, "wallboard")
    service_level = page.get_by_test_id("wb-sl").locator(".wb-value")
    await expect(service_level).to_have_text("100\u00a0%")
    for size in (LAPTOP, DESKTOP, TV):
        await page.set_viewport_size(size)
        await assert_fits(page, f"the wallboard at {size}")
        # one line: as tall as one line of its own font (line-height 1), and nothing clipped
        lines = await page.evaluate(
            """() => [...document.querySelectorAll('.wb-value')].map((v) => [
                 v.textContent,
                 v.getBoundingClientRect().height / parseFloat(getComputedStyle(v).fontSize),
                 v.scrollWidth <= v.clientWidth + 1,
               ])"""
        )
        assert all(ratio < 1.5 and inside for _t, ratio, inside in lines), (size, lines)
        height = await page.evaluate("document.scrollingElement.scrollHeight")
        assert height <= size["height"], (size, height)  # the whole board on one screen


WRAPUP_FITS = """() => {
  const body = document.querySelector('[data-testid=pop] .pop-body');
  const form = body.querySelector('form');
  const wider = [...form.querySelectorAll('*')].filter((el) => el.checkVisibility())
    .map((el) => [el.className || el.tagName, Math.round(el.getBoundingClientRect().right
      - body.getBoundingClientRect().right)])
    .filter(([, past]) => past > 0);
  return {sideways: body.scrollWidth - body.clientWidth, wider: wider.slice(0, 5)};
}"""


async def test_the_wrap_up_fits_its_pop_from_a_laptop_to_a_desktop(
    page: Page, bridge_server: BridgeServer
) -> None:
    await define_codes(bridge_server)
    await sign_in(page, bridge_server.url, bridge_server)
    for size in (LAPTOP, {"width": 1440, "height": 900}, DESKTOP):
        await page.set_viewport_size(size)
        phone = await a_finished_call(page, bridge_server)
        pop = pop_of(page, phone.call)
        await expect(pop.get_by_role("form", name="Wrap-up")).to_be_visible()
        await assert_fits(page, f"the wrap-up at {size}")
        found = await page.evaluate(WRAPUP_FITS)
        assert found == {"sideways": 0, "wider": []}, f"the wrap-up at {size}: {found}"
        await (
            pop.get_by_role("form", name="Wrap-up")
            .get_by_label("Wrap-up code")
            .select_option("sale")
        )
        await pop.get_by_role("button", name="Save and close").click()
        await expect(pop).to_have_count(0)
