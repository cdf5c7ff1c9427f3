"""The staff's top bar on a laptop (issue 17): at 1366 and 1440 px wide an admin's links fit
without scrolling, in English and in Slovak; the pages used less often are in a "More" menu
that opens, takes the user there, marks itself as holding the current page and closes (a link,
Escape, a click elsewhere). axe with the menu open. Chromium against the bridge's app."""

from __future__ import annotations

import pytest
from playwright.async_api import Browser, Page, ViewportSize, expect

from crm_core.models.enums import Role
from crm_core.services.dto import Actor, UserCreate
from tests.fixtures.browser import WEB_DB, BridgeServer
from tests.web.axe import assert_accessible

pytestmark = [pytest.mark.browser, WEB_DB]
SIZES: list[ViewportSize] = [{"width": 1366, "height": 768}, {"width": 1440, "height": 900}]
PASSWORD = "top-bar-secret-1"
WORDS = {
    "en": ("Login", "Password", "Sign in", "Live queues", "Leads", "Lead distribution"),
    "sk": ("Prihlasovacie meno", "Heslo", "Prihlásiť sa", "Živé fronty", "Záujemcovia",
           "Rozdeľovanie záujemcov"),
}  # fmt: skip
FITS = """() => {
  const nav = document.querySelector(".staff-nav");
  const links = [...nav.querySelectorAll(":scope > .nav-link, :scope > .nav-more > summary")];
  const page = document.scrollingElement;
  return {
    scrolls: nav.scrollWidth - nav.clientWidth,
    overflow: page.scrollWidth - page.clientWidth,
    outside: links.filter((a) => a.getBoundingClientRect().right > window.innerWidth)
      .map((a) => a.textContent),
  };
}"""


@pytest.mark.parametrize("tag", ["en", "sk"])
async def test_an_admins_links_fit_a_laptop_and_the_rest_are_under_more(
    browser: Browser, bridge_server: BridgeServer, tag: str
) -> None:
    login, password, sign_in, live, leads, lead_title = WORDS[tag]
    data = UserCreate(login="ada", password=PASSWORD, role=Role.ADMIN, display_name="Ada Admin")
    await bridge_server.services.users.create(Actor.system("test"), data)
    context = await browser.new_context(viewport=SIZES[0], locale=f"{tag}-SK", timezone_id="UTC")
    context.set_default_timeout(10_000)
    page: Page = await context.new_page()
    try:
        await page.goto(bridge_server.url)
        await page.get_by_label(login).fill("ada")
        await page.get_by_label(password).fill(PASSWORD)
        await page.get_by_role("button", name=sign_in).click()
        await expect(page.get_by_role("link", name=live)).to_be_visible()
        for size in SIZES:
            await page.set_viewport_size(size)
            await page.wait_for_timeout(200)
            found = await page.evaluate(FITS)
            assert found == {"scrolls": 0, "overflow": 0, "outside": []}, (size, found)

        more = page.locator(".nav-more > summary")
        await expect(page.get_by_role("link", name=leads)).to_be_hidden()
        await more.click()
        await expect(page.get_by_role("link", name=leads)).to_be_visible()
        await assert_accessible(page, f"the top bar's More menu open ({tag})")
        await page.keyboard.press("Escape")
        await expect(page.get_by_role("link", name=leads)).to_be_hidden()
        await more.click()
        await page.get_by_role("link", name=leads).click()
        await expect(page.get_by_role("heading", name=lead_title)).to_be_visible()
        await expect(page.get_by_role("link", name=leads)).to_be_hidden()  # closed on the way
        await expect(page.locator(".nav-more")).to_have_attribute("data-current", "true")
        await more.click()
        await page.get_by_role("heading", name=lead_title).click()  # a click elsewhere
        await expect(page.get_by_role("link", name=leads)).to_be_hidden()
        await page.get_by_role("link", name=live).click()
        await expect(page.locator(".nav-more")).to_have_attribute("data-current", "false")
    finally:
        await context.close()
