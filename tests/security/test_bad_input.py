"""Finding 8 and 9 (issue 13): bad input is a 422 naming the field, never a 500."""

from __future__ import annotations

import httpx
import pytest

from tests.fixtures.db import LoginAs

NULLS = [
    ("/api/contacts/{contact}", "first_name"),
    ("/api/contacts/{contact}", "status"),
    ("/api/tasks/{task}", "subject"),
    ("/api/tasks/{task}", "done"),
    ("/api/companies/{company}", "name"),
    ("/api/users/{user}", "password"),
    ("/api/users/{user}", "extensions"),
    ("/api/users/{user}", "active"),
]


async def _objects(api_client: httpx.AsyncClient, headers: dict[str, str]) -> dict[str, int]:
    contact = await api_client.post("/api/contacts", json={"first_name": "Eva"}, headers=headers)
    task = await api_client.post("/api/tasks", json={"subject": "Ring"}, headers=headers)
    company = await api_client.post("/api/companies", json={"name": "Acme"}, headers=headers)
    me = await api_client.get("/api/auth/me", headers=headers)
    return {
        "contact": contact.json()["id"],
        "task": task.json()["id"],
        "company": company.json()["id"],
        "user": me.json()["id"],
    }


@pytest.mark.parametrize(("path", "field"), NULLS)
async def test_an_explicit_null_in_a_patch_is_422_naming_the_field(
    api_client: httpx.AsyncClient, login_as: LoginAs, path: str, field: str
) -> None:
    admin = await login_as("admin")
    url = path.format(**await _objects(api_client, admin.headers))
    response = await api_client.patch(url, json={field: None}, headers=admin.headers)
    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["loc"][-1] == field


BIG = str(2**63 + 5)


@pytest.mark.parametrize(
    ("path", "field"),
    [
        (f"/api/contacts/{BIG}", "contact_id"),
        (f"/api/tasks/{BIG}", "task_id"),
        (f"/api/calls/{BIG}", "call_id"),
        (f"/api/contacts?offset={BIG}", "offset"),
        (f"/api/calls?contact_id={BIG}", "contact_id"),
        ("/api/contacts/stale?days=740000", "days"),
    ],
)
async def test_numbers_past_the_range_are_422_naming_the_field(
    api_client: httpx.AsyncClient, login_as: LoginAs, path: str, field: str
) -> None:
    agent = await login_as("agent")
    response = await api_client.get(path, headers=agent.headers)
    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["loc"][-1] == field


async def test_a_lone_surrogate_in_a_json_string_is_422(
    api_client: httpx.AsyncClient, login_as: LoginAs
) -> None:
    agent = await login_as("agent")
    body = b'{"first_name": "Ev\\ud800a"}'
    headers = agent.headers | {"Content-Type": "application/json"}
    response = await api_client.post("/api/contacts", content=body, headers=headers)
    assert response.status_code == 422, response.text
    assert "surrogate" in response.text


@pytest.mark.parametrize("name", ["\u200b", "\ufeff\u200b", "\u200f", " \u200e "])
async def test_a_name_of_invisible_characters_is_refused(
    api_client: httpx.AsyncClient, login_as: LoginAs, name: str
) -> None:
    agent = await login_as("agent")
    body = {"first_name": name}
    created = await api_client.post("/api/contacts", json=body, headers=agent.headers)
    assert created.status_code == 422, created.text
    company = await api_client.post("/api/companies", json={"name": name}, headers=agent.headers)
    assert company.status_code == 422, company.text


async def test_a_patch_cannot_leave_a_contact_without_a_name(
    api_client: httpx.AsyncClient, login_as: LoginAs
) -> None:
    agent = await login_as("agent")
    body = {"first_name": "Eva", "last_name": "Nová"}
    contact = (await api_client.post("/api/contacts", json=body, headers=agent.headers)).json()
    path = f"/api/contacts/{contact['id']}"
    emptied = {"first_name": "", "last_name": " "}
    response = await api_client.patch(path, json=emptied, headers=agent.headers)
    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["loc"][-1] in ("first_name", "last_name")
    one_left = await api_client.patch(path, json={"first_name": ""}, headers=agent.headers)
    assert one_left.status_code == 200
    assert one_left.json()["full_name"] == "Nová"
