"""The REST API: auth, contacts, companies, lookup, errors."""

from __future__ import annotations

import httpx
import pytest

from crm_core.security import TokenSigner
from tests.fixtures.db import LoginAs

pytestmark = pytest.mark.usefixtures("services")


async def test_login_returns_a_bearer_token_and_the_user(
    api_client: httpx.AsyncClient, login_as: LoginAs
) -> None:
    me = await login_as("supervisor", extensions=["1005"])
    response = await api_client.get("/api/auth/me", headers=me.headers)
    assert response.status_code == 200
    assert response.json()["login"] == me.user.login
    assert response.json()["extensions"] == ["1005"]


async def test_login_with_a_wrong_password_is_401(
    api_client: httpx.AsyncClient, login_as: LoginAs
) -> None:
    me = await login_as("agent")
    response = await api_client.post(
        "/api/auth/login", json={"login": me.user.login, "password": "nope"}
    )
    assert response.status_code == 401


@pytest.mark.parametrize("header", [None, "Bearer garbage", "Bearer a.b", "Basic dXNlcjpwYXNz"])
async def test_missing_or_invalid_token_is_401(
    api_client: httpx.AsyncClient, header: str | None
) -> None:
    headers = {"Authorization": header} if header else {}
    response = await api_client.get("/api/contacts", headers=headers)
    assert response.status_code == 401


async def test_expired_token_is_401(api_client: httpx.AsyncClient, login_as: LoginAs) -> None:
    me = await login_as("agent")
    expired = TokenSigner(b"test-secret-key", ttl_seconds=1).issue(me.user.id, now=0)
    response = await api_client.get("/api/auth/me", headers={"Authorization": f"Bearer {expired}"})
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]


async def test_contact_crud_and_search(api_client: httpx.AsyncClient, login_as: LoginAs) -> None:
    me = await login_as("agent")
    body = {"first_name": "Ján", "last_name": "Šťastný", "phones": [{"number": "0900 123 456"}]}
    created = await api_client.post("/api/contacts", json=body, headers=me.headers)
    assert created.status_code == 201
    contact = created.json()
    assert contact["owner"]["id"] == me.user.id
    assert contact["phones"][0]["e164"] == "+421900123456"
    found = await api_client.get("/api/contacts", params={"q": "šťastný"}, headers=me.headers)
    assert found.json()["total"] == 1
    assert set(found.json()) == {"items", "total", "limit", "offset"}
    patched = await api_client.patch(
        f"/api/contacts/{contact['id']}", json={"position": "CTO"}, headers=me.headers
    )
    assert patched.json()["position"] == "CTO"
    assert (
        await api_client.delete(f"/api/contacts/{contact['id']}", headers=me.headers)
    ).status_code == 204
    assert (
        await api_client.get(f"/api/contacts/{contact['id']}", headers=me.headers)
    ).status_code == 404


async def test_unicode_names_round_trip(api_client: httpx.AsyncClient, login_as: LoginAs) -> None:
    me = await login_as("agent")
    created = await api_client.post(
        "/api/contacts", json={"first_name": "伟", "last_name": "王"}, headers=me.headers
    )
    fetched = await api_client.get(f"/api/contacts/{created.json()['id']}", headers=me.headers)
    assert fetched.json()["full_name"] == "伟 王"


async def test_lookup_is_the_card_or_404(api_client: httpx.AsyncClient, login_as: LoginAs) -> None:
    me = await login_as("agent")
    body = {"last_name": "Smith", "phones": [{"number": "+44 (20) 7946-0958"}]}
    await api_client.post("/api/contacts", json=body, headers=me.headers)
    hit = await api_client.get("/api/lookup", params={"phone": "+442079460958"}, headers=me.headers)
    assert hit.json()["contact"]["last_name"] == "Smith"
    miss = await api_client.get("/api/lookup", params={"phone": "79460958"}, headers=me.headers)
    assert miss.status_code == 404


async def test_duplicate_phone_is_409_naming_the_card(
    api_client: httpx.AsyncClient, login_as: LoginAs
) -> None:
    me = await login_as("agent")
    first = await api_client.post(
        "/api/contacts",
        json={"first_name": "Ján", "last_name": "Šťastný", "phones": [{"number": "+421900123456"}]},
        headers=me.headers,
    )
    second = await api_client.post("/api/contacts", json={"last_name": "Other"}, headers=me.headers)
    response = await api_client.post(
        f"/api/contacts/{second.json()['id']}/phones",
        json={"number": "00421 900 123 456"},
        headers=me.headers,
    )
    assert response.status_code == 409
    assert response.json()["card"] == {
        "kind": "contact",
        "id": first.json()["id"],
        "name": "Ján Šťastný",
    }


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"first_name": "x" * 101}, "first_name"),
        ({"last_name": "ok", "email": "not-an-email"}, "email"),
        ({"last_name": "ok", "status": "vip"}, "status"),
        ({"last_name": "ok", "phones": [{"number": "x" * 65}]}, "number"),
        ({"last_name": "ok", "phones": [{"number": "123456"}]}, "number"),
        ({"last_name": "ok", "phones": [{"number": "anonymous"}]}, "number"),
        ({"last_name": "ok", "phones": [{"number": "212 555 0100"}]}, "number"),  # US, no +1
        ({"last_name": "ok", "phones": [{"number": "+421 900 123 456 7890"}]}, "number"),
    ],
)
async def test_bad_fields_are_422_naming_the_field(
    api_client: httpx.AsyncClient, login_as: LoginAs, body: dict[str, object], field: str
) -> None:
    me = await login_as("agent")
    response = await api_client.post("/api/contacts", json=body, headers=me.headers)
    assert response.status_code == 422
    assert any(field in error["loc"] for error in response.json()["detail"])


async def test_company_crud(api_client: httpx.AsyncClient, login_as: LoginAs) -> None:
    me = await login_as("agent")
    created = await api_client.post(
        "/api/companies", json={"name": "Acme", "tags": ["vip"]}, headers=me.headers
    )
    company_id = created.json()["id"]
    await api_client.patch(
        f"/api/companies/{company_id}", json={"name": "Acme Ltd"}, headers=me.headers
    )
    listed = await api_client.get("/api/companies", params={"q": "acme"}, headers=me.headers)
    assert [item["name"] for item in listed.json()["items"]] == ["Acme Ltd"]
    assert (
        await api_client.delete(f"/api/companies/{company_id}", headers=me.headers)
    ).status_code == 204
    assert (
        await api_client.get(f"/api/companies/{company_id}", headers=me.headers)
    ).status_code == 404


async def test_notes_and_timeline(api_client: httpx.AsyncClient, login_as: LoginAs) -> None:
    me = await login_as("agent")
    contact = (
        await api_client.post("/api/contacts", json={"last_name": "N"}, headers=me.headers)
    ).json()
    await api_client.post(
        f"/api/contacts/{contact['id']}/notes", json={"body": "hello"}, headers=me.headers
    )
    notes = await api_client.get(f"/api/contacts/{contact['id']}/notes", headers=me.headers)
    assert [note["body"] for note in notes.json()] == ["hello"]
    timeline = await api_client.get(f"/api/contacts/{contact['id']}/timeline", headers=me.headers)
    assert [item["kind"] for item in timeline.json()] == ["note"]


async def test_openapi_is_served(api_client: httpx.AsyncClient) -> None:
    schema = (await api_client.get("/openapi.json")).json()
    assert "/api/lookup" in schema["paths"]
    assert (await api_client.get("/docs")).status_code == 200
