"""/api/admin/routing over HTTP on a real database: order, switches, validation, roles, audit."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from crm_core.services import Services
from tests.fixtures.db import LoggedIn, LoginAs

URL = "/api/admin/routing/rules"
VIP = {"kind": "priority", "field": "company_tag", "value": "vip", "priority": 10,
       "queue": "sales", "label": "VIP"}  # fmt: skip
HOURS = {
    "kind": "business_hours",
    "queue": "support",
    "timezone": "Europe/Bratislava",
    "weekly": {"mon": [{"start": "08:00", "end": "16:30"}]},
    "closed_dates": ["2026-12-24"],
    "after_hours": {"action": "voicemail", "target": "200@default"},
}


@pytest.fixture
async def admin(services: Services, login_as: LoginAs) -> LoggedIn:
    await services.routing.ensure_defaults()
    return await login_as("admin")


async def _kinds(client: httpx.AsyncClient, me: LoggedIn) -> list[tuple[int, str, bool]]:
    rules = (await client.get(URL, headers=me.headers)).json()
    return [(r["position"], r["rule"]["kind"], r["rule"]["enabled"]) for r in rules]


async def test_defaults_reproduce_routing_as_it_was(
    api_client: httpx.AsyncClient, admin: LoggedIn
) -> None:
    rules = (await api_client.get(URL, headers=admin.headers)).json()
    assert [r["rule"] for r in rules] == [
        {"kind": "owner_first", "enabled": True, "name": "owner first", "ring_seconds": 15},
        {"kind": "did_queue", "enabled": True, "name": "DID 100", "did": "100", "queue": "sales"},
        {"kind": "did_queue", "enabled": True, "name": "DID 200", "did": "200",
         "queue": "support"},
    ]  # fmt: skip


async def test_create_insert_switch_move_replace_delete(
    api_client: httpx.AsyncClient, admin: LoggedIn, services: Services
) -> None:
    version = await services.routing.version()
    made = await api_client.post(URL, json=HOURS, headers=admin.headers)
    assert made.status_code == 201, made.text
    assert made.json()["position"] == 4
    assert made.json()["rule"]["weekly"]["mon"] == [{"start": "08:00:00", "end": "16:30:00"}]
    vip = await api_client.post(URL, json=VIP, params={"position": 1}, headers=admin.headers)
    vip_id = vip.json()["id"]
    assert [k for _, k, _ in await _kinds(api_client, admin)][:2] == ["priority", "owner_first"]
    off = await api_client.patch(f"{URL}/{vip_id}", json={"enabled": False, "position": 5},
                                 headers=admin.headers)  # fmt: skip
    assert (off.json()["position"], off.json()["rule"]["enabled"]) == (5, False)
    put = await api_client.put(f"{URL}/{vip_id}", json=VIP | {"priority": 20},
                               headers=admin.headers)  # fmt: skip
    assert (put.json()["rule"]["priority"], put.json()["position"]) == (20, 5)
    gone = await api_client.delete(f"{URL}/{made.json()['id']}", headers=admin.headers)
    assert gone.status_code == 204
    assert [p for p, _, _ in await _kinds(api_client, admin)] == [1, 2, 3, 4]
    assert await services.routing.version() == version + 5


def _errors(response: httpx.Response) -> list[tuple[str, str]]:
    assert response.status_code == 422, response.text
    return [(".".join(map(str, e["loc"])), e["msg"]) for e in response.json()["detail"]]


@pytest.mark.parametrize(
    ("body", "field", "says"),
    [
        (VIP | {"queue": "billing"}, "queue", "unknown queue 'billing' (known: sales, support)"),
        (HOURS | {"weekly": {"mon": [{"start": "17:00", "end": "08:00"}]}}, "weekly.mon.0",
         "closes (08:00:00) before it opens (17:00:00)"),
        (HOURS | {"weekly": {"mon": [{"start": "25:00", "end": "26:00"}]}}, "mon.0.start",
         "valid time"),
        (HOURS | {"weekly": {"someday": []}}, "weekly.someday.[key]", "'mon'"),
        (HOURS | {"timezone": "Mars/Olympus"}, "timezone", "unknown time zone 'Mars/Olympus'"),
        ({"kind": "owner_first", "ring_seconds": -5}, "ring_seconds", "greater than or equal"),
        ({"kind": "round_robin"}, "body", "'owner_first', 'priority', 'did_queue'"),
        (HOURS | {"after_hours": {"action": "voicemail", "target": "sales"}}, "after_hours",
         "voicemail box 'sales' is not like 100 or 100@default"),
    ],
)  # fmt: skip
async def test_bad_rules_are_refused_naming_the_field(
    api_client: httpx.AsyncClient, admin: LoggedIn, body: dict[str, Any], field: str, says: str
) -> None:
    errors = _errors(await api_client.post(URL, json=body, headers=admin.headers))
    assert any(loc.endswith(field) and says in msg for loc, msg in errors), errors
    assert len(await _kinds(api_client, admin)) == 3


async def test_non_admins_are_refused(
    api_client: httpx.AsyncClient, admin: LoggedIn, login_as: LoginAs
) -> None:
    agent, supervisor = await login_as("agent"), await login_as("supervisor")
    assert (await api_client.get(URL, headers=agent.headers)).status_code == 403
    assert (await api_client.get(URL, headers=supervisor.headers)).status_code == 200
    for me in (agent, supervisor):
        assert (await api_client.post(URL, json=VIP, headers=me.headers)).status_code == 403
        assert (await api_client.delete(f"{URL}/1", headers=me.headers)).status_code == 403
    assert (await api_client.get(URL)).status_code == 401
    assert len(await _kinds(api_client, admin)) == 3


async def test_every_change_is_audited(api_client: httpx.AsyncClient, admin: LoggedIn) -> None:
    made = (await api_client.post(URL, json=VIP, headers=admin.headers)).json()
    url = f"{URL}/{made['id']}"
    await api_client.patch(url, json={"enabled": False}, headers=admin.headers)
    await api_client.delete(url, headers=admin.headers)
    audit = await api_client.get("/api/audit", params={"table": "routing_rules",
                                 "record_id": made["id"]}, headers=admin.headers)  # fmt: skip
    entries = [(e["action"], e["actor_login"], e["changes"]) for e in audit.json()["items"]]
    login = admin.user.login
    assert entries[0][:2] == ("delete", login)
    assert entries[1] == ("update", login, {"enabled": [True, False]})
    assert entries[2][:2] == ("create", login)
    assert entries[2][2]["priority"] == 10
