"""The rotation over HTTP, on SQLite and PostgreSQL: 422 naming the field for bad payloads, an
agent's refusals (another owner's list, bulk-assigning another's cards), the streamed CSV of
all filtered or only the selected rows, and the bulk actions' answers."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import update

from crm_core.models import Contact
from crm_core.services import Services
from crm_core.services.dto import Actor, ContactOut, ContactUpdate
from tests.crm_core.conftest import AddContact, minutes_ago
from tests.fixtures.db import LoggedIn, LoginAs

pytestmark = pytest.mark.usefixtures("services")
STALE = "/api/contacts/stale"


async def quiet_cards(
    services: Services, add_contact: AddContact, owner: LoggedIn, n: int
) -> list[ContactOut]:
    cards = [await add_contact("Quiet", f"Client {i}", f"+42190000010{i}", owner_id=owner.user.id,
                               status="client") for i in range(n)]  # fmt: skip
    async with services.sessions.begin() as session:
        for days, card in enumerate(cards, start=40):
            await session.execute(update(Contact).where(Contact.id == card.id)
                                  .values(created_at=minutes_ago(days * 24 * 60)))  # fmt: skip
    return cards


def tomorrow() -> str:
    return (datetime.now(UTC) + timedelta(days=1)).date().isoformat()


def fields_of(response: httpx.Response) -> set[Any]:
    """Every name in the 422's locations (a list's item adds its index after the field)."""
    assert response.status_code == 422, response.text
    return {part for error in response.json()["detail"] for part in error["loc"]}


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"days": 0}, "days"),
        ({"days": "many"}, "days"),
        ({"owner_id": 0}, "owner_id"),
        ({"status": "vip"}, "status"),
        ({"tag": ""}, "tag"),
        ({"queue": "x" * 65}, "queue"),
        ({"limit": 501}, "limit"),
    ],
)
async def test_bad_filters_are_422_naming_the_field(
    api_client: httpx.AsyncClient, login_as: LoginAs, query: dict[str, object], field: str
) -> None:
    boss = await login_as("supervisor")
    for path in (STALE, f"{STALE}.csv"):
        if path.endswith(".csv") and field == "limit":
            continue
        assert field in fields_of(await api_client.get(path, params=query, headers=boss.headers))


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("assign", {"contact_ids": [], "owner_id": 1}, "contact_ids"),
        ("assign", {"contact_ids": [0], "owner_id": 1}, "contact_ids"),
        ("assign", {"contact_ids": [1] * 501, "owner_id": 1}, "contact_ids"),
        ("assign", {"contact_ids": [1]}, "owner_id"),
        ("assign", {"contact_ids": "{card}", "owner_id": 999_999}, "owner_id"),
        ("assign", {"contact_ids": [999_999], "owner_id": "{me}"}, "contact_ids"),
        ("callbacks", {"contact_ids": "{card}", "subject": "  "}, "subject"),
        ("callbacks", {"contact_ids": "{card}", "first_day": "2020-01-01"}, "first_day"),
        ("callbacks", {"contact_ids": "{card}", "first_day": "2999-01-01"}, "first_day"),
        ("callbacks", {"contact_ids": "{card}", "first_day": "soon"}, "first_day"),
        ("callbacks", {"contact_ids": "{card}", "days": 32}, "days"),
        (
            "callbacks",
            {"contact_ids": "{card}", "day_start": "12:00", "day_end": "08:00"},
            "day_end",
        ),
        ("callbacks", {"contact_ids": "{card}", "time_zone": "Mars/Olympus"}, "time_zone"),
        (
            "callbacks",
            {"contact_ids": "{card}", "day_start": "12:00+01:00", "day_end": "08:00"},
            "day_end",
        ),
        ("callbacks", {"contact_ids": [999_999]}, "contact_ids"),
    ],
)
async def test_bad_bulk_payloads_are_422_naming_the_field(
    api_client: httpx.AsyncClient, login_as: LoginAs, services: Services, add_contact: AddContact,
    path: str, body: dict[str, Any], field: str,
) -> None:  # fmt: skip
    boss = await login_as("supervisor")
    [card] = await quiet_cards(services, add_contact, boss, 1)
    filled = {"subject": "Rotation", "first_day": tomorrow()} if path == "callbacks" else {}
    filled |= {key: ([card.id] if value == "{card}" else boss.user.id if value == "{me}" else value)
               for key, value in body.items()}  # fmt: skip
    response = await api_client.post(f"{STALE}/{path}", json=filled, headers=boss.headers)
    assert field in fields_of(response)


async def test_an_agent_is_refused_others_lists_and_others_cards(
    api_client: httpx.AsyncClient, login_as: LoginAs, services: Services, add_contact: AddContact
) -> None:
    alice, bob = await login_as("agent"), await login_as("agent")
    [hers] = await quiet_cards(services, add_contact, alice, 1)
    listed = await api_client.get(STALE, headers=bob.headers)
    assert (listed.status_code, listed.json()["total"]) == (200, 0)
    for path in (STALE, f"{STALE}.csv"):
        refused = await api_client.get(
            path, params={"owner_id": alice.user.id}, headers=bob.headers
        )
        assert refused.status_code == 403
        assert "their own clients" in refused.json()["detail"]

    grab = {"contact_ids": [hers.id], "owner_id": bob.user.id}
    refused = await api_client.post(f"{STALE}/assign", json=grab, headers=bob.headers)
    assert refused.status_code == 403
    assert refused.json()["detail"] == f"agents act only on their own clients; not yours: {hers.id}"
    assert (await services.contacts.get(hers.id)).owner.id == alice.user.id  # type: ignore[union-attr]
    plan = {"contact_ids": [hers.id], "subject": "Mine now", "first_day": tomorrow()}
    assert (
        await api_client.post(f"{STALE}/callbacks", json=plan, headers=bob.headers)
    ).status_code == 403

    handed = await api_client.post(f"{STALE}/assign", json=grab, headers=alice.headers)
    assert handed.json() == {"assigned": 1, "unchanged": 0}
    assert [
        c["id"] for c in (await api_client.get(STALE, headers=bob.headers)).json()["items"]
    ] == [hers.id]


async def test_csv_streams_every_filtered_row_or_the_selected_ones(
    api_client: httpx.AsyncClient, login_as: LoginAs, services: Services, add_contact: AddContact
) -> None:
    boss = await login_as("supervisor")
    cards = await quiet_cards(services, add_contact, boss, 3)
    formula = ContactUpdate(first_name="=HYPERLINK(1)")  # written to the CSV as text
    await services.contacts.update(Actor.system(), cards[0].id, formula)
    async with api_client.stream(
        "GET", f"{STALE}.csv", params={"days": 30}, headers=boss.headers
    ) as answer:
        assert answer.status_code == 200
        assert answer.headers["content-type"].startswith("text/csv")
        assert "attachment" in answer.headers["content-disposition"]
        text = "".join([chunk async for chunk in answer.aiter_text()])
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    assert [int(row["id"]) for row in rows] == [c.id for c in reversed(cards)]  # oldest first
    first = rows[-1]
    assert first["name"] == "'=HYPERLINK(1) Client 0"
    assert first["phone"] == "'+421900000100"
    assert (first["status"], first["days_since"], first["last_contact_kind"]) == (
        "client",
        "40",
        "",
    )

    picked = await api_client.get(f"{STALE}.csv", params={"contact_id": [cards[0].id, cards[2].id]},
                                  headers=boss.headers)  # fmt: skip
    ids = [
        int(row["id"]) for row in csv.DictReader(io.StringIO(picked.text.removeprefix("\ufeff")))
    ]
    assert ids == [cards[2].id, cards[0].id]
    none = await api_client.get(f"{STALE}.csv", params={"days": 50}, headers=boss.headers)
    assert none.text.removeprefix("\ufeff").splitlines() == [
        none.text.removeprefix("\ufeff").splitlines()[0]
    ]


async def test_bulk_call_backs_answer_with_what_was_planned(
    api_client: httpx.AsyncClient, login_as: LoginAs, services: Services, add_contact: AddContact
) -> None:
    agent = await login_as("agent")
    cards = await quiet_cards(services, add_contact, agent, 2)
    plan = {"contact_ids": [c.id for c in cards], "subject": "Rotation call",
            "first_day": tomorrow(), "days": 1, "weekdays_only": False, "time_zone": "UTC",
            "auto_dial": True}  # fmt: skip
    answer = await api_client.post(f"{STALE}/callbacks", json=plan, headers=agent.headers)
    assert answer.status_code == 201, answer.text
    planned = answer.json()
    assert [(p["contact_id"], p["due_at"][11:16], p["auto_dial"]) for p in planned] == [
        (cards[0].id, "09:00", True), (cards[1].id, "13:00", True),
    ]  # fmt: skip
    mine = (await api_client.get("/api/callbacks", headers=agent.headers)).json()
    assert {c["id"] for c in mine} >= {p["id"] for p in planned}
