"""Several PBXs in one process: a Bridge each, the shared services told once (issue 14).

Before: each Bridge added the follow-up rules to the shared services (two PBXs: a missed call's
call-back task twice) and overwrote the routing service's queue list (the last PBX's queues
only). Now the composition root installs the rules once and gives the routing service the
union of every PBX's queues.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from crm_core.models import Contact, Task
from crm_core.models.enums import Direction, Disposition, Role
from crm_core.services import Services
from crm_core.services.dto import Actor, CallRecord
from crm_core.settings import CrmSettings
from cti.bridge import Bridge
from cti.composition import RoleError, build_app, describe_role, lease_name_of
from cti.settings import BridgeSettings
from tests.fixtures.db import MakeUser

T0 = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
TWO = [
    {"name": "prague", "ami_port": 15038, "agi_port": 14573},
    {"name": "brno", "ami_host": "127.0.0.2", "ami_port": 15039, "agi_port": 14574,
     "agent_channel_regex": r"^PJSIP/(2\d{3})-"},
]  # fmt: skip


def _settings(pbxs: list[dict[str, Any]], **extra: Any) -> BridgeSettings:
    return BridgeSettings.model_validate({"pbxs": pbxs, "sandbox": False, **extra})


def _missed(linkedid: str) -> CallRecord:
    return CallRecord.model_validate({
        "linkedid": linkedid, "direction": Direction.INBOUND, "caller": "+421905111222",
        "callee": "100", "queue": "sales", "agents_rang": ["1001"], "started_at": T0,
        "ended_at": T0 + timedelta(seconds=20), "disposition": Disposition.MISSED,
    })  # fmt: skip


async def test_each_pbx_gets_its_bridge_the_services_their_rules_once(
    crm_settings: CrmSettings, services: Services, make_user: MakeUser, tmp_path: Path
) -> None:
    await make_user(Role.SUPERVISOR)  # who gets the call-backs of card-less callers
    hooks_before = len(services.calls._hooks)
    pbxs = [dict(pbx) for pbx in TWO]
    for pbx, queue in zip(pbxs, ("prague-sales", "brno-support"), strict=True):
        conf = tmp_path / f"{pbx['name']}-queues.conf"
        conf.write_text(f"[{queue}]\nstrategy = rrmemory\nwrapuptime = 5\n")
        pbx["queues_conf"] = str(conf)
    app = build_app(crm_settings, _settings(pbxs), services=services)
    bridges: list[Bridge] = app.state.bridges
    assert [b.pbx for b in bridges] == ["prague", "brno"]
    assert [(b.settings.ami_host, b.settings.ami_port) for b in bridges] == [
        ("127.0.0.1", 15038), ("127.0.0.2", 15039),
    ]  # fmt: skip
    assert bridges[1].tracker._reg.config.agent_regex == r"^PJSIP/(2\d{3})-"
    assert [b.primary for b in bridges] == [True, False]
    # one process's rules: follow-up, queue call-back, webhook events (as with one PBX)
    assert len(services.calls._hooks) - hooks_before == 3

    await services.calls.register(Actor.system("cti"), _missed("1764838800.1"))
    async with services.sessions() as session:
        tasks = await session.scalar(select(func.count()).select_from(Task))
        leads = await session.scalar(select(func.count()).select_from(Contact))
    # the missed stranger's lead card and call-back task, once
    assert (leads, tasks) == (1, 1)

    known = services.routing.known_queues()
    assert {"prague-sales", "brno-support"} <= set(known)  # neither PBX overwrote the other


async def test_one_pbx_without_cti_pbxs_is_default(
    crm_settings: CrmSettings, services: Services
) -> None:
    app = build_app(crm_settings, BridgeSettings(sandbox=False, ami_port=15040), services=services)
    (bridge,) = app.state.bridges
    assert bridge.pbx == "default"
    assert bridge.settings.ami_port == 15040
    assert "PBX" not in describe_role("all", bridge.settings, crm_settings)


async def test_ingest_of_one_named_pbx(crm_settings: CrmSettings, services: Services) -> None:
    settings = _settings(TWO, pbx="brno", bus_url="redis://127.0.0.1:6379/0")
    app = build_app(crm_settings, settings, services=services, role="ingest")
    assert [b.pbx for b in app.state.bridges] == ["brno"]
    said = describe_role("ingest", settings, crm_settings)
    assert "PBX brno: AMI 127.0.0.2:15039" in said
    assert "prague" not in said


async def test_refusals_name_the_problem(crm_settings: CrmSettings, services: Services) -> None:
    with pytest.raises(RoleError, match="no PBX named 'ostrava'"):
        build_app(crm_settings, _settings(TWO, pbx="ostrava"), services=services)
    same_port = [dict(TWO[0]), dict(TWO[1], agi_port=14573)]
    with pytest.raises(RoleError, match="port 14573"):
        build_app(crm_settings, _settings(same_port), services=services)


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ('[{"name": "a"}, {"name": "a"}]', "given twice: a"),
        ('[{"name": "Prague 1"}]', "name"),
        ('[{"name": "a", "ami_port": 70000}]', "ami_port"),
        ('[{"name": "a", "agent_channel_regex": "("}]', "not a regular expression"),
        ('[{"name": "a", "colour": "red"}]', "colour"),
    ],
)
def test_cti_pbxs_refusals(monkeypatch: pytest.MonkeyPatch, value: str, says: str) -> None:
    monkeypatch.setenv("CTI_PBXS", value)
    with pytest.raises(ValueError, match=says):
        BridgeSettings()


def test_cti_pbxs_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CTI_PBXS", json.dumps(TWO))
    monkeypatch.setenv("CTI_AMI_SECRET", "shared-secret")
    settings = BridgeSettings()
    brno = settings.for_pbx(settings.pbx_configs()[1])
    assert (brno.pbx, brno.ami_port, brno.ami_secret) == ("brno", 15039, "shared-secret")


def test_each_pbxs_ingest_pair_has_its_own_lease() -> None:
    assert lease_name_of(BridgeSettings(sandbox=False)) == "ingest"  # one PBX: as before
    assert lease_name_of(_settings(TWO, pbx="brno")) == "ingest:brno"
    assert lease_name_of(_settings(TWO, pbx="prague", lease_name="cc")) == "cc:prague"
    with pytest.raises(RoleError, match="one per PBX with --pbx NAME"):
        lease_name_of(_settings(TWO))
