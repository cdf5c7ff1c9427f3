"""Calls keyed by (pbx, linkedid): two PBXs' colliding linkedids are two records, with their own
saved tracker states, recordings and queue call-back places; agents' extensions belong to a PBX;
the calls list and the reports filter by PBX (issue 14). SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from crm_core.errors import ConflictError
from crm_core.models.enums import Direction, Disposition, Role
from crm_core.services import Services
from crm_core.services.dto import Actor, CallFilter, CallRecord, UserCreate, UserUpdate
from crm_core.services.dto.recordings import RecordingStart
from tests.fixtures.db import TEST_PASSWORD, LoginAs

SYSTEM = Actor.system("cti")
T0 = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
SAME = "1764838800.1"  # both PBXs' first call of the day


def _call(pbx: str, answered_by: str = "1001", **extra: Any) -> CallRecord:
    return CallRecord.model_validate({
        "pbx": pbx, "linkedid": SAME, "direction": Direction.INBOUND,
        "caller": "+421905111222", "callee": "100", "queue": "sales",
        "agents_rang": [answered_by], "answered_by": answered_by, "started_at": T0,
        "answered_at": T0 + timedelta(seconds=4), **extra,
    })  # fmt: skip


async def _agent(services: Services, login: str, pbx: str, extension: str) -> int:
    data = UserCreate(login=login, password=TEST_PASSWORD, role=Role.AGENT,
                      extensions=[extension], pbx=pbx)  # fmt: skip
    user = await services.users.create(Actor.system(), data)
    return user.id


async def test_one_linkedid_on_two_pbxs_is_two_records_each_with_its_agent(
    services: Services,
) -> None:
    prague_agent = await _agent(services, "anna", "default", "1001")
    brno_agent = await _agent(services, "boris", "brno", "1001")
    first = await services.calls.register(SYSTEM, _call("default"))
    second = await services.calls.register(SYSTEM, _call("brno"))
    assert first.id != second.id
    assert (first.pbx, first.agent_id) == ("default", prague_agent)
    assert (second.pbx, second.agent_id) == ("brno", brno_agent)  # 1001 of brno is boris
    ended = T0 + timedelta(seconds=60)
    again = await services.calls.register(
        SYSTEM, _call("brno", ended_at=ended, disposition=Disposition.ANSWERED, talk_seconds=56)
    )
    assert again.id == second.id
    listed = await services.calls.list(SYSTEM, CallFilter())
    by_pbx = {call.pbx: call for call in listed.items}
    assert by_pbx["brno"].ended_at == ended
    assert by_pbx["default"].ended_at is None  # the other PBX's call is untouched
    only = await services.calls.list(SYSTEM, CallFilter(pbx="brno"))
    assert [(c.pbx, c.id) for c in only.items] == [("brno", second.id)]


async def test_a_batch_of_both_pbxs(services: Services) -> None:
    stored = await services.calls.register_many(
        SYSTEM, [_call("default"), _call("brno"), _call("default", caller="+421905000000")]
    )
    assert [c.pbx for c in stored] == ["default", "brno", "default"]
    assert stored[0].id == stored[2].id != stored[1].id


async def test_saved_tracker_states_are_each_pbxs_own(services: Services) -> None:
    states = services.call_states
    await states.save([{"linkedid": SAME, "n": 1}], [], 10.0, "default")
    await states.save([{"linkedid": SAME, "n": 2}], [], 20.0, "brno")
    assert (await states.load("default")).states == [{"linkedid": SAME, "n": 1}]
    brno = await states.load("brno")
    assert (brno.states, brno.clock) == ([{"linkedid": SAME, "n": 2}], 20.0)
    # brno's call ends: its state goes, default's stays
    await services.calls.register(
        SYSTEM, _call("brno", ended_at=T0 + timedelta(seconds=9), disposition="answered")
    )
    assert (await states.load("brno")).states == []
    assert (await states.load("default")).states == [{"linkedid": SAME, "n": 1}]
    assert await states.ended_among([SAME], "brno") == {SAME}
    assert await states.ended_among([SAME], "default") == set()


async def test_recordings_belong_to_the_call_of_their_pbx(services: Services) -> None:
    brno = await services.calls.register(SYSTEM, _call("brno"))
    here = await services.calls.register(SYSTEM, _call("default"))
    for pbx, name in (("brno", "brno-call.wav"), ("default", "prague-call.wav")):
        await services.recording_log.started(
            RecordingStart(pbx=pbx, linkedid=SAME, file_name=name, at=T0)
        )
    files = {
        call.pbx: [r.file_name for r in await services.recordings.list_for_call(SYSTEM, call.id)]
        for call in (brno, here)
    }
    assert files == {"brno": ["brno-call.wav"], "default": ["prague-call.wav"]}


async def test_queue_call_back_places_per_pbx(services: Services) -> None:
    asked = {"ended_at": T0 + timedelta(seconds=30), "answered_by": "", "answered_at": None,
             "disposition": Disposition.CALLBACK_REQUESTED, "agents_rang": []}  # fmt: skip
    from crm_core.services.queue_callback_rules import QueueCallbackRules

    services.calls.add_hook(QueueCallbackRules())
    await services.calls.register(SYSTEM, _call("default", **asked))
    await services.calls.register(SYSTEM, _call("brno", **asked))
    places = {pbx: await services.queue_callbacks.places(pbx) for pbx in ("default", "brno")}
    assert [len(found) for found in places.values()] == [1, 1]  # one place each, not one


async def test_an_extension_is_unique_per_pbx(services: Services) -> None:
    await _agent(services, "anna", "default", "1001")
    boris = await _agent(services, "boris", "brno", "1001")  # the same number, another PBX
    with pytest.raises(ConflictError, match="extension 1001"):
        await _agent(services, "cecil", "brno", "1001")
    found = await services.users.find_by_extension("1001", "brno")
    assert found is not None
    assert (found.login, found.pbx) == ("boris", "brno")
    moved = await services.users.update(Actor.system(), boris, UserUpdate(pbx="ostrava"))
    assert (moved.pbx, moved.extensions) == ("ostrava", ["1001"])
    assert await services.users.find_by_extension("1001", "brno") is None


async def test_calls_and_reports_filter_by_pbx_over_http(
    api_client: httpx.AsyncClient, services: Services, login_as: LoginAs
) -> None:
    done = {"ended_at": T0 + timedelta(seconds=60), "disposition": Disposition.ANSWERED,
            "talk_seconds": 56, "wait_seconds": 4}  # fmt: skip
    await services.calls.register(SYSTEM, _call("default", **done))
    await services.calls.register(SYSTEM, _call("brno", **done))
    await services.calls.register(SYSTEM, _call("brno", linkedid="1764838800.2", **done))
    boss = await login_as(Role.SUPERVISOR)
    calls = await api_client.get("/api/calls", params={"pbx": "brno"}, headers=boss.headers)
    assert calls.status_code == 200, calls.text
    assert [c["pbx"] for c in calls.json()["items"]] == ["brno", "brno"]
    everything = await api_client.get("/api/calls", headers=boss.headers)
    assert everything.json()["total"] == 3
    period = {"from": "2026-12-04", "to": "2026-12-05"}
    for pbx, offered in (("brno", 2), ("default", 1), (None, 3)):
        params = period | ({"pbx": pbx} if pbx else {})
        report = await api_client.get("/api/reports/queues", params=params, headers=boss.headers)
        assert report.status_code == 200, report.text
        assert report.json()["totals"]["offered"] == offered, pbx
    for path in ("/api/calls", "/api/reports/queues"):
        bad = await api_client.get(path, params=period | {"pbx": "Brno 2"}, headers=boss.headers)
        assert bad.status_code == 422
        assert bad.json()["detail"][0]["loc"] == ["query", "pbx"]
