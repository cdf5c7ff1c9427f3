"""Findings 5 and 7 (issue 13): one number on one card even under a race (409 naming the card);
a card's search text follows concurrent edits of its names."""

from __future__ import annotations

import asyncio

import httpx

from crm_core.services import Services
from crm_core.services.dto import PageParams
from tests.fixtures.db import LoginAs

RACERS = 50
NUMBER = "+421905777888"


async def test_fifty_concurrent_adds_of_one_number_put_it_on_one_card(
    api_client: httpx.AsyncClient, login_as: LoginAs, services: Services
) -> None:
    agent = await login_as("agent")
    ids = []
    for index in range(RACERS):
        body = {"first_name": f"Racer{index}"}
        created = await api_client.post("/api/contacts", json=body, headers=agent.headers)
        ids.append(created.json()["id"])

    async def add(contact_id: int) -> httpx.Response:
        body = {"number": NUMBER}
        path = f"/api/contacts/{contact_id}/phones"
        return await api_client.post(path, json=body, headers=agent.headers)

    answers = await asyncio.gather(*(add(contact_id) for contact_id in ids))
    won = [ids[i] for i, answer in enumerate(answers) if answer.status_code == 201]
    assert len(won) == 1, [answer.status_code for answer in answers]
    lost = [answer for answer in answers if answer.status_code != 201]
    assert {answer.status_code for answer in lost} == {409}
    assert {answer.json()["card"]["id"] for answer in lost} == set(won)
    search = await services.search.search(NUMBER, PageParams())
    assert [contact.id for contact in search.items] == won


async def test_concurrent_edits_of_first_and_last_name_keep_the_card_findable(
    api_client: httpx.AsyncClient, login_as: LoginAs
) -> None:
    agent = await login_as("agent")
    ids = []
    for index in range(RACERS):
        body = {"first_name": f"Old{index}", "last_name": "Name"}
        created = await api_client.post("/api/contacts", json=body, headers=agent.headers)
        ids.append(created.json()["id"])

    async def patch(contact_id: int, body: dict[str, str]) -> None:
        path = f"/api/contacts/{contact_id}"
        response = await api_client.patch(path, json=body, headers=agent.headers)
        assert response.status_code == 200, response.text

    await asyncio.gather(
        *(patch(cid, {"first_name": f"Nový{i}"}) for i, cid in enumerate(ids)),
        *(patch(cid, {"last_name": f"Priezvisko{i}"}) for i, cid in enumerate(ids)),
    )
    unfindable = []
    for index, contact_id in enumerate(ids):
        params = {"q": f"novy{index} priezvisko{index}"}
        found = await api_client.get("/api/contacts", params=params, headers=agent.headers)
        if contact_id not in [item["id"] for item in found.json()["items"]]:
            unfindable.append(index)
    assert unfindable == []
