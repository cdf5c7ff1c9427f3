"""The agent's screen while a call goes on (issue 20), in Chromium against the bridge's app.

No Asterisk (the sandbox run is tests/e2e/test_call_screen_asterisk.py): calls are played as the
tracker's call events. The pop collapses to a compact bar and expands again (click and keyboard),
the choice survives a reload of the tab; on a wide screen the call column sits beside the page,
never over the card or the calendar; several pops stack in it; the wrap-up stays until saved;
the keyboard shortcuts are listed and work; focus is visible.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from playwright.async_api import Locator, Page, expect

from crm_core.services.dto import Actor
from tests.fixtures.browser import WEB_DB, BridgeServer
from tests.web.test_screenpop_page import Phone, new_call, pop_of, sign_in

pytestmark = [pytest.mark.browser, WEB_DB]
PETER = "+421905555777"


async def box(locator: Locator) -> dict[str, float]:
    found = await locator.bounding_box()
    assert found is not None, f"{locator} is not rendered"
    return dict(found)


async def assert_beside(pop: Locator, page_part: Locator) -> None:
    """The pop sits right of the page part and does not overlap it."""
    a, b = await box(pop), await box(page_part)
    assert a["x"] >= b["x"] + b["width"] - 1, (a, b)


async def assert_above(bar: Locator, page_part: Locator) -> None:
    a, b = await box(bar), await box(page_part)
    assert a["y"] + a["height"] <= b["y"] + 1, (a, b)


async def test_collapse_work_on_another_card_then_expand_and_wrap_up(
    page: Page, bridge_server: BridgeServer
) -> None:
    await page.set_viewport_size({"width": 1366, "height": 768})
    await sign_in(page, bridge_server.url, bridge_server)
    jana = bridge_server.contacts["jana"]
    phone = Phone(bridge_server, new_call())
    await phone.ring("1001")
    pop = pop_of(page, phone.call)
    await expect(pop).to_have_attribute("data-phase", "ringing")
    await expect(pop).to_have_attribute("data-collapsed", "false")
    await assert_beside(pop, page.locator(".card-pane"))  # docked, not over the page
    await phone.answer("1001")
    await expect(pop).to_have_attribute("data-phase", "talking")

    await pop.get_by_role("button", name="Collapse the call with Jana Nováková").click()
    await expect(pop).to_have_attribute("data-collapsed", "true")
    await expect(pop.get_by_test_id("pop-name")).to_have_text("Jana Nováková")
    await expect(pop.get_by_test_id("pop-compact-state")).to_have_text("On call")
    await expect(pop.get_by_test_id("pop-timer")).to_have_text(re.compile(r"^\d\d:\d\d$"))
    await expect(pop.locator(".pop-body")).to_be_hidden()
    await assert_above(pop, page.locator(".workspace"))  # a bar over the page's flow, not on it

    # Another card, and a call-back planned for another day, while the call goes on.
    await page.get_by_label("Find a contact").fill("Kováč")
    await page.get_by_role("link", name=re.compile("Peter Kováč")).click()
    await expect(page.get_by_role("heading", level=2, name="Peter Kováč")).to_be_visible()
    await page.get_by_role("button", name="Create call").click()
    form = page.get_by_role("form", name="Plan a call-back")
    thursday = (datetime.now() + timedelta(days=2)).date()
    await form.get_by_label("Date").fill(thursday.isoformat())
    await form.get_by_label("Time").fill("11:00")
    await form.get_by_label("Subject").fill("Send the pallet offer")
    await form.get_by_role("button", name="Plan the call").click()
    await expect(page.get_by_role("status").filter(has_text="planned")).to_be_visible()
    await expect(pop).to_have_attribute("data-collapsed", "true")

    await phone.end(talk=95)
    await expect(pop).to_have_attribute("data-phase", "ended")
    await expect(pop.get_by_test_id("pop-compact-state")).to_have_text("Wrap-up")
    await page.screenshot(path="/tmp/shots/collapsed-1366.png")
    # The tab remembers: a reload keeps the pop collapsed (sessionStorage).
    await page.reload()
    await expect(pop).to_have_attribute("data-collapsed", "true")
    await expect(pop).to_have_attribute("data-phase", "ended")

    toggle = pop.get_by_role("button", name="Expand the call with Jana Nováková")
    await toggle.focus()
    await page.keyboard.press("Enter")
    await expect(pop).to_have_attribute("data-collapsed", "false")
    await expect(pop.get_by_role("button", name=re.compile("^Collapse"))).to_be_focused()
    await page.screenshot(path="/tmp/shots/docked-1366.png")
    wrap_up = pop.get_by_role("form", name="Wrap-up")
    await wrap_up.get_by_label("Result of the call").fill("Pallets confirmed for May.")
    await wrap_up.get_by_role("button", name="Save and close").click()
    await expect(page.get_by_role("status").filter(has_text="Wrap-up saved")).to_be_visible()
    await expect(pop).to_have_count(0)
    notes = await bridge_server.services.notes.for_contact(jana.id)
    assert any(n.body == "Pallets confirmed for May." for n in notes)
    peter = bridge_server.contacts["peter"]
    actor = Actor(id=bridge_server.agent.id, login="anna", role=bridge_server.agent.role)
    planned = await bridge_server.services.callbacks.mine(actor)
    offer = next(c for c in planned if c.subject == "Send the pallet offer")
    assert offer.contact_id == peter.id
    assert offer.due_at is not None
    assert offer.due_at.date() == thursday


async def test_call_waiting_and_a_transfer_stack_in_the_column_beside_the_calendar(
    page: Page, bridge_server: BridgeServer
) -> None:
    await page.set_viewport_size({"width": 1920, "height": 1080})
    await sign_in(page, bridge_server.url, bridge_server)
    await page.get_by_role("link", name="Call-backs").click()
    calendar = page.get_by_role("region", name="Call-backs this week")
    await expect(calendar).to_be_visible()
    first = Phone(bridge_server, new_call())
    await first.ring("1001")
    await first.answer("1001")
    waiting = Phone(bridge_server, new_call(PETER))  # call waiting
    await waiting.ring("1001")
    transfer = Phone(bridge_server, new_call("+421911222333", queue=None))  # a transfer arriving
    await transfer.ring("1001")
    pops = page.get_by_test_id("pop")
    await expect(pops).to_have_count(3)
    boxes = [await box(pops.nth(i)) for i in range(3)]
    for pop_box in boxes:
        calendar_box = await box(calendar)
        assert pop_box["x"] >= calendar_box["x"] + calendar_box["width"], (pop_box, calendar_box)
    assert boxes[0]["y"] < boxes[1]["y"] < boxes[2]["y"]  # stacked, newest on top
    await expect(pops.first).to_have_attribute("data-linkedid", transfer.call.linkedid)

    # Alt+C collapses them all to bars, then expands them all again.
    await page.keyboard.press("Alt+c")
    await expect(page.locator('[data-testid="pop"][data-collapsed="true"]')).to_have_count(3)
    await assert_above(pops.first, calendar)
    await page.keyboard.press("Alt+c")
    await expect(page.locator('[data-testid="pop"][data-collapsed="false"]')).to_have_count(3)


async def test_shortcuts_are_listed_work_and_focus_shows(
    page: Page, bridge_server: BridgeServer
) -> None:
    await sign_in(page, bridge_server.url, bridge_server)
    shortcuts = page.get_by_test_id("shortcuts")
    await shortcuts.get_by_text("Keyboard shortcuts").click()
    for keys, words in [("Alt+A", "Answer"), ("Alt+H", "Hang up"), ("Alt+M", "Mute"),
                        ("Alt+O", "Hold"), ("Alt+C", "Collapse"), ("Alt+S", "search")]:  # fmt: skip
        await expect(shortcuts.locator("dt", has_text=keys)).to_be_visible()
        await expect(shortcuts.locator("dd", has_text=words)).to_be_visible()

    await page.locator("body").click()
    await page.keyboard.press("/")
    await expect(page.get_by_label("Find a contact")).to_be_focused()
    await page.locator("body").click()
    await page.keyboard.press("Alt+s")
    await expect(page.get_by_label("Find a contact")).to_be_focused()
    # The desk-phone agent: answering from the keyboard says why nothing happens.
    await page.keyboard.press("Alt+a")
    await expect(page.get_by_role("status").filter(has_text="No call is ringing")).to_be_visible()

    phone = Phone(bridge_server, new_call())
    await phone.ring("1001")
    pop = pop_of(page, phone.call)
    await expect(pop).to_be_visible()
    await page.get_by_label("Find a contact").focus()
    await page.keyboard.press("Alt+c")  # collapsing leaves the focus where the agent works
    await expect(pop).to_have_attribute("data-collapsed", "true")
    await expect(page.get_by_label("Find a contact")).to_be_focused()
    await page.keyboard.press("Alt+c")  # expanding goes to the pop
    toggle = pop.get_by_role("button", name=re.compile("^Collapse"))
    await expect(toggle).to_be_focused()
    outline = await toggle.evaluate("e => getComputedStyle(e).outlineStyle")
    assert outline == "solid", outline  # focus is visible on the coloured bar
