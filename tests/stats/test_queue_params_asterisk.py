"""The bridge's queue parameters against what the sandbox Asterisk reports over AMI, with the
repository's queues.conf unreadable (issue 19).

Asterisk 22 reports each queue's `ServiceLevel` and `Strategy` (QueueParams) and each member's
own `Wrapuptime` (QueueMember; 0: the queue's applies), not the queue's wrapuptime: the bridge
reads that from the PBX's own queues.conf (here the copy the sandbox's Asterisk runs, inside its
chroot), never from the repository's. Any open of the repository's file in this process fails
with PermissionError (an audit hook: the suite runs as root, whom file modes do not stop) and
is recorded, so a bridge that even tried would fail the test.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from crm_core.services import Services
from crm_core.settings import CrmSettings
from cti.sandbox.manager import ConnectionInfo
from cti.stats.agents import extension_of
from cti.stats.queueconf import wrapup_seconds
from tests.fixtures.bridge import bridge_settings, sandbox_queues_conf, serve_bridge, wait_until

pytestmark = pytest.mark.asterisk
REPOSITORY_QUEUES_CONF = os.path.realpath(
    Path(__file__).resolve().parents[2] / "dialplans" / "asterisk" / "queues.conf"
)
_blocked: list[list[str]] = []  # while a test runs: the attempts to open the repository's file


def _refuse_the_repository_copy(event: str, args: tuple[Any, ...]) -> None:
    if not _blocked or event != "open" or not isinstance(args[0], str | bytes | os.PathLike):
        return
    path = os.path.realpath(os.fsdecode(args[0]))
    if path == REPOSITORY_QUEUES_CONF:
        _blocked[-1].append(path)
        raise PermissionError(13, "Permission denied", path)


sys.addaudithook(_refuse_the_repository_copy)


@pytest.fixture
def repository_copy_unreadable(asterisk: ConnectionInfo) -> Iterator[list[str]]:
    """After the sandbox is up (it copies dialplans/ into its chroot when it starts)."""
    attempts: list[str] = []
    _blocked.append(attempts)
    try:
        with pytest.raises(PermissionError):
            Path(REPOSITORY_QUEUES_CONF).read_text()
        attempts.clear()
        yield attempts
    finally:
        _blocked.remove(attempts)


@pytest.fixture
def pbx_wrapup() -> dict[str, float]:
    """Each queue's wrapuptime in the queues.conf the sandbox's Asterisk runs."""
    return wrapup_seconds(Path(sandbox_queues_conf()).read_text())


def by_event(replies: list[dict[str, str]], name: str) -> list[dict[str, str]]:
    return [reply for reply in replies if reply.get("Event") == name]


async def test_threshold_strategy_and_wrap_up_are_what_the_pbx_says(
    repository_copy_unreadable: list[str],
    pbx_wrapup: dict[str, float],
    crm_settings: CrmSettings,
    services: Services,
    asterisk: ConnectionInfo,
) -> None:
    async with serve_bridge(crm_settings, bridge_settings(asterisk), services) as running:
        stats = running.bridge.stats
        replies = await running.bridge.ami.send_action({"Action": "QueueStatus"})
        params = {p["Queue"]: p for p in by_event(replies, "QueueParams")}
        assert {"sales", "support"} <= set(params)

        def reported() -> bool:
            queues = {q["name"]: q for q in stats.current()["queues"]}
            return all(
                name in queues and queues[name]["sources"]["strategy"] == "ami" for name in params
            )

        await wait_until(reported, 15, "the bridge's own QueueStatus answer")
        queues = {q["name"]: q for q in stats.current()["queues"]}
        for name, theirs in params.items():
            assert queues[name]["service_level_seconds"] == float(theirs["ServiceLevel"]), name
            assert queues[name]["strategy"] == theirs["Strategy"], name
            assert queues[name]["sources"]["service_level_seconds"] == "ami", name

        for name in params:
            assert queues[name]["wrapup_seconds"] == pbx_wrapup.get(name, 0.0), name
            assert queues[name]["sources"]["wrapup_seconds"] == "queues.conf", name
        assert queues["support"]["wrapup_seconds"] > 0  # the sandbox's support queue has one
        for member in by_event(replies, "QueueMember"):
            queue, extension = member["Queue"], extension_of(member["Location"])
            own = float(member["Wrapuptime"])
            assert stats.stats.wrapup_after(queue, extension) == (own or pbx_wrapup[queue])
    assert repository_copy_unreadable == [], "the bridge tried to read the repository's copy"
