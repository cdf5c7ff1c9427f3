"""A user's own language (PUT /api/auth/me/preferences) and the error codes the pages translate."""

from __future__ import annotations

import httpx
import pytest

from tests.fixtures.db import LoginAs

pytestmark = pytest.mark.usefixtures("services")


@pytest.mark.parametrize("role", ["agent", "supervisor", "admin"])
async def test_each_user_stores_their_own_language(
    api_client: httpx.AsyncClient, login_as: LoginAs, role: str
) -> None:
    me = await login_as(role)
    other = await login_as("agent")
    assert (await api_client.get("/api/auth/me", headers=me.headers)).json()["language"] is None

    saved = await api_client.put(
        "/api/auth/me/preferences", json={"language": "sk"}, headers=me.headers
    )
    assert saved.status_code == 200
    assert saved.json()["language"] == "sk"
    assert (await api_client.get("/api/auth/me", headers=me.headers)).json()["language"] == "sk"
    assert (await api_client.get("/api/auth/me", headers=other.headers)).json()["language"] is None

    back = await api_client.put(
        "/api/auth/me/preferences", json={"language": None}, headers=me.headers
    )
    assert back.json()["language"] is None


@pytest.mark.parametrize(
    "body",
    [
        {"language": "slovak language"},
        {"language": "SK"},
        {"language": "x" * 17},
        {"language": 7},
        {},
    ],
)
async def test_a_bad_language_is_422_naming_the_field(
    api_client: httpx.AsyncClient, login_as: LoginAs, body: dict[str, object]
) -> None:
    me = await login_as("agent")
    response = await api_client.put("/api/auth/me/preferences", json=body, headers=me.headers)
    assert response.status_code == 422
    assert any("language" in error["loc"] for error in response.json()["detail"])


async def test_signed_out_is_401(api_client: httpx.AsyncClient) -> None:
    response = await api_client.put("/api/auth/me/preferences", json={"language": "sk"})
    assert response.status_code == 401
    assert response.json()["code"] == "not_signed_in"


async def test_error_bodies_carry_a_stable_code_and_its_words(
    api_client: httpx.AsyncClient, login_as: LoginAs
) -> None:
    me = await login_as("agent")
    first = await api_client.post(
        "/api/contacts",
        json={"first_name": "Ján", "phones": [{"number": "+421900123456"}]},
        headers=me.headers,
    )
    second = await api_client.post("/api/contacts", json={"last_name": "Iný"}, headers=me.headers)
    taken = await api_client.post(
        f"/api/contacts/{second.json()['id']}/phones",
        json={"number": "0900 123 456"},
        headers=me.headers,
    )
    assert taken.status_code == 409
    assert taken.json()["code"] == "phone_taken"
    assert taken.json()["params"]["name"] == "Ján"
    assert taken.json()["params"]["id"] == first.json()["id"]

    bad_phone = await api_client.post(
        f"/api/contacts/{second.json()['id']}/phones", json={"number": "123"}, headers=me.headers
    )
    assert bad_phone.status_code == 422
    assert bad_phone.json()["detail"][0]["code"] == "invalid_phone"

    too_long = await api_client.post(
        "/api/contacts", json={"first_name": "x" * 101}, headers=me.headers
    )
    item = too_long.json()["detail"][0]
    assert (item["type"], item["ctx"]) == ("string_too_long", {"max_length": 100})

    nameless = await api_client.post("/api/contacts", json={"position": "Boss"}, headers=me.headers)
    assert nameless.status_code == 422
    assert nameless.json()["detail"][0]["type"] == "name_required"

    wrong = await api_client.post("/api/auth/login", json={"login": "nobody", "password": "x"})
    assert (wrong.status_code, wrong.json()["code"]) == (401, "wrong_login")
