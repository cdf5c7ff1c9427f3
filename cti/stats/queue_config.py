"""Queue parameters the PBX does not report over AMI, from configuration (README "Queue
parameters: where each figure comes from").

Asterisk 22 reports a queue's service-level threshold (`ServiceLevel`) and strategy in
QueueParams and a member's own wrap-up (`Wrapuptime`, 0: the queue's applies) in QueueMember,
but not the queue's `wrapuptime`: AMI's GetConfig needs the `config` write privilege (which
also allows UpdateConfig) and `AST_CONFIG()` is refused over AMI. So a queue's wrap-up comes
from `CTI_QUEUE_WRAPUP` (per queue) or from the PBX's queues.conf at `CTI_QUEUES_CONF`; its
threshold and strategy from there too until the first QueueStatus answer replaces them.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cti.stats.model import QueueLive
from cti.stats.queueconf import queue_settings, seconds

log = logging.getLogger(__name__)
FROM_SETTINGS = "CTI_QUEUE_WRAPUP"
FROM_QUEUES_CONF = "queues.conf"


@dataclass(frozen=True)
class QueueConfig:
    """Per queue: the configured wrap-up, threshold and strategy, and where each came from."""

    wrapup: dict[str, float] = field(default_factory=dict)
    service_level: dict[str, float] = field(default_factory=dict)
    strategy: dict[str, str] = field(default_factory=dict)
    wrapup_source: dict[str, str] = field(default_factory=dict)

    @property
    def names(self) -> set[str]:
        return set(self.wrapup) | set(self.service_level) | set(self.strategy)

    @classmethod
    def of_wrapup(cls, wrapup: Mapping[str, float]) -> QueueConfig:
        return cls(dict(wrapup), wrapup_source=dict.fromkeys(wrapup, FROM_SETTINGS))


def read_queues_conf(path: Path) -> dict[str, dict[str, str]]:
    """The PBX's queues.conf; a path that cannot be read is logged, and nothing is taken."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        log.error("CTI_QUEUES_CONF %s cannot be read (%s): queue wrap-up times unknown", path, exc)
        return {}
    return queue_settings(text)


def queue_config(queues_conf: str, wrapup: Mapping[str, float]) -> QueueConfig:
    """`queues_conf`: the PBX's queues.conf ("" for none); `wrapup`: CTI_QUEUE_WRAPUP, which
    wins over the file."""
    parsed = read_queues_conf(Path(queues_conf)) if queues_conf else {}
    from_file = {name: seconds(values.get("wrapuptime")) or 0.0 for name, values in parsed.items()}
    levels = {name: seconds(values.get("servicelevel")) for name, values in parsed.items()}
    return QueueConfig(
        wrapup=from_file | dict(wrapup),
        service_level={name: level for name, level in levels.items() if level is not None},
        strategy={name: v["strategy"] for name, v in parsed.items() if v.get("strategy")},
        wrapup_source=dict.fromkeys(from_file, FROM_QUEUES_CONF)
        | dict.fromkeys(wrapup, FROM_SETTINGS),
    )


def parameters_view(name: str, live: QueueLive, config: QueueConfig) -> dict[str, Any]:
    """A queue's threshold, wrap-up and strategy for the snapshot, with where each came from:
    `ami` (the last QueueParams), `queues.conf`, `CTI_QUEUE_WRAPUP`, `default` or `unknown`."""
    reported = live.asterisk
    from_ami = _positive(reported.get("ServiceLevel"))
    configured_level = FROM_QUEUES_CONF if name in config.service_level else "default"
    configured_strategy = FROM_QUEUES_CONF if name in config.strategy else "unknown"
    return {
        "service_level_seconds": live.service_level,
        "wrapup_seconds": config.wrapup.get(name, 0.0),
        "strategy": reported.get("Strategy") or config.strategy.get(name, ""),
        "sources": {
            "service_level_seconds": "ami" if from_ami else configured_level,
            "wrapup_seconds": config.wrapup_source.get(name, "unknown"),
            "strategy": "ami" if reported.get("Strategy") else configured_strategy,
        },
    }


def _positive(value: str | None) -> bool:
    number = seconds(value)
    return number is not None and number > 0
