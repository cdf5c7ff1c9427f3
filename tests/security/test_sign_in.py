"""Findings 1, 2 and part of 9 (issue 13): sign-in off the event loop and bounded, throttled with
backoff, audited, alike for unknown logins and wrong passwords; a password policy; argon2id
with rehash of old scrypt hashes; a password change or a deactivation revokes old tokens."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import gc
import hashlib
import time
from collections.abc import AsyncIterator

import httpx
import pytest
import pytest_asyncio
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from crm_core.models import AuditEntry, User
from crm_core.services import Services, build_services
from crm_core.settings import CrmSettings
from cti.app import create_app
from tests.fixtures.db import TEST_PASSWORD, LoginAs, MakeUser


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def legacy_scrypt(password: str, n: int) -> str:
    """A hash as the bridge stored them before argon2id (scrypt$N$r$p$salt$digest)."""
    salt = b"0123456789abcdef"
    digest = hashlib.scrypt(password.encode(), salt=salt, n=n, r=8, p=1, dklen=32, maxmem=2**28)
    return f"scrypt${n}$8$1${_b64(salt)}${_b64(digest)}"


async def _login(client: httpx.AsyncClient, login: str, password: str) -> httpx.Response:
    return await client.post("/api/auth/login", json={"login": login, "password": password})


async def _set_hash(services: Services, user_id: int, stored: str) -> None:
    async with services.sessions.begin() as session:
        await session.execute(update(User).where(User.id == user_id).values(password_hash=stored))


async def test_a_slow_hash_leaves_the_event_loop_free_and_is_rehashed_as_argon2id(
    api_client: httpx.AsyncClient, make_user: MakeUser, services: Services
) -> None:
    user, password = await make_user()
    await _set_hash(services, user.id, legacy_scrypt(password, 2**17))  # ~0.3-1 s to check
    gaps: list[float] = []
    stop = asyncio.Event()

    async def ticker() -> None:
        last = time.perf_counter()
        while not stop.is_set():
            await asyncio.sleep(0.005)
            now = time.perf_counter()
            gaps.append(now - last)
            last = now

    # A full garbage collection of a long test session's heap pauses the loop too (seen: 0.7 s
    # in CI): it is kept out of the window, which measures the hashing alone.
    gc.collect()
    gc.disable()
    try:
        ticking = asyncio.create_task(ticker())
        started = time.perf_counter()
        response = await _login(api_client, user.login, password)
        took = time.perf_counter() - started
        stop.set()
        await ticking
    finally:
        gc.enable()
    assert response.status_code == 200, response.text
    assert max(gaps) < took / 2, f"the loop stalled {max(gaps):.3f} s of a {took:.3f} s login"
    async with services.sessions() as session:
        stored = await session.scalar(select(User.password_hash).where(User.id == user.id))
    assert stored is not None
    assert stored.startswith("$argon2id$")
    assert (await _login(api_client, user.login, password)).status_code == 200


@contextlib.asynccontextmanager
async def _client_with(
    db_engine: AsyncEngine, crm_settings: CrmSettings, **limits: int
) -> AsyncIterator[httpx.AsyncClient]:
    changed = crm_settings.model_copy(update=limits)
    built = build_services(changed, engine=db_engine)
    transport = httpx.ASGITransport(app=create_app(changed, services=built))
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        yield client
    built.cards.close()
    built.users.close()


@pytest_asyncio.fixture
async def narrow_client(
    db_engine: AsyncEngine, crm_settings: CrmSettings, services: Services
) -> AsyncIterator[httpx.AsyncClient]:
    """One hashing worker and one waiting place; address limits out of the way."""
    async with _client_with(
        db_engine, crm_settings, hash_workers=1, hash_queue=1, login_burst=100
    ) as client:
        yield client


@pytest_asyncio.fixture
async def unrated_client(
    db_engine: AsyncEngine, crm_settings: CrmSettings, services: Services
) -> AsyncIterator[httpx.AsyncClient]:
    """The attempts-a-second limit out of the way: only the failure count throttles."""
    async with _client_with(db_engine, crm_settings, login_burst=1_000) as client:
        yield client


async def test_hashing_is_bounded_busy_is_503_with_retry_after(
    narrow_client: httpx.AsyncClient, make_user: MakeUser
) -> None:
    user, password = await make_user()
    answers = await asyncio.gather(*(_login(narrow_client, user.login, password) for _ in range(8)))
    codes = sorted(answer.status_code for answer in answers)
    assert codes.count(200) >= 2, codes
    assert 503 in codes, codes
    busy = next(answer for answer in answers if answer.status_code == 503)
    assert int(busy.headers["retry-after"]) >= 1


async def test_guessing_is_throttled_and_even_the_right_password_waits(
    api_client: httpx.AsyncClient, make_user: MakeUser
) -> None:
    user, password = await make_user()
    codes = [(await _login(api_client, user.login, f"guess-{n}")).status_code for n in range(6)]
    assert codes == [401] * 6
    refused = await _login(api_client, user.login, password)
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) >= 1
    await asyncio.sleep(float(refused.headers["retry-after"]) + 0.1)
    assert (await _login(api_client, user.login, password)).status_code == 200


async def test_an_unknown_login_answers_like_a_wrong_password_and_both_are_audited(
    api_client: httpx.AsyncClient, make_user: MakeUser, services: Services
) -> None:
    user, _password = await make_user()
    wrong = await _login(api_client, user.login, "not-the-password")
    unknown = await _login(api_client, "nobody-here", "not-the-password")
    assert (wrong.status_code, wrong.json()) == (unknown.status_code, unknown.json())
    assert wrong.status_code == 401
    async with services.sessions() as session:
        rows = await session.scalars(select(AuditEntry).where(AuditEntry.action == "login_failed"))
        failures = {
            (row.actor_login, row.record_id, row.changes["reason"], row.changes["address"])
            for row in rows
        }
    assert failures == {
        (user.login, user.id, "wrong password", "127.0.0.1"),
        ("nobody-here", 0, "unknown login", "127.0.0.1"),
    }


async def test_one_address_spraying_many_logins_is_throttled(
    unrated_client: httpx.AsyncClient, crm_settings: CrmSettings
) -> None:
    free = crm_settings.login_address_free_failures
    codes = [
        (await _login(unrated_client, f"spray{n}", "Winter2024!")).status_code
        for n in range(free + 2)
    ]
    assert codes[:free] == [401] * free
    assert 429 in codes[free:]


@pytest.mark.parametrize(
    ("password", "accepted"),
    [
        ("abcd", False),
        ("password123", False),
        ("Password2024!", False),
        ("qwertyuiop", False),
        ("aaaaaaaaaaaa", False),
        ("newbie-newbie-1", False),  # contains the login
        ("correct horse battery", True),
    ],
)
async def test_the_password_policy(
    api_client: httpx.AsyncClient, login_as: LoginAs, password: str, accepted: bool
) -> None:
    admin = await login_as("admin")
    body = {"login": "newbie", "password": password}
    response = await api_client.post("/api/users", json=body, headers=admin.headers)
    assert response.status_code == (201 if accepted else 422), response.text
    if not accepted:
        assert response.json()["detail"][0]["loc"] == ["body", "password"]


async def test_a_password_change_or_a_deactivation_revokes_the_tokens_issued_before(
    api_client: httpx.AsyncClient, login_as: LoginAs
) -> None:
    admin = await login_as("admin")
    agent = await login_as("agent")
    path = f"/api/users/{agent.user.id}"
    assert (await api_client.get("/api/auth/me", headers=agent.headers)).status_code == 200
    change = {"password": "a-brand-new-secret"}
    assert (await api_client.patch(path, json=change, headers=admin.headers)).status_code == 200
    assert (await api_client.get("/api/auth/me", headers=agent.headers)).status_code == 401
    fresh = await _login(api_client, agent.user.login, "a-brand-new-secret")
    headers = {"Authorization": f"Bearer {fresh.json()['access_token']}"}
    assert (await api_client.get("/api/auth/me", headers=headers)).status_code == 200
    await api_client.patch(path, json={"active": False}, headers=admin.headers)
    await api_client.patch(path, json={"active": True}, headers=admin.headers)
    assert (await api_client.get("/api/auth/me", headers=headers)).status_code == 401
    assert (await _login(api_client, agent.user.login, TEST_PASSWORD)).status_code == 401
