"""Queue parameters: threshold and strategy from AMI's QueueParams, a member's own wrap-up from
QueueMember, the queue's wrap-up from configuration (CTI_QUEUE_WRAPUP, the PBX's queues.conf),
and the snapshot says where each figure came from (issue 19)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from pydantic import ValidationError

from cti.settings import BridgeSettings
from cti.state.events import AmiEvent
from cti.stats.calculator import QueueStats
from cti.stats.queue_config import QueueConfig, queue_config
from tests.stats.helpers import event, fixed_day, queue_view

PBX_QUEUES_CONF = """
[general]
persistentmembers = no

[defaults](!)
servicelevel = 30
strategy = ringall
wrapuptime = 5 ; seconds

[billing](defaults)
member => PJSIP/2001,0,Ann

[claims](defaults)
strategy = leastrecent
wrapuptime = 15
"""


@pytest.fixture
def pbx_queues_conf(tmp_path: Path) -> Path:
    path = tmp_path / "queues.conf"
    path.write_text(PBX_QUEUES_CONF)
    return path


def stats_with(config: QueueConfig) -> QueueStats:
    return QueueStats(day_start=fixed_day, config=config)


def queue_params(at: float, queue: str, **headers: str) -> list[AmiEvent]:
    return [event("QueueParams", at, Queue=queue, **headers)]


def test_the_pbxs_queues_conf_gives_each_queue_its_templates_values(pbx_queues_conf: Path) -> None:
    config = queue_config(str(pbx_queues_conf), {})
    assert config.wrapup == {"billing": 5.0, "claims": 15.0}
    assert config.service_level == {"billing": 30.0, "claims": 30.0}
    assert config.strategy == {"billing": "ringall", "claims": "leastrecent"}
    billing = queue_view(stats_with(config).snapshot(10), "billing")
    assert (billing["service_level_seconds"], billing["wrapup_seconds"]) == (30.0, 5.0)
    assert billing["sources"] == {
        "service_level_seconds": "queues.conf",
        "wrapup_seconds": "queues.conf",
        "strategy": "queues.conf",
    }


def test_per_queue_settings_win_over_the_file(
    pbx_queues_conf: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CTI_QUEUES_CONF", str(pbx_queues_conf))
    monkeypatch.setenv("CTI_QUEUE_WRAPUP", '{"claims": 42, "orders": 7.5}')
    settings = BridgeSettings()
    config = queue_config(settings.queues_conf, settings.queue_wrapup)
    assert config.wrapup == {"billing": 5.0, "claims": 42.0, "orders": 7.5}
    assert config.wrapup_source["claims"] == config.wrapup_source["orders"] == "CTI_QUEUE_WRAPUP"
    assert config.wrapup_source["billing"] == "queues.conf"


def test_a_negative_wrap_up_is_refused_naming_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CTI_QUEUE_WRAPUP", '{"claims": -1}')
    with pytest.raises(ValidationError, match="queue_wrapup"):
        BridgeSettings()


def test_an_unreadable_queues_conf_is_logged_and_nothing_is_made_up(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    missing = tmp_path / "nowhere" / "queues.conf"
    with caplog.at_level(logging.ERROR, logger="cti.stats.queue_config"):
        config = queue_config(str(missing), {})
    assert config == QueueConfig()
    assert str(missing) in caplog.text


def test_without_configuration_the_wrap_up_is_unknown_and_the_threshold_the_default() -> None:
    stats = stats_with(queue_config("", {}))
    stats.apply(event("QueueCallerJoin", 5, Queue="sales", Uniqueid="c1", Linkedid="c1"))
    sales = queue_view(stats.snapshot(10), "sales")
    assert (sales["service_level_seconds"], sales["wrapup_seconds"], sales["strategy"]) == (
        20.0, 0.0, "",
    )  # fmt: skip
    assert sales["sources"] == {
        "service_level_seconds": "default",
        "wrapup_seconds": "unknown",
        "strategy": "unknown",
    }


def test_queue_params_from_ami_replace_the_configured_threshold_and_strategy(
    pbx_queues_conf: Path,
) -> None:
    stats = stats_with(queue_config(str(pbx_queues_conf), {}))
    stats.apply_status(queue_params(20, "claims", ServiceLevel="45", Strategy="rrmemory"), 20)
    claims = queue_view(stats.snapshot(21), "claims")
    assert (claims["service_level_seconds"], claims["strategy"]) == (45.0, "rrmemory")
    assert claims["sources"]["service_level_seconds"] == claims["sources"]["strategy"] == "ami"
    assert (claims["wrapup_seconds"], claims["sources"]["wrapup_seconds"]) == (15.0, "queues.conf")


def member(at: float, extension: str, wrapup: str) -> list[AmiEvent]:
    return [
        event("QueueParams", at, Queue="claims", ServiceLevel="30", Strategy="leastrecent"),
        event("QueueMember", at, Queue="claims", Location=f"PJSIP/{extension}", Name="A",
              Status="1", Paused="0", InCall="0", Wrapuptime=wrapup),
    ]  # fmt: skip


@pytest.mark.parametrize(("members_own", "expected"), [("0", 15.0), ("4", 4.0)])
def test_a_members_own_wrap_up_from_ami_wins_over_the_queues(
    pbx_queues_conf: Path, members_own: str, expected: float
) -> None:
    stats = stats_with(queue_config(str(pbx_queues_conf), {}))
    stats.apply_status(member(100, "2002", members_own), 100)
    stats.apply(event("AgentComplete", 130, Queue="claims", Interface="PJSIP/2002",
                      Uniqueid="c9", Linkedid="c9", HoldTime="3", TalkTime="20"))  # fmt: skip
    assert stats.wrapup_after("claims", "2002") == expected
    assert stats.agents["2002"].wrapup_until == 130 + expected
