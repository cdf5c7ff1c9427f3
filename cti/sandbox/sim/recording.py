"""Record a scenario: a fresh Asterisk, the scenario's calls, the raw AMI stream, and a sidecar JSON
describing the business call and the record(s) it must produce."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

from cti.sandbox.ami import TERMINATOR, parse_message
from cti.sandbox.manager import Sandbox
from cti.sandbox.recorder import RawRecorder
from cti.sandbox.sim.scenarios import Scenario
from cti.sandbox.sim.world import open_world

AGENTS_REGEX = r"^PJSIP/(1\d{3})-"
FIELD_ORDER = (
    "linkedid",
    "direction",
    "caller",
    "caller_name",
    "callee",
    "queue",
    "agents_rang",
    "answered_by",
    "disposition",
    "transfers",
)


def call_linkedids(raw: bytes) -> list[str]:
    """Linkedids of the calls in order of their first channel. Left out: Local plumbing, a
    pickup's helper (the picker's dial of `*8` is no business call), a parking retriever's dial
    of the space, and an Originate that rang only its own first leg (refused, or a party
    brought into another call's conference)."""
    messages = [parse_message(block) for block in raw.split(TERMINATOR)]
    found: list[str] = []
    local_owners: set[str] = set()
    helpers: set[str] = set()
    for message in messages:
        event, linkedid = message.get("Event"), message.get("Linkedid", "")
        if event == "Pickup":
            helpers.add(linkedid)
        if event == "UnParkedCall":
            helpers.add(message.get("RetrieverLinkedid", ""))
        if event != "Newchannel" or not linkedid:
            continue
        own = linkedid == message.get("Uniqueid")
        if message.get("Channel", "").startswith("Local/"):
            if own:
                local_owners.add(linkedid)  # an Originate of a Local channel
        elif (own or linkedid in local_owners) and linkedid not in found:
            found.append(linkedid)
    lone = _lone_originates(messages, local_owners)
    return [linkedid for linkedid in found if linkedid not in helpers | lone]


def _lone_originates(messages: list[dict[str, str]], local_owners: set[str]) -> set[str]:
    """Originated calls (a Local first channel, or a first leg dialled by nobody) with one
    non-Local channel: nobody but the first leg was ever called."""
    originated = set(local_owners)
    parties: dict[str, set[str]] = {}
    for message in messages:
        linkedid = message.get("Linkedid", "")
        if message.get("Event") == "DialBegin" and not message.get("Channel"):
            originated.add(message.get("DestLinkedid", ""))
        channel = message.get("Channel", "")
        if message.get("Event") == "Newchannel" and not channel.startswith("Local/"):
            parties.setdefault(linkedid, set()).add(channel)
    return {linkedid for linkedid in originated if len(parties.get(linkedid, ())) <= 1}


def sidecar(scenario: Scenario, raw: bytes) -> dict[str, Any]:
    linkedids = call_linkedids(raw)
    if len(linkedids) != len(scenario.expected):
        raise RuntimeError(
            f"{scenario.name}: recorded {len(linkedids)} calls, expected {len(scenario.expected)}"
        )
    expected = [
        _ordered({"linkedid": lid, **record})
        for lid, record in zip(linkedids, scenario.expected, strict=True)
    ]
    return {"description": scenario.description, "agents_regex": AGENTS_REGEX, "expected": expected}


async def record_scenario(sandbox: Sandbox, scenario: Scenario, path: Path) -> Path:
    """Restart the sandbox (a clean slate: queue positions, ids), run the scenario, record it to
    `path` and its sidecar next to it (same name, .json)."""
    await asyncio.to_thread(sandbox.up, False)
    settings = sandbox.settings
    async with open_world(settings) as world:
        await asyncio.sleep(1)  # registrations settle (queue members become available)
        recorder = RawRecorder(settings.account("recorder"), path)
        await recorder.start()
        await scenario.script(world)
        await world.wait_idle()
        await asyncio.sleep(1)
        await recorder.stop()
    await asyncio.to_thread(_write_sidecar, scenario, path)
    return path


async def record_all(sandbox: Sandbox, scenarios: list[Scenario], directory: Path) -> None:
    for scenario in scenarios:
        await record_scenario(sandbox, scenario, directory / f"{scenario.name}.ami")


def _ordered(record: dict[str, Any]) -> dict[str, Any]:
    return {key: record[key] for key in FIELD_ORDER if key in record}


def _write_sidecar(scenario: Scenario, path: Path) -> None:
    info = sidecar(scenario, path.read_bytes())
    text = json.dumps(info, indent=2, ensure_ascii=False) + "\n"
    path.with_suffix(".json").write_text(text, encoding="utf-8")
