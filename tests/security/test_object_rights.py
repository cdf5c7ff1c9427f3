"""Findings 3 and 4 (issue 13): one rule for what an agent sees; removing a card archives it,
by the rule, and audits every row it touches."""

from __future__ import annotations

import httpx

from crm_core.services import Services
from crm_core.services.dto import PageParams
from tests.fixtures.db import LoggedIn, LoginAs
from tests.security.conftest import PHONE, AgentsCard

Seen = set[tuple[str, int]]


async def _timeline(client: httpx.AsyncClient, card: AgentsCard, who: LoggedIn) -> Seen:
    response = await client.get(f"/api/contacts/{card.contact_id}/timeline", headers=who.headers)
    assert response.status_code == 200, response.text
    return {(item["kind"], (item[item["kind"]] or {})["id"]) for item in response.json()}


async def _post(
    client: httpx.AsyncClient, path: str, who: LoggedIn, body: object
) -> httpx.Response:
    return await client.post(path, json=body, headers=who.headers)


async def test_another_agent_sees_neither_calls_nor_tasks_on_the_timeline(
    api_client: httpx.AsyncClient, agents_card: AgentsCard
) -> None:
    card = agents_card
    owner = await _timeline(api_client, card, card.agent1)
    other = await _timeline(api_client, card, card.agent2)
    assert {("call", card.call_id), ("task", card.task_id), ("task", card.callback_id)} <= owner
    assert not {kind for kind, _id in other} & {"call", "task"}
    for path in (f"/api/calls/{card.call_id}", f"/api/tasks/{card.task_id}"):
        assert (await api_client.get(path, headers=card.agent2.headers)).status_code == 404


async def test_another_agent_sees_neither_calls_nor_tasks_in_the_lookup_card(
    api_client: httpx.AsyncClient, agents_card: AgentsCard
) -> None:
    card = agents_card

    async def lookup(who: LoggedIn) -> dict[str, set[int]]:
        params = {"phone": PHONE}
        response = await api_client.get("/api/lookup", params=params, headers=who.headers)
        assert response.status_code == 200, response.text
        body = response.json()
        return {key: {item["id"] for item in body[key]} for key in ("last_calls", "open_tasks")}

    assert await lookup(card.agent1) == {
        "last_calls": {card.call_id},
        "open_tasks": {card.task_id, card.callback_id},
    }
    assert await lookup(card.agent2) == {"last_calls": set(), "open_tasks": set()}


async def test_an_agent_may_not_remove_another_agents_card_nor_merge_it_away(
    api_client: httpx.AsyncClient, agents_card: AgentsCard
) -> None:
    card, agent2 = agents_card, agents_card.agent2
    mine = (await _post(api_client, "/api/contacts", agent2, {"first_name": "Mine"})).json()
    path = f"/api/contacts/{card.contact_id}"
    delete = await api_client.delete(path, headers=agent2.headers)
    merge = await _post(
        api_client, f"/api/contacts/{mine['id']}/merge/{card.contact_id}", agent2, None
    )
    assert (delete.status_code, merge.status_code) == (403, 403)
    assert (await api_client.get(path, headers=agent2.headers)).status_code == 200


async def _audited(client: httpx.AsyncClient, boss: LoggedIn) -> set[tuple[str, int, str]]:
    audit = await client.get("/api/audit", params={"limit": 30}, headers=boss.headers)
    return {(e["table_name"], e["record_id"], e["action"]) for e in audit.json()["items"]}


async def test_removing_a_card_archives_it_and_audits_every_row_it_touches(
    api_client: httpx.AsyncClient, agents_card: AgentsCard, login_as: LoginAs, services: Services
) -> None:
    card, agent1 = agents_card, agents_card.agent1
    boss = await login_as("supervisor")
    path = f"/api/contacts/{card.contact_id}"
    assert (await api_client.delete(path, headers=boss.headers)).status_code == 204
    assert (await api_client.get(path, headers=boss.headers)).status_code == 404
    lookup = await api_client.get("/api/lookup", params={"phone": PHONE}, headers=boss.headers)
    assert lookup.status_code == 404
    assert (await services.search.search("Jana", PageParams())).total == 0
    for task_id in (card.task_id, card.callback_id):  # the owner's tasks are closed, not gone
        task = (await api_client.get(f"/api/tasks/{task_id}", headers=agent1.headers)).json()
        assert task["done_at"] is not None
        assert "card removed by" in task["result"]
    call = await api_client.get(f"/api/calls/{card.call_id}", headers=agent1.headers)
    assert call.status_code == 200  # the history stays
    touched = await _audited(api_client, boss)
    assert {
        ("contacts", card.contact_id, "archive"),
        ("tasks", card.task_id, "update"),
        ("tasks", card.callback_id, "update"),
    } <= touched
    assert any(table == "phones" and action == "delete" for table, _id, action in touched)
    body = {"first_name": "New", "phones": [{"number": PHONE}]}
    again = await _post(api_client, "/api/contacts", boss, body)
    assert again.status_code == 201, "the removed card's number is free again"


async def test_a_merge_audits_every_row_it_moves(
    api_client: httpx.AsyncClient, agents_card: AgentsCard, login_as: LoginAs
) -> None:
    card = agents_card
    boss = await login_as("supervisor")
    keep = (await _post(api_client, "/api/contacts", boss, {"first_name": "Keep"})).json()
    path = f"/api/contacts/{keep['id']}/merge/{card.contact_id}"
    merge = await _post(api_client, path, boss, None)
    assert merge.status_code == 200, merge.text
    assert [phone["e164"] for phone in merge.json()["phones"]] == [PHONE]
    touched = await _audited(api_client, boss)
    assert {
        ("calls", card.call_id, "update"),
        ("tasks", card.task_id, "update"),
        ("tasks", card.callback_id, "update"),
        ("contacts", card.contact_id, "archive"),
        ("contacts", keep["id"], "update"),
    } <= touched
    assert any(table == "phones" and action == "update" for table, _id, action in touched)
    task = await api_client.get(f"/api/tasks/{card.task_id}", headers=card.agent1.headers)
    assert (task.json()["contact_id"], task.json()["done_at"]) == (keep["id"], None)


async def test_an_agent_removes_their_own_lead(
    api_client: httpx.AsyncClient, agents_card: AgentsCard
) -> None:
    agent2 = agents_card.agent2
    lead = (await _post(api_client, "/api/contacts", agent2, {"first_name": "Lead"})).json()
    response = await api_client.delete(f"/api/contacts/{lead['id']}", headers=agent2.headers)
    assert response.status_code == 204
