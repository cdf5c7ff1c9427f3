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
