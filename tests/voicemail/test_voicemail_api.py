"""Voicemail on the card: a spool pass links each message to its call, its card and ONE
call-back task; the API lists, streams with Range, audits, marks heard, refuses by the object
rule; a rescan adds nothing; a message Asterisk moves keeps its row (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import select

from crm_core.models import Task
from crm_core.models.enums import Role
from crm_core.services import Services
from crm_core.services.call_followup import FollowUpRules
from crm_core.services.dto import PageParams
from crm_core.services.dto.voicemails import ScanResult
from tests.crm_core.conftest import SYSTEM, AddContact, call_record
from tests.fixtures.db import LoginAs
from tests.voicemail.spool_files import leave_message

NUMBER, E164 = "0903123456", "+421903123456"


async def scan(services: Services, now: datetime | None = None) -> ScanResult:
    log = services.voicemail_log
    messages, broken = log.spool.scan()
    return await log.record_scan(
        SYSTEM, messages, log.spool.boxes(), now or datetime.now(UTC), broken=broken
    )


async def missed_call(services: Services, linkedid: str, at: datetime) -> int:
    services.calls.add_hook(FollowUpRules())
    call = await services.calls.register(
        SYSTEM, call_record(linkedid, caller=NUMBER, callee="350", started_at=at,
                            ended_at=at + timedelta(seconds=12), agents_rang=["1007"],
                            disposition="missed"),
    )  # fmt: skip
    return call.id


async def callbacks(services: Services) -> list[tuple[int, int | None, int | None]]:
    async with services.sessions() as session:
        rows = await session.scalars(select(Task).where(Task.kind == "callback").order_by(Task.id))
        return [(t.assignee_id, t.call_id, t.contact_id) for t in rows]


async def audit_actions(services: Services) -> list[str]:
    page = await services.audit.list(SYSTEM, PageParams(limit=500), table_name="voicemails")
    return [item.action for item in page.items]


async def test_a_message_lands_on_the_card_with_one_callback_and_streams(
    api_client: httpx.AsyncClient, services: Services, login_as: LoginAs,
    add_contact: AddContact,
) -> None:  # fmt: skip
    owner = await login_as(Role.AGENT, extensions=["1001"])
    box_agent = await login_as(Role.AGENT, extensions=["1007"])
    other = await login_as(Role.AGENT, extensions=["1002"])
    boss = await login_as(Role.SUPERVISOR)
    card = await add_contact("Petr", "Novák", NUMBER, owner_id=owner.user.id)
    at = datetime.now(UTC) - timedelta(minutes=3)
    call_id = await missed_call(services, "vm-1", at)
    assert await callbacks(services) == [(owner.user.id, call_id, card.id)]  # the missed call's
    leave_message(services.settings.voicemail_dir, 0, at=at + timedelta(seconds=9),
                  linkedid="vm-1", msg_id="m-1", seconds=2.5)  # fmt: skip
    result = await scan(services)
    (added,) = result.added
    assert (added.call_id, added.contact_id, added.mailbox) == (call_id, card.id, "1007")
    assert added.duration_seconds == 2.5  # the WAV's own length, finer than the metadata's
    assert (added.owner_id, added.heard, added.playable) == (box_agent.user.id, False, True)
    # the missed call's task is the one call-back, now the box's agent's
    assert await callbacks(services) == [(box_agent.user.id, call_id, card.id)]
    assert added.task_id is not None
    # a second message from the same caller attaches to the same open call-back
    leave_message(services.settings.voicemail_dir, 1, at=at + timedelta(seconds=60),
                  msg_id="m-2")  # fmt: skip
    assert len((await scan(services)).added) == 1
    assert len(await callbacks(services)) == 1
    assert (await scan(services)) == ScanResult()  # a rescan adds nothing
    listed = await api_client.get(f"/api/contacts/{card.id}/voicemails", headers=box_agent.headers)
    assert listed.status_code == 200
    assert [v["task_id"] for v in listed.json()] == [added.task_id, added.task_id]
    first = next(v for v in listed.json() if v["id"] == added.id)
    assert (first["caller_number"], first["external_e164"]) == (NUMBER, E164)
    assert (await api_client.get(f"/api/contacts/{card.id}/voicemails",
                                 headers=other.headers)).json() == []  # fmt: skip
    audio = f"/api/voicemails/{added.id}/audio"
    content = (services.settings.voicemail_dir / "default/1007/INBOX/msg0000.wav").read_bytes()
    part = await api_client.get(audio, headers=box_agent.headers | {"Range": "bytes=44-1043"})
    assert part.status_code == 206
    assert part.headers["content-type"] == "audio/wav"
    assert part.content == content[44:1044]
    heard = (await api_client.get(f"/api/voicemails/{added.id}", headers=boss.headers)).json()
    assert heard["heard"] is True  # the first listen
    assert heard["heard_by_id"] == box_agent.user.id
    assert (await api_client.get(audio, headers=other.headers)).status_code == 404
    refused = await api_client.get(audio, params={"download": True}, headers=box_agent.headers)
    assert refused.status_code == 403
    saved = await api_client.get(audio, params={"download": True}, headers=boss.headers)
    assert saved.status_code == 200
    assert "attachment" in saved.headers["content-disposition"]
    assert saved.content == content
    unheard = await api_client.put(
        f"/api/voicemails/{added.id}/heard", json={"heard": False}, headers=box_agent.headers
    )
    assert unheard.json()["heard"] is False
    bad = await api_client.put(
        f"/api/voicemails/{added.id}/heard", json={"heard": "maybe"}, headers=box_agent.headers
    )
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"][-1] == "heard"
    assert sorted(await audit_actions(services)) == sorted(
        ["create", "create", "listen", "update", "download", "update"]
    )
    timeline = await api_client.get(f"/api/contacts/{card.id}/timeline", headers=box_agent.headers)
    kinds = [item["kind"] for item in timeline.json()]
    assert kinds.count("voicemail") == 2


async def test_a_queue_box_follows_the_missed_call_rule_and_links_by_caller_and_time(
    services: Services, make_user: object, add_contact: AddContact, login_as: LoginAs
) -> None:
    owner = await login_as(Role.AGENT, extensions=["1001"])
    card = await add_contact("Iva", "Malá", NUMBER, owner_id=owner.user.id)
    at = datetime.now(UTC) - timedelta(minutes=5)
    call = await services.calls.register(
        SYSTEM,
        call_record(
            "q-1",
            caller=NUMBER,
            callee="100",
            started_at=at,
            ended_at=at + timedelta(seconds=40),
            disposition="answered",
        ),
    )  # fmt: skip  (no hooks here: no call-back for the call)
    leave_message(services.settings.voicemail_dir, 0, box="100", at=at + timedelta(seconds=20),
                  msg_id="q-m")  # fmt: skip
    (added,) = (await scan(services)).added
    assert (added.call_id, added.contact_id) == (call.id, card.id)  # no linkedid: caller + time
    assert added.owner_id == owner.user.id  # the card's owner, as for a missed call
    assert await callbacks(services) == [(owner.user.id, call.id, card.id)]


async def test_an_unknown_caller_without_a_call_gets_a_lead_after_the_grace(
    services: Services, make_user: object, login_as: LoginAs
) -> None:
    boss = await login_as(Role.SUPERVISOR)
    now = datetime.now(UTC)
    leave_message(services.settings.voicemail_dir, 0, box="200", at=now - timedelta(seconds=5),
                  number="0911222333", msg_id="u-1")  # fmt: skip
    waiting = await scan(services, now)
    assert (waiting.added, waiting.waiting) == ([], 1)  # its call may still be written
    (added,) = (await scan(services, now + timedelta(minutes=2))).added
    assert added.call_id is None
    assert added.contact_id is not None
    lead = await services.contacts.get(added.contact_id)
    assert (lead.status, lead.last_name) == ("lead", "+421911222333")
    assert await callbacks(services) == [(boss.user.id, None, added.contact_id)]
    assert added.owner_id == boss.user.id


async def test_a_withheld_caller_gets_no_callback(services: Services, login_as: LoginAs) -> None:
    agent = await login_as(Role.AGENT, extensions=["1007"])
    leave_message(services.settings.voicemail_dir, 0, number="",
                  at=datetime.now(UTC) - timedelta(minutes=5), msg_id="w-1")  # fmt: skip
    (added,) = (await scan(services)).added
    assert (added.contact_id, added.task_id, added.owner_id) == (None, None, agent.user.id)
    assert await callbacks(services) == []


async def test_a_message_moved_or_deleted_on_the_phone_keeps_its_row(
    api_client: httpx.AsyncClient, services: Services, login_as: LoginAs
) -> None:
    agent = await login_as(Role.AGENT, extensions=["1007"])
    root = services.settings.voicemail_dir
    at = datetime.now(UTC) - timedelta(minutes=5)
    first = leave_message(root, 0, at=at, msg_id="k-1")
    leave_message(root, 1, at=at + timedelta(seconds=30), msg_id="k-2")
    assert len((await scan(services)).added) == 2
    # heard on the phone: Asterisk moves it to Old; deleting msg0000 renumbers msg0001
    old = root / "default/1007/Old"
    old.mkdir()
    for ext in (".txt", ".wav"):
        first.with_suffix(ext).rename(old / f"msg0000{ext}")
    inbox = root / "default/1007/INBOX"
    for ext in (".txt", ".wav"):
        (inbox / f"msg0001{ext}").rename(inbox / f"msg0000{ext}")
    moved = await scan(services)
    assert (moved.added, moved.moved, moved.gone) == ([], 2, 0)
    ids = {v.id: v for v in await services.voicemails.list_for_contact(
        SYSTEM, (await services.voicemails.get(SYSTEM, 1)).contact_id or 0)}  # fmt: skip
    assert {v.folder for v in ids.values()} == {"INBOX", "Old"}
    for ext in (".txt", ".wav"):
        (old / f"msg0000{ext}").unlink()
    gone = await scan(services)
    assert gone.gone == 1
    gone_id = next(v.id for v in ids.values() if v.folder == "Old")
    answer = await api_client.get(f"/api/voicemails/{gone_id}/audio", headers=agent.headers)
    assert answer.status_code == 404
    assert answer.json()["code"] == "voicemail_missing"
    shown = (await api_client.get(f"/api/voicemails/{gone_id}", headers=agent.headers)).json()
    assert (shown["playable"], shown["gone_at"] is not None) == (False, True)


async def test_an_unmounted_spool_marks_nothing_gone(services: Services) -> None:
    root = services.settings.voicemail_dir
    leave_message(root, 0, at=datetime.now(UTC) - timedelta(minutes=5), msg_id="x-1")
    assert len((await scan(services)).added) == 1
    (root / "default").rename(root.parent / "elsewhere")
    assert (await scan(services)).gone == 0


@pytest.mark.parametrize("path", ["/api/voicemails/0", "/api/voicemails/abc/audio"])
async def test_bad_ids_are_422(api_client: httpx.AsyncClient, login_as: LoginAs, path: str) -> None:
    agent = await login_as(Role.AGENT)
    assert (await api_client.get(path, headers=agent.headers)).status_code == 422
