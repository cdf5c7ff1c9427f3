"""The agent's web page in a real browser against the real server (issue 2).

Sign-in, as-you-type search by any phone spelling, the card with its timeline, editing
(saved across a reload, validation next to the field), and a phone owned by another card.
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest
from playwright.async_api import Page, Route, expect

from tests.fixtures.browser import WEB_DB, SeededServer

pytestmark = [pytest.mark.browser, WEB_DB]

DOCS = Path(__file__).resolve().parents[2] / "docs"


async def sign_in(page: Page, server: SeededServer) -> None:
    await page.goto(server.url)
    await page.get_by_label("Login").fill(server.agent.login)
    await page.get_by_label("Password").fill(server.password)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("searchbox", name="Find a contact")).to_be_visible()


async def open_card(page: Page, query: str, name: str) -> None:
    await page.get_by_role("searchbox", name="Find a contact").fill(query)
    result = page.locator("#search-results").get_by_role("link", name=re.compile(name))
    await expect(result).to_have_count(1)
    await result.click()
    await expect(page.get_by_role("heading", level=2, name=name)).to_be_visible()


async def test_sign_in_wrong_password_then_right(page: Page, seeded_server: SeededServer) -> None:
    await page.goto(seeded_server.url)
    await expect(page.get_by_role("heading", name="Sign in to the agent screen")).to_be_visible()

    await page.get_by_label("Login").fill("anna")
    await page.get_by_label("Password").fill("not-her-password")
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("alert")).to_have_text("Wrong login or password.")
    await expect(page.get_by_role("searchbox")).to_have_count(0)

    await page.get_by_label("Password").fill(seeded_server.password)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("searchbox", name="Find a contact")).to_be_visible()
    await expect(page.get_by_test_id("current-user")).to_have_text("Anna Horváthová")
    await expect(page.get_by_text("agent · ext. 1001")).to_be_visible()

    # The session survives a reload (token in sessionStorage); logging out ends it.
    await page.reload()
    await expect(page.get_by_test_id("current-user")).to_have_text("Anna Horváthová")
    await page.get_by_role("button", name="Log out").click()
    await expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    await page.reload()
    await expect(page.get_by_role("button", name="Sign in")).to_be_visible()


async def test_search_by_another_phone_spelling_opens_the_card(
    page: Page, seeded_server: SeededServer
) -> None:
    await sign_in(page, seeded_server)
    search = page.get_by_role("searchbox", name="Find a contact")

    # Stored as "+421 900 123 456", found as the agent would type it.
    await search.fill("0900123456")
    results = page.locator("#search-results a.result")
    await expect(results).to_have_count(1)
    await expect(results.first).to_contain_text("Jana Nováková")
    await expect(results.first).to_contain_text("Tatra Logistics s.r.o.")
    await expect(results.first).to_contain_text("+421 900 123 456")
    await expect(page.get_by_role("status").filter(has_text="found")).to_have_text(
        "1 contact found"
    )

    # Name and company search as you type.
    await search.fill("danubia")
    await expect(results).to_have_count(1)
    await expect(results.first).to_contain_text("Peter Kováč")
    await search.fill("zzz-nobody")
    await expect(page.get_by_text("No contact matches “zzz-nobody”.")).to_be_visible()

    await search.fill("0900 123 456")
    await expect(results).to_have_count(1)
    await results.first.click()

    card = page.locator("article.card")
    await expect(card.get_by_role("heading", level=2)).to_have_text("Jana Nováková")
    await expect(card.locator(".card-sub")).to_contain_text("Head of purchasing")
    await expect(card.locator(".card-sub")).to_contain_text("Tatra Logistics s.r.o.")
    await expect(card.locator("[data-field=status]")).to_have_text("Client")
    await expect(card.locator("[data-field=owner]")).to_have_text("Anna Horváthová")
    await expect(card.get_by_role("link", name="+421 900 123 456")).to_be_visible()
    await expect(card.get_by_role("link", name="jana.novakova@tatralogistics.sk")).to_be_visible()

    timeline = card.get_by_role("list", name="Timeline, newest first")
    await expect(timeline.locator("li.tl-item")).to_have_count(7)  # 4 calls, 2 tasks, 1 note
    await expect(timeline.locator("li.tl-call")).to_have_count(4)
    await expect(timeline).to_contain_text("Incoming call answered")
    await expect(timeline).to_contain_text("Incoming call missed")
    await expect(timeline).to_contain_text("Outgoing call busy")
    await expect(timeline).to_contain_text("talked 4 min 5 s")
    rebuilt = timeline.locator("li.tl-call .reconstructed")
    await expect(rebuilt).to_have_count(1)  # the missed call, settled after a gap
    await expect(rebuilt).to_have_text("rebuilt after a gap")
    await expect(rebuilt).to_have_attribute("title", re.compile("CEL"))
    await expect(timeline).to_contain_text("Send the updated price list and call back")
    await expect(timeline).to_contain_text("Prefers calls after 10:00.")
    # Each call has an icon beside its words.
    await expect(timeline.locator("li.tl-call .tl-icon svg")).to_have_count(4)

    # Side panels: open tasks only, last calls, notes.
    open_tasks = card.get_by_role("region", name=re.compile("Open tasks"))
    await expect(open_tasks).to_contain_text("Send the updated price list")
    await expect(open_tasks).not_to_contain_text("Confirm the March delivery dates")
    await expect(
        card.get_by_role("region", name=re.compile("Last calls")).locator("li")
    ).to_have_count(4)

    # Filtering the timeline.
    await card.get_by_role("button", name=re.compile(r"^Notes \(1\)")).click()
    await expect(timeline.locator("li.tl-item")).to_have_count(1)
    await card.get_by_role("button", name=re.compile(r"^All")).click()
    await expect(timeline.locator("li.tl-item")).to_have_count(7)

    DOCS.mkdir(exist_ok=True)
    await page.mouse.move(0, 0)
    await page.screenshot(path=str(DOCS / "card.png"), full_page=True)


async def test_edit_is_saved_and_validated(page: Page, seeded_server: SeededServer) -> None:
    await sign_in(page, seeded_server)
    await open_card(page, "novakova", "Jana Nováková")
    await page.get_by_role("button", name="Edit").click()
    await expect(page.get_by_role("heading", name="Edit Jana Nováková")).to_be_visible()

    # The server refuses this address: its reason is shown next to the Email field.
    email = page.get_by_label("Email")
    await email.fill("jana..novakova@tatralogistics.sk")
    await page.get_by_role("button", name="Save changes").click()
    field = page.locator(".field[data-field=email]")
    await expect(field.locator(".field-error")).to_be_visible()
    await expect(email).to_have_attribute("aria-invalid", "true")
    await expect(page.get_by_role("alert").first).to_contain_text("correct the highlighted fields")

    # A client-side check too: no name at all.
    await email.fill("jana@tatralogistics.sk")
    await page.get_by_label("First name").fill("")
    await page.get_by_label("Last name").fill("")
    await page.get_by_role("button", name="Save changes").click()
    await expect(page.locator(".field[data-field=last_name] .field-error")).to_have_text(
        "Please enter a first or a last name."
    )

    await page.get_by_label("First name").fill("Jana")
    await page.get_by_label("Last name").fill("Nováková-Malá")
    await page.get_by_label("Position").fill("Purchasing director")
    await page.get_by_label("Status").select_option("partner")
    await page.get_by_role("button", name="Save changes").click()
    await expect(page.get_by_text("Changes saved.")).to_be_visible()

    card = page.locator("article.card")
    await expect(card.get_by_role("heading", level=2)).to_have_text("Jana Nováková-Malá")
    await expect(card.locator(".card-sub")).to_contain_text("Purchasing director")
    await expect(card.locator("[data-field=status]")).to_have_text("Partner")
    await expect(card.get_by_role("link", name="jana@tatralogistics.sk")).to_be_visible()

    await page.reload()
    await expect(card.get_by_role("heading", level=2)).to_have_text("Jana Nováková-Malá")
    await expect(card.locator(".card-sub")).to_contain_text("Purchasing director")
    await expect(card.locator("[data-field=status]")).to_have_text("Partner")

    saved = await seeded_server.services.contacts.get(seeded_server.contacts["jana"].id)
    assert (saved.last_name, saved.position, saved.status, saved.email) == (
        "Nováková-Malá",
        "Purchasing director",
        "partner",
        "jana@tatralogistics.sk",
    )


async def test_phone_of_another_card_names_that_card(
    page: Page, seeded_server: SeededServer
) -> None:
    await sign_in(page, seeded_server)
    await open_card(page, "Nováková", "Jana Nováková")
    await page.get_by_role("button", name="Edit").click()

    phone_form = page.get_by_role("form", name="Add a phone number")
    # Peter's "+421 905 555 777", spelled differently.
    await phone_form.get_by_label("Phone number").fill("0905/555 777")
    await phone_form.get_by_role("button", name="Add phone").click()
    alert = phone_form.get_by_role("alert")
    await expect(alert).to_contain_text("already belongs to the contact “Peter Kováč”")
    link = alert.get_by_role("link", name="Open Peter Kováč")
    await expect(link).to_have_attribute(
        "href", re.compile(rf"#/contacts/{seeded_server.contacts['peter'].id}\b")
    )

    # A free number is added and listed.
    await phone_form.get_by_label("Phone number").fill("0944 100 200")
    await phone_form.get_by_label("Type").select_option("fixed")
    await phone_form.get_by_role("button", name="Add phone").click()
    await expect(page.get_by_text("Phone number added.")).to_be_visible()
    phones = page.get_by_role("list", name="Phone numbers")
    await expect(phones.locator("li")).to_have_count(3)
    await expect(phones).to_contain_text("0944 100 200")

    # The conflict link opens the other card.
    await phone_form.get_by_label("Phone number").fill("+421905555777")
    await phone_form.get_by_role("button", name="Add phone").click()
    await phone_form.get_by_role("link", name="Open Peter Kováč").click()
    await expect(page.get_by_role("heading", level=2, name="Peter Kováč")).to_be_visible()


async def test_note_from_the_card_joins_the_timeline(
    page: Page, seeded_server: SeededServer
) -> None:
    await sign_in(page, seeded_server)
    await open_card(page, "kovac", "Peter Kováč")
    card = page.locator("article.card")
    await expect(card.get_by_text("No calls yet.")).to_be_visible()

    await card.get_by_role("button", name="Add note").click()
    await expect(card.get_by_role("alert")).to_have_text("Please write the note first.")
    await card.get_by_label("Add a note").fill("Asked for a quote on cold-chain transport.")
    await card.get_by_role("button", name="Add note").click()
    await expect(page.get_by_text("Note added.")).to_be_visible()
    timeline = card.get_by_role("list", name="Timeline, newest first")
    await expect(timeline.locator("li.tl-note")).to_have_count(1)
    await expect(timeline).to_contain_text("Asked for a quote on cold-chain transport.")


async def test_slow_requests_show_a_loading_state(page: Page, seeded_server: SeededServer) -> None:
    await sign_in(page, seeded_server)

    async def slow(route: Route) -> None:
        await asyncio.sleep(1.5)
        await route.continue_()

    await page.route("**/api/contacts/*/timeline", slow)
    await page.get_by_role("searchbox", name="Find a contact").fill("Nováková")
    await page.locator("#search-results a.result", has_text="Jana Nováková").click()
    card = page.locator("article.card")
    await expect(card.get_by_text("Loading the timeline…")).to_be_visible()
    await expect(page.get_by_role("progressbar", name="Loading")).to_be_visible()
    await expect(card.get_by_role("list", name="Timeline, newest first")).to_be_visible()
    await expect(page.get_by_role("progressbar")).to_be_hidden()
