"""Live screen-pops on the agent's page (issue 4), in a real browser against the bridge's app.

No Asterisk: the calls are played as the tracker's call events straight into the bridge's
screen-pop publisher and call log (``BridgeServer.play``), and the page gets them over /ws/agent.
Covers the ringing pop with the card, its withdrawal, "on call" with a timer, the wrap-up that
leaves a note and a next-contact task, an unknown number made into a card (while ringing, and
from the lead card a finished call leaves), stacked pops, and a connection blip or a reload that
restores the pops from the server's snapshot.
"""

from __future__ import annotations

import dataclasses
import re
import time
from datetime import UTC, datetime, timedelta
from itertools import count
from typing import Any

import pytest
from playwright.async_api import Locator, Page, expect

from crm_core.services.dto import Actor, CallFilter
from cti.state.records import (
    CallAnswered,
    CallEnded,
    CallRecord,
    CallRinging,
    CallStarted,
    Disposition,
)
from tests.fixtures.bridge import wait_until
from tests.fixtures.browser import WEB_DB, BridgeServer
from tests.fixtures.tcpproxy import TcpProxy

pytestmark = [pytest.mark.browser, WEB_DB]

JANA = "+421900123456"  # Jana Nováková's mobile in seed_demo
UNKNOWN = "+442079460958"
SYSTEM = Actor.system()
_ids = count(1)


def new_call(caller: str = JANA, **fields: Any) -> CallRecord:
    values: dict[str, Any] = {
        "linkedid": f"pbx-{time.time():.0f}.{next(_ids)}",
        "direction": "inbound",
        "caller": caller,
        "caller_name": "",
        "callee": "100",
        "did": "100",
        "queue": "sales",
        "agents_rang": (),
        "answered_by": None,
        "disposition": None,
        "started_at": time.time(),
        "answered_at": None,
        "ended_at": None,
        "wait_seconds": None,
        "talk_seconds": None,
        "transfers": (),
        "recording": None,
        "route_reason": None,
    }
    return CallRecord(**(values | fields))


class Phone:
    """One call's life as the tracker reports it: ring, answer, end."""

    def __init__(self, server: BridgeServer, call: CallRecord) -> None:
        self.server = server
        self.call = call

    async def ring(self, *agents: str) -> None:
        first = not self.call.agents_rang
        self.call = dataclasses.replace(
            self.call, agents_rang=tuple(dict.fromkeys((*self.call.agents_rang, *agents)))
        )
        ringing = CallRinging(self.call, agents, time.time())
        await self.server.play(*((CallStarted(self.call), ringing) if first else (ringing,)))

    async def answer(self, agent: str) -> None:
        now = time.time()
        self.call = dataclasses.replace(
            self.call, answered_by=agent, answered_at=now, wait_seconds=now - self.call.started_at
        )
        await self.server.play(CallRinging(self.call, (), now), CallAnswered(self.call, now))

    async def end(self, disposition: Disposition = "answered", talk: float = 75) -> None:
        now = time.time()
        talked = talk if self.call.answered_at else None
        self.call = dataclasses.replace(
            self.call, disposition=disposition, ended_at=now, talk_seconds=talked
        )
        await self.server.play(CallEnded(self.call))


async def sign_in(page: Page, url: str, server: BridgeServer) -> None:
    await page.goto(url)
    await page.get_by_label("Login").fill(server.agent.login)
    await page.get_by_label("Password").fill(server.password)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_test_id("live-status")).to_have_text("Live")


def pop_of(page: Page, call: CallRecord) -> Locator:
    return page.locator(f'[data-testid="pop"][data-linkedid="{call.linkedid}"]')


async def test_ringing_pop_shows_the_card_and_goes_when_a_colleague_answers(
    page: Page, bridge_server: BridgeServer
) -> None:
    await sign_in(page, bridge_server.url, bridge_server)
    jana = bridge_server.contacts["jana"]
    phone = Phone(bridge_server, new_call())

    await phone.ring("1001", "1002")
    pop = pop_of(page, phone.call)
    await expect(pop).to_have_attribute("data-phase", "ringing")
    await expect(pop.get_by_role("heading", name="Incoming call")).to_be_visible()
    await expect(pop.get_by_test_id("pop-number")).to_have_text(JANA)
    await expect(pop.get_by_text("Queue sales · DID 100")).to_be_visible()
    await expect(pop.get_by_test_id("pop-timer")).to_have_text(re.compile(r"^\d\d:\d\d$"))
    # The card: name, company, status, owner, open tasks, last calls and notes.
    await expect(pop.get_by_role("heading", level=3, name="Jana Nováková")).to_be_visible()
    await expect(pop.get_by_text("Tatra Logistics s.r.o.")).to_be_visible()
    await expect(pop.locator('[data-field="status"]')).to_have_text("Client")
    await expect(pop.locator('[data-field="owner"]')).to_have_text("Anna Horváthová")
    await expect(pop.get_by_text("Send the updated price list and call back")).to_be_visible()
    await expect(pop.get_by_text("Prefers calls after 10:00", exact=False)).to_be_visible()
    await expect(pop.get_by_text("Incoming call answered").first).to_be_visible()
    full_card = pop.get_by_role("link", name="Open full card")
    await expect(full_card).to_have_attribute("href", f"#/contacts/{jana.id}")
    # The tab's title blinks.
    await expect(page).to_have_title("☎ Ringing: Jana Nováková")
    await expect(page).to_have_title("CTI Bridge")

    # Opening the full card keeps the pop over the page.
    await full_card.click()
    await expect(page.get_by_role("heading", level=2, name="Jana Nováková")).to_be_visible()
    await expect(pop).to_be_visible()

    await phone.answer("1002")
    note = page.get_by_test_id("pop-note")
    await expect(note).to_have_text("Answered by 1002")
    await expect(pop).to_have_count(0)
    await expect(note).to_have_count(0, timeout=8000)
    await expect(page).not_to_have_title(re.compile("Ringing"))
    await expect(page).to_have_title("Jana Nováková — CTI Bridge")


async def test_answered_call_then_wrap_up_saves_a_note_and_the_next_contact(
    page: Page, bridge_server: BridgeServer
) -> None:
    await sign_in(page, bridge_server.url, bridge_server)
    jana = bridge_server.contacts["jana"]
    phone = Phone(bridge_server, new_call())
    await phone.ring("1001")
    pop = pop_of(page, phone.call)
    await expect(pop).to_have_attribute("data-phase", "ringing")

    await phone.answer("1001")
    await expect(pop).to_have_attribute("data-phase", "talking")
    await expect(pop.get_by_role("heading", name="On call with Jana Nováková")).to_be_visible()
    timer = pop.get_by_test_id("pop-timer")
    await expect(timer).to_have_text(re.compile(r"^00:0\d$"))
    await expect(timer).not_to_have_text("00:00", timeout=3000)
    await expect(pop.get_by_role("heading", level=3, name="Jana Nováková")).to_be_visible()
    await expect(page).not_to_have_title(re.compile("Ringing"))

    await phone.end(talk=75)
    await expect(pop).to_have_attribute("data-phase", "ended")
    await expect(pop.get_by_test_id("pop-outcome")).to_have_text("answered")
    await expect(pop.get_by_text("talked 1 min 15 s")).to_be_visible()
    wrap_up = pop.get_by_role("form", name="Wrap-up")
    await wrap_up.get_by_label("Result of the call").fill(
        "Wants 40 pallets in May; price list sent."
    )
    await wrap_up.get_by_label("Type").select_option("meeting")
    due = (datetime.now(UTC) + timedelta(days=3)).date()
    await wrap_up.get_by_label("Date").fill(due.isoformat())
    await wrap_up.get_by_label("Time").fill("14:30")
    await wrap_up.get_by_label("Subject").fill("Visit the Senec warehouse")
    await wrap_up.get_by_role("button", name="Save and close").click()
    await expect(page.get_by_role("status").filter(has_text="Wrap-up saved")).to_contain_text(
        "note and meeting on Jana Nováková's card"
    )
    await expect(pop).to_have_count(0)

    services = bridge_server.services
    calls = (await services.calls.list(SYSTEM, CallFilter(contact_id=jana.id))).items
    call_id = next(c.id for c in calls if c.linkedid == phone.call.linkedid)
    notes = await services.notes.for_contact(jana.id)
    note = next(n for n in notes if n.body.startswith("Wants 40 pallets"))
    assert note.call_id == call_id
    card = await services.cards.lookup(JANA)
    assert card is not None
    task = next(t for t in card.open_tasks if t.subject == "Visit the Senec warehouse")
    assert (task.kind, task.contact_id, task.call_id) == ("meeting", jana.id, call_id)
    assert task.due_at is not None
    assert task.due_at.astimezone(UTC) == datetime(due.year, due.month, due.day, 14, 30, tzinfo=UTC)
    # Closing the wrap-up told the server: a new tab would not get the pop back.
    registry = bridge_server.bridge.registry if bridge_server.bridge else None
    assert registry is not None
    await wait_until(lambda: not registry.current({"1001"}), 5, "the dismiss")


async def test_unknown_number_becomes_a_card_in_one_step(
    page: Page, bridge_server: BridgeServer
) -> None:
    await sign_in(page, bridge_server.url, bridge_server)
    phone = Phone(bridge_server, new_call(UNKNOWN, caller_name="BRIGHTWATER"))
    await phone.ring("1001")
    pop = pop_of(page, phone.call)
    create = pop.get_by_role("form", name=re.compile("Unknown number"))
    await expect(create).to_contain_text(f"Unknown number {UNKNOWN}")
    await expect(page).to_have_title("☎ Ringing: BRIGHTWATER")

    await create.get_by_role("button", name="Create card").click()
    await expect(create.get_by_text("Enter a first or a last name.")).to_be_visible()
    await create.get_by_label("First name").fill("Oliver")
    await create.get_by_label("Last name").fill("Bennett")
    await create.get_by_label("Company").fill("Brightwater Ltd")
    await create.get_by_role("button", name="Create card").click()
    await expect(pop.get_by_role("heading", level=3, name="Oliver Bennett")).to_be_visible()
    await expect(pop.get_by_text("Brightwater Ltd")).to_be_visible()
    await expect(pop.get_by_text(UNKNOWN)).to_have_count(2)  # the head and the card's phone
    await expect(page).to_have_title("☎ Ringing: Oliver Bennett")

    card = await bridge_server.services.cards.lookup(UNKNOWN)
    assert card is not None
    assert card.contact is not None
    assert (card.contact.first_name, card.contact.last_name) == ("Oliver", "Bennett")
    assert card.company is not None
    assert card.company.name == "Brightwater Ltd"

    # The card stays through the call; the wrap-up needs no name any more.
    await phone.answer("1001")
    await expect(pop.get_by_role("heading", name="On call with Oliver Bennett")).to_be_visible()
    await phone.end(talk=30)
    wrap_up = pop.get_by_role("form", name="Wrap-up")
    await expect(wrap_up).to_be_visible()
    await expect(wrap_up.get_by_label("First name")).to_have_count(0)
    await wrap_up.get_by_role("button", name="Close without saving").click()
    await expect(pop).to_have_count(0)


async def test_wrap_up_names_the_lead_card_an_unknown_callers_call_left(
    page: Page, bridge_server: BridgeServer
) -> None:
    await sign_in(page, bridge_server.url, bridge_server)
    phone = Phone(bridge_server, new_call(UNKNOWN))
    await phone.ring("1001")
    pop = pop_of(page, phone.call)
    await expect(pop.get_by_role("form", name=re.compile("Unknown number"))).to_be_visible()
    await phone.answer("1001")
    await expect(pop.get_by_role("heading", name=f"On call with {UNKNOWN}")).to_be_visible()
    await phone.end(talk=42)  # the call log leaves a lead card named after the number

    wrap_up = pop.get_by_role("form", name="Wrap-up")
    await wrap_up.get_by_label("First name").fill("Grace")
    await wrap_up.get_by_label("Last name").fill("Hopper")
    await wrap_up.get_by_label("Result of the call").fill("Asked for a demo.")
    await wrap_up.get_by_role("button", name="Save and close").click()
    await expect(page.get_by_role("status").filter(has_text="Wrap-up saved")).to_be_visible()
    await expect(pop).to_have_count(0)

    card = await bridge_server.services.cards.lookup(UNKNOWN)
    assert card is not None
    assert card.contact is not None
    assert (card.contact.first_name, card.contact.last_name) == ("Grace", "Hopper")
    assert card.contact.source == "call"  # the lead, renamed: not a second card
    assert [n.body for n in card.last_notes] == ["Asked for a demo."]
    assert card.last_notes[0].call_id == card.last_calls[0].id


async def test_a_connection_blip_or_a_reload_never_loses_a_pop(
    page: Page, bridge_server: BridgeServer
) -> None:
    proxy = TcpProxy("127.0.0.1", int(bridge_server.url.rsplit(":", 1)[1]))
    await proxy.start()
    try:
        url = f"http://127.0.0.1:{proxy.port}"
        await sign_in(page, url, bridge_server)
        status = page.get_by_test_id("live-status")
        gone = Phone(bridge_server, new_call())
        await gone.ring("1001", "1002")
        await expect(pop_of(page, gone.call)).to_be_visible()

        proxy.cut()
        await expect(status).to_have_text("Reconnecting…")
        # While the page is away: one call is answered elsewhere, another starts ringing.
        await gone.answer("1002")
        ringing = Phone(bridge_server, new_call("+421905555777"))
        await ringing.ring("1001")
        proxy.restore()

        await expect(status).to_have_text("Live", timeout=15_000)
        pop = pop_of(page, ringing.call)
        await expect(pop.get_by_role("heading", level=3, name="Peter Kováč")).to_be_visible()
        await expect(pop_of(page, gone.call)).to_have_count(0)

        await page.reload()
        await expect(status).to_have_text("Live")
        await expect(pop.get_by_role("heading", level=3, name="Peter Kováč")).to_be_visible()

        # Several calls at once stack, newest on top.
        second = Phone(bridge_server, new_call())
        await second.ring("1001")
        pops = page.get_by_test_id("pop")
        await expect(pops).to_have_count(2)
        await expect(pops.first).to_have_attribute("data-linkedid", second.call.linkedid)
        await expect(page).to_have_title("☎ Ringing: Jana Nováková")
        await ringing.end("abandoned")
        note = page.get_by_test_id("pop-note")
        await expect(note).to_have_text("Call abandoned")
        await expect(pops).to_have_count(1)
    finally:
        await proxy.stop()
