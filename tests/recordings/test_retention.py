"""Retention: the bridge's sweep deletes recordings past their queue's days, unless kept."""

from __future__ import annotations

import httpx

from crm_core.models.enums import Role
from crm_core.services import Services
from crm_core.services.dto import PageParams
from cti.recordings.settings import RecordingSettings
from cti.recordings.sweep import RecordingSweep
from tests.crm_core.conftest import SYSTEM
from tests.fixtures.db import LoginAs
from tests.recordings.helpers import recorded_call
from tests.recordings.wav import write_wav


async def test_old_recordings_go_per_queue_and_kept_ones_stay(
    api_client: httpx.AsyncClient, services: Services, login_as: LoginAs
) -> None:
    boss = await login_as(Role.SUPERVISOR)
    root = services.settings.recordings_dir
    settings = RecordingSettings(retention_days=30, retention_by_queue={"support": 5})
    old_support, _ = await recorded_call(services, "s1", queue="support", age_days=6)
    young_sales, _ = await recorded_call(services, "s2", queue="sales", age_days=6)
    old_sales, _ = await recorded_call(services, "s3", queue="sales", age_days=31)
    kept, _ = await recorded_call(services, "s4", queue="support", age_days=40)
    no_queue, _ = await recorded_call(services, "s5", age_days=31)
    await services.recordings.set_keep(SYSTEM, kept.id, True)
    assert await RecordingSweep(services.recording_log, settings).tick() == 3
    for linkedid in ("s1", "s3", "s5"):
        assert not any(root.glob(f"{linkedid}*.wav"))
    assert len(list(root.glob("s2*.wav"))) == len(list(root.glob("s4*.wav"))) == 3
    listed = await api_client.get(f"/api/calls/{old_support.id}/recordings", headers=boss.headers)
    (item,) = listed.json()
    assert (item["status"], item["deleted_reason"], item["parts"]) == ("deleted", "retention", [])
    assert item["deleted_at"] is not None
    gone = await api_client.get(f"/api/calls/{old_support.id}/recording", headers=boss.headers)
    assert gone.status_code == 404
    assert gone.json()["code"] == "recording_deleted"
    page = await services.audit.list(SYSTEM, PageParams(), table_name="call_recordings")
    deletions = [item for item in page.items if item.action == "delete"]
    assert len(deletions) == 3
    assert {d.actor_login for d in deletions} == {"retention"}
    assert deletions[0].changes["reason"] == "retention"
    assert len(deletions[0].changes["files"]) == 3
    assert await RecordingSweep(services.recording_log, settings).tick() == 0  # nothing twice
    await services.recordings.set_keep(SYSTEM, kept.id, False)
    assert await RecordingSweep(services.recording_log, settings).tick() == 1
    del young_sales, old_sales, no_queue


async def test_the_sweep_settles_files_closed_later(services: Services) -> None:
    call, recording = await recorded_call(services, "s6", closed=False)
    assert recording.status == "stopped"
    sweep = RecordingSweep(services.recording_log, RecordingSettings())
    assert await sweep.tick() == 0
    write_wav(services.settings.recordings_dir / "s6.wav", 3.0)
    assert await sweep.tick() == 1
    (settled,) = await services.recordings.list_for_call(SYSTEM, call.id)
    assert (settled.status, settled.duration_seconds) == ("complete", 3.0)
