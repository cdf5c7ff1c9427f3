"""GET /api/calls/{id}/recording(s): Range, content type, who may listen, audit, plain errors."""

from __future__ import annotations

import httpx
import pytest

from crm_core.models.enums import Role
from crm_core.services import Services
from crm_core.services.dto import PageParams
from tests.crm_core.conftest import SYSTEM, call_record
from tests.fixtures.db import LoginAs
from tests.recordings.helpers import recorded_call
from tests.recordings.wav import write_wav


async def audit_actions(services: Services, table: str = "call_recordings") -> list[str]:
    page = await services.audit.list(SYSTEM, PageParams(limit=500), table_name=table)
    return [item.action for item in page.items]


async def test_a_complete_recording_streams_with_range(
    api_client: httpx.AsyncClient, services: Services, login_as: LoginAs
) -> None:
    agent = await login_as(Role.AGENT, extensions=["1001"])
    call, recording = await recorded_call(services, "r1", seconds=2.0)
    assert (recording.status, recording.duration_seconds) == ("complete", 2.0)
    listed = await api_client.get(f"/api/calls/{call.id}/recordings", headers=agent.headers)
    assert listed.status_code == 200
    (item,) = listed.json()
    assert item["size_bytes"] == 44 + 32000
    assert item["parts"] == ["mixed", "received", "sent"]
    assert (item["received_speaker"], item["sent_speaker"]) == ("client", "agent")
    whole = await api_client.get(f"/api/calls/{call.id}/recording", headers=agent.headers)
    assert whole.status_code == 200
    assert whole.headers["content-type"] == "audio/wav"
    assert whole.headers["accept-ranges"] == "bytes"
    content = (services.settings.recordings_dir / "r1.wav").read_bytes()
    assert whole.content == content
    part = await api_client.get(
        f"/api/calls/{call.id}/recordings/{recording.id}",
        headers=agent.headers | {"Range": "bytes=1000-1099"},
    )
    assert part.status_code == 206
    assert part.headers["content-range"] == f"bytes 1000-1099/{len(content)}"
    assert part.content == content[1000:1100]
    tail = await api_client.get(
        f"/api/calls/{call.id}/recording", headers=agent.headers | {"Range": "bytes=-10"}
    )
    assert tail.status_code == 206
    assert tail.content == content[-10:]
    bad = await api_client.get(
        f"/api/calls/{call.id}/recording", headers=agent.headers | {"Range": "bytes=99999-"}
    )
    assert bad.status_code == 416
    assert bad.headers["content-range"] == f"bytes */{len(content)}"
    malformed = await api_client.get(
        f"/api/calls/{call.id}/recording", headers=agent.headers | {"Range": "lines=1-2"}
    )
    assert malformed.status_code == 400
    assert (await audit_actions(services)).count("listen") == 5


async def test_the_two_directions_stream_apart(
    api_client: httpx.AsyncClient, services: Services, login_as: LoginAs
) -> None:
    boss = await login_as(Role.SUPERVISOR)
    call, _ = await recorded_call(services, "r2")
    for part in ("received", "sent"):
        answer = await api_client.get(
            f"/api/calls/{call.id}/recording", params={"part": part}, headers=boss.headers
        )
        assert answer.status_code == 200
        suffix = "rx" if part == "received" else "tx"
        assert (
            answer.content == (services.settings.recordings_dir / f"r2-{suffix}.wav").read_bytes()
        )
    wrong = await api_client.get(
        f"/api/calls/{call.id}/recording", params={"part": "left"}, headers=boss.headers
    )
    assert wrong.status_code == 422
    assert wrong.json()["detail"][0]["loc"] == ["query", "part"]


async def test_missing_directions_are_not_offered(services: Services) -> None:
    _, recording = await recorded_call(services, "r3", sides=False)
    assert recording.parts == ["mixed"]


async def test_a_file_being_written_is_a_409_until_it_is_closed(
    api_client: httpx.AsyncClient, services: Services, login_as: LoginAs
) -> None:
    boss = await login_as(Role.SUPERVISOR)
    call, recording = await recorded_call(services, "r4", closed=False)
    assert recording.status == "stopped"
    assert recording.duration_seconds is None
    answer = await api_client.get(f"/api/calls/{call.id}/recording", headers=boss.headers)
    assert answer.status_code == 409
    assert answer.json()["code"] == "recording_in_progress"
    write_wav(services.settings.recordings_dir / "r4.wav", 1.0)  # Asterisk closed it
    answer = await api_client.get(f"/api/calls/{call.id}/recording", headers=boss.headers)
    assert answer.status_code == 200
    listed = await api_client.get(f"/api/calls/{call.id}/recordings", headers=boss.headers)
    assert listed.json()[0]["status"] == "complete"
    assert listed.json()[0]["duration_seconds"] == 1.0


async def test_a_recording_still_going_is_a_409(
    api_client: httpx.AsyncClient, services: Services, login_as: LoginAs
) -> None:
    boss = await login_as(Role.SUPERVISOR)
    call, recording = await recorded_call(services, "r5", closed=False, stopped=False)
    assert recording.status == "recording"
    answer = await api_client.get(f"/api/calls/{call.id}/recording", headers=boss.headers)
    assert answer.status_code == 409


async def test_missing_file_and_no_recording_are_404_with_a_reason(
    api_client: httpx.AsyncClient, services: Services, login_as: LoginAs
) -> None:
    boss = await login_as(Role.SUPERVISOR)
    call, _ = await recorded_call(services, "r6")
    (services.settings.recordings_dir / "r6.wav").unlink()
    answer = await api_client.get(f"/api/calls/{call.id}/recording", headers=boss.headers)
    assert answer.status_code == 404
    assert answer.json()["code"] == "recording_missing"
    (services.settings.recordings_dir / "r6-tx.wav").unlink()
    other, _ = await recorded_call(services, "r6b")
    (services.settings.recordings_dir / "r6b-tx.wav").unlink()
    sent = await api_client.get(
        f"/api/calls/{other.id}/recording", params={"part": "sent"}, headers=boss.headers
    )
    assert sent.status_code == 404
    assert sent.json()["code"] == "recording_missing"
    bare = await services.calls.register(SYSTEM, call_record("r6c"))
    none = await api_client.get(f"/api/calls/{bare.id}/recording", headers=boss.headers)
    assert none.status_code == 404
    assert none.json()["code"] == "not_found"
    unknown = await api_client.get(f"/api/calls/{call.id}/recordings/999999", headers=boss.headers)
    assert unknown.status_code == 404
    bad_id = await api_client.get(f"/api/calls/{call.id}/recordings/0", headers=boss.headers)
    assert bad_id.status_code == 422
    assert bad_id.json()["detail"][0]["loc"][-1] == "recording_id"


async def test_who_may_listen_and_download(
    api_client: httpx.AsyncClient, services: Services, login_as: LoginAs
) -> None:
    owner = await login_as(Role.AGENT, extensions=["1001"])
    other = await login_as(Role.AGENT, extensions=["1002"])
    target = await login_as(Role.AGENT, extensions=["1003"])
    boss = await login_as(Role.SUPERVISOR)
    transfer = {"kind": "blind", "from": "1001", "to": "1003", "at": "2026-12-03T10:00:00Z"}
    call, _ = await recorded_call(services, "r7", transfers=[transfer])
    url = f"/api/calls/{call.id}/recording"
    assert (await api_client.get(url)).status_code == 401
    assert (await api_client.get(url, headers=owner.headers)).status_code == 200
    assert (await api_client.get(url, headers=target.headers)).status_code == 200  # was on it
    hidden = await api_client.get(url, headers=other.headers)
    assert hidden.status_code == 404
    listed = await api_client.get(f"/api/calls/{call.id}/recordings", headers=other.headers)
    assert listed.status_code == 404
    refused = await api_client.get(url, params={"download": "true"}, headers=owner.headers)
    assert refused.status_code == 403
    download = await api_client.get(url, params={"download": "true"}, headers=boss.headers)
    assert download.status_code == 200
    assert download.headers["content-disposition"].startswith("attachment")
    assert "r7.wav" in download.headers["content-disposition"]
    actions = await audit_actions(services)
    assert (actions.count("listen"), actions.count("download")) == (2, 1)


async def test_keep_flag_is_for_staff_and_audited(
    api_client: httpx.AsyncClient, services: Services, login_as: LoginAs
) -> None:
    agent = await login_as(Role.AGENT, extensions=["1001"])
    boss = await login_as(Role.SUPERVISOR)
    call, _ = await recorded_call(services, "r8")
    url = f"/api/calls/{call.id}/keep"
    assert (
        await api_client.put(url, json={"keep": True}, headers=agent.headers)
    ).status_code == 403
    kept = await api_client.put(url, json={"keep": True}, headers=boss.headers)
    assert kept.status_code == 200
    assert kept.json()["keep_recordings"] is True
    again = await api_client.get(f"/api/calls/{call.id}", headers=boss.headers)
    assert again.json()["keep_recordings"] is True
    page = await services.audit.list(SYSTEM, PageParams(), table_name="calls", record_id=call.id)
    assert any(item.changes == {"keep_recordings": [False, True]} for item in page.items)
    for body in ({}, {"keep": "maybe"}, {"keep": None}):
        bad = await api_client.put(url, json=body, headers=boss.headers)
        assert bad.status_code == 422
        assert bad.json()["detail"][0]["loc"] == ["body", "keep"]
    gone = await api_client.put("/api/calls/999999/keep", json={"keep": True}, headers=boss.headers)
    assert gone.status_code == 404


@pytest.mark.parametrize("direction", ["internal"])
async def test_on_an_internal_call_both_sides_are_agents(
    api_client: httpx.AsyncClient, services: Services, login_as: LoginAs, direction: str
) -> None:
    boss = await login_as(Role.SUPERVISOR)
    call, _ = await recorded_call(services, "r9", direction=direction, caller="1002")
    (item,) = (
        await api_client.get(f"/api/calls/{call.id}/recordings", headers=boss.headers)
    ).json()
    assert item["sent_speaker"] == "agent"
