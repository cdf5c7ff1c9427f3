"""/api/admin/webhooks: admins only, every bad field a 422 naming it, every change audited."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from crm_core.services import Services
from crm_core.services.webhook_deliveries import Outcome
from tests.crm_core.conftest import AddContact
from tests.fixtures.db import LoginAs

URL = "/api/admin/webhooks"
GOOD = {"url": "https://crm.example/hooks/cti", "events": ["call.ended", "contact.created"]}


async def test_an_admin_subscribes_and_the_secret_is_shown_once(
    api_client: httpx.AsyncClient, login_as: LoginAs
) -> None:
    admin = await login_as("admin")
    created = await api_client.post(URL, json=GOOD, headers=admin.headers)
    assert created.status_code == 201, created.text
    body = created.json()
    assert len(body["secret"]) >= 16
    listed = (await api_client.get(URL, headers=admin.headers)).json()
    assert [item["url"] for item in listed] == [GOOD["url"]]
    assert "secret" not in listed[0]
    patched = await api_client.patch(
        f"{URL}/{body['id']}", json={"enabled": False, "timeout_seconds": 2}, headers=admin.headers
    )
    assert patched.json()["enabled"] is False
    assert (
        await api_client.delete(f"{URL}/{body['id']}", headers=admin.headers)
    ).status_code == 204
    audit = await api_client.get(
        "/api/audit", params={"table": "webhook_subscriptions"}, headers=admin.headers
    )
    entries = audit.json()["items"]
    assert sorted(entry["action"] for entry in entries) == ["create", "delete", "update"]
    assert body["secret"] not in audit.text


@pytest.mark.parametrize("role", ["agent", "supervisor"])
async def test_only_admins(api_client: httpx.AsyncClient, login_as: LoginAs, role: str) -> None:
    me = await login_as(role)
    assert (await api_client.get(URL, headers=me.headers)).status_code == 403
    assert (await api_client.post(URL, json=GOOD, headers=me.headers)).status_code == 403
    assert (await api_client.get(f"{URL}/dead", headers=me.headers)).status_code == 403


BAD: list[tuple[dict[str, Any], str]] = [
    ({"url": "ftp://crm.example/x"}, "url"),
    ({"url": "not a url at all"}, "url"),
    ({"events": []}, "events"),
    ({"events": ["call.exploded"]}, "events"),
    ({"secret": "short"}, "secret"),
    ({"timeout_seconds": 0}, "timeout_seconds"),
    ({"timeout_seconds": 3600}, "timeout_seconds"),
]


@pytest.mark.parametrize(("change", "field"), BAD)
async def test_bad_input_is_a_422_naming_the_field(
    api_client: httpx.AsyncClient, login_as: LoginAs, change: dict[str, Any], field: str
) -> None:
    admin = await login_as("admin")
    response = await api_client.post(URL, json=GOOD | change, headers=admin.headers)
    assert response.status_code == 422, response.text
    assert any(field in error["loc"] for error in response.json()["detail"])


async def test_a_patch_refuses_null_and_an_unknown_id_is_404(
    api_client: httpx.AsyncClient, login_as: LoginAs
) -> None:
    admin = await login_as("admin")
    created = (await api_client.post(URL, json=GOOD, headers=admin.headers)).json()
    refused = await api_client.patch(
        f"{URL}/{created['id']}", json={"url": None}, headers=admin.headers
    )
    assert refused.status_code == 422
    assert (await api_client.patch(f"{URL}/999", json={}, headers=admin.headers)).status_code == 404


async def test_dead_letters_are_listed_and_replayed(
    api_client: httpx.AsyncClient, login_as: LoginAs, services: Services, add_contact: AddContact
) -> None:
    admin = await login_as("admin")
    await api_client.post(URL, json=GOOD, headers=admin.headers)
    contact = await add_contact("Dana", "Dobrá", "+421900555666")
    store = services.webhook_deliveries
    await store.dispatch()
    (due,) = await store.due(datetime.now(UTC))
    await store.record([Outcome(due.delivery_id, False, "HTTP 500: boom")])
    dead = (await api_client.get(f"{URL}/dead", headers=admin.headers)).json()
    assert [(d["type"], d["last_error"]) for d in dead] == [("contact.created", "HTTP 500: boom")]
    assert dead[0]["event"]["data"]["contact"]["id"] == contact.id
    replay = await api_client.post(f"{URL}/dead/{due.delivery_id}/replay", headers=admin.headers)
    assert replay.json() == {"replayed": 1}
    assert (await api_client.get(f"{URL}/dead", headers=admin.headers)).json() == []
    again = await api_client.post(f"{URL}/dead/{due.delivery_id}/replay", headers=admin.headers)
    assert again.status_code == 404
