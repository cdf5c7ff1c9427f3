"""/api/admin/lead-rules and /api/leads over HTTP: order, switches, 422 naming the field, roles,
audit, and a supervisor's bulk reassignment."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from crm_core.models.enums import Role
from crm_core.services import Services
from crm_core.services.dto import Actor, ContactCreate, PhoneIn
from tests.fixtures.db import LoggedIn, LoginAs, MakeUser

URL = "/api/admin/lead-rules"
SALES = {"name": "Sales round-robin", "pool": {"kind": "queue", "queue": "sales"},
         "daily_cap": 5, "when": {"countries": ["SK"], "dids": ["100"]}}  # fmt: skip


@pytest.fixture
async def admin(login_as: LoginAs) -> LoggedIn:
    return await login_as("admin")


def _errors(response: httpx.Response) -> list[tuple[str, str]]:
    assert response.status_code == 422, response.text
    return [(".".join(map(str, e["loc"])), e["msg"]) for e in response.json()["detail"]]


async def test_create_insert_switch_move_replace_delete_and_audit(
    api_client: httpx.AsyncClient, admin: LoggedIn
) -> None:
    made = await api_client.post(URL, json=SALES, headers=admin.headers)
    assert made.status_code == 201, made.text
    assert made.json()["rule"]["timezone"] == "Europe/Bratislava"
    team = SALES | {"name": "VIP team", "pool": {"kind": "team", "members": [admin.user.login]}}
    first = await api_client.post(URL, json=team, params={"position": 1}, headers=admin.headers)
    rules = (await api_client.get(URL, headers=admin.headers)).json()
    assert [(r["position"], r["rule"]["name"]) for r in rules] == [
        (1, "VIP team"), (2, "Sales round-robin")
    ]  # fmt: skip
    rule_url = f"{URL}/{first.json()['id']}"
    off = await api_client.patch(rule_url, json={"enabled": False, "position": 2},
                                 headers=admin.headers)  # fmt: skip
    assert (off.json()["position"], off.json()["rule"]["enabled"]) == (2, False)
    put = await api_client.put(rule_url, json=team | {"daily_cap": 9, "enabled": False},
                               headers=admin.headers)  # fmt: skip
    assert put.json()["rule"]["daily_cap"] == 9
    assert (await api_client.delete(rule_url, headers=admin.headers)).status_code == 204
    where = {"table": "lead_rules", "record_id": first.json()["id"]}
    audit = await api_client.get("/api/audit", params=where, headers=admin.headers)
    entries = [(e["action"], e["changes"]) for e in audit.json()["items"]]
    assert [action for action, _ in entries] == ["delete", "update", "update", "create"]
    assert entries[1][1] == {"daily_cap": [5, 9]}
    assert entries[2][1] == {"enabled": [True, False], "position": [1, 2]}
    assert entries[3][1]["pool"] == {"kind": "team", "members": [admin.user.login]}


@pytest.mark.parametrize(
    ("body", "field", "says"),
    [
        (SALES | {"pool": {"kind": "queue", "queue": "billing"}}, "pool.queue",
         "unknown queue 'billing' (known: sales, support)"),
        (SALES | {"pool": {"kind": "team", "members": ["nobody"]}}, "pool.members",
         "no active user with login 'nobody'"),
        (SALES | {"pool": {"kind": "team", "members": []}}, "pool.team.members", "at least 1"),
        (SALES | {"pool": {"kind": "round"}}, "pool", "'queue', 'team'"),
        (SALES | {"daily_cap": 0}, "daily_cap", "greater than or equal to 1"),
        (SALES | {"when": {"countries": ["XX"]}}, "when.countries.0", "unknown country code 'XX'"),
        (SALES | {"when": {"languages": ["Slovak"]}}, "when.languages.0", "pattern"),
        (SALES | {"when": {"prefixes": ["4212"]}}, "when.prefixes.0", "pattern"),
        (SALES | {"when": {"dids": ["one"]}}, "when.dids.0", "pattern"),
        (SALES | {"when": {"sources": ["fax"]}}, "when.sources.0", "'call', 'import' or 'api'"),
        (SALES | {"timezone": "Mars/Olympus"}, "timezone", "unknown time zone 'Mars/Olympus'"),
        (SALES | {"name": ""}, "name", "at least 1"),
        (SALES | {"colour": "red"}, "colour", "Extra inputs"),
    ],
)  # fmt: skip
async def test_bad_rules_are_refused_naming_the_field(
    api_client: httpx.AsyncClient, admin: LoggedIn, body: dict[str, Any], field: str, says: str
) -> None:
    errors = _errors(await api_client.post(URL, json=body, headers=admin.headers))
    assert any(loc.endswith(field) and says in msg for loc, msg in errors), errors
    assert (await api_client.get(URL, headers=admin.headers)).json() == []


async def test_only_admins_change_rules_supervisors_read_them(
    api_client: httpx.AsyncClient, admin: LoggedIn, login_as: LoginAs
) -> None:
    agent, supervisor = await login_as("agent"), await login_as("supervisor")
    made = (await api_client.post(URL, json=SALES, headers=admin.headers)).json()
    assert (await api_client.get(URL, headers=agent.headers)).status_code == 403
    assert (await api_client.get(URL, headers=supervisor.headers)).status_code == 200
    for me in (agent, supervisor):
        assert (await api_client.post(URL, json=SALES, headers=me.headers)).status_code == 403
        patch = await api_client.patch(f"{URL}/{made['id']}", json={"enabled": False},
                                       headers=me.headers)  # fmt: skip
        assert patch.status_code == 403
        gone = await api_client.delete(f"{URL}/{made['id']}", headers=me.headers)
        assert gone.status_code == 403
    assert (await api_client.get(URL)).status_code == 401
    assert (await api_client.patch(f"{URL}/999", json={"enabled": False},
                                   headers=admin.headers)).status_code == 404  # fmt: skip


async def test_a_supervisor_reassigns_leads_in_bulk_audited(
    api_client: httpx.AsyncClient, services: Services, login_as: LoginAs, make_user: MakeUser
) -> None:
    supervisor, agent = await login_as("supervisor"), await login_as("agent")
    eva, _ = await make_user(Role.AGENT, login="eva")
    ids = []
    for n in range(3):
        data = ContactCreate(last_name=f"Lead {n}", phones=[PhoneIn(number=f"+42190555000{n}")])
        ids.append((await services.contacts.create(Actor.system(), data)).id)
    body = {"contact_ids": ids[:2], "owner_id": eva.id}
    refused = await api_client.post("/api/leads/reassign", json=body, headers=agent.headers)
    assert refused.status_code == 403
    done = await api_client.post("/api/leads/reassign", json=body, headers=supervisor.headers)
    assert done.status_code == 200, done.text
    assert done.json() == {"reassigned": 2, "owner": {"id": eva.id, "login": "eva",
                                                      "display_name": "eva"}}  # fmt: skip
    leads = (await api_client.get("/api/leads", headers=supervisor.headers)).json()
    by_id = {lead["id"]: lead for lead in leads}
    reason = f"reassigned to eva by {supervisor.user.login} (supervisor)"
    assert [(by_id[i]["owner"] or {}).get("login") for i in ids] == ["eva", "eva", None]
    assert by_id[ids[0]]["assignment_reason"] == reason
    card = (await api_client.get(f"/api/contacts/{ids[0]}", headers=supervisor.headers)).json()
    assert card["assignment_reason"] == reason
    audit = await api_client.get("/api/audit", params={"table": "contacts", "record_id": ids[1]},
                                 headers=supervisor.headers)  # fmt: skip
    assert audit.json()["items"][0]["changes"] == {"owner_id": [None, eva.id],
                                                   "assignment_reason": reason}  # fmt: skip
    assert (await api_client.get("/api/leads", headers=agent.headers)).status_code == 403


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"contact_ids": [], "owner_id": 1}, "contact_ids"),
        ({"contact_ids": [1], "owner_id": 0}, "owner_id"),
        ({"contact_ids": [987654], "owner_id": "me"}, "owner_id"),
        ({"contact_ids": [987654]}, "owner_id"),
    ],
)
async def test_bad_reassignments_name_the_field(
    api_client: httpx.AsyncClient, login_as: LoginAs, body: dict[str, Any], field: str
) -> None:
    supervisor = await login_as("supervisor")
    response = await api_client.post("/api/leads/reassign", json=body, headers=supervisor.headers)
    assert any(loc.endswith(field) for loc, _ in _errors(response))


async def test_unknown_cards_and_owners_are_422_naming_the_field(
    api_client: httpx.AsyncClient, services: Services, login_as: LoginAs
) -> None:
    supervisor = await login_as("supervisor")
    lead = await services.contacts.create(Actor.system(), ContactCreate(last_name="Lead"))
    for body, field in (({"contact_ids": [lead.id, 987654], "owner_id": supervisor.user.id},
                         "contact_ids"),
                        ({"contact_ids": [lead.id], "owner_id": 987654}, "owner_id")):  # fmt: skip
        response = await api_client.post("/api/leads/reassign", json=body,
                                         headers=supervisor.headers)  # fmt: skip
        assert any(loc.endswith(field) for loc, _ in _errors(response)), response.text
