"""What a (re)connecting browser is shown first: the pops of its extensions and the supervisor's
snapshot. In one process (`--role all`) the bridge's own memory answers; a web replica
(`--role web`) reads what the ingest retained on the bus, so any replica answers the same."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Protocol

from cti.bus.base import SUPERVISOR_SNAPSHOT, Bus, Message, Retain, pops_key
from cti.screenpop.registry import PopRegistry


class LiveState(Protocol):
    async def pops(self, extensions: set[str]) -> list[Message]: ...

    async def dismiss(self, extensions: set[str], linkedid: str) -> None: ...

    async def supervisor(self) -> Message: ...


class LocalLiveState:
    """The bridges in this process (one per PBX): their PopRegistries (keyed by agent key,
    cti/pbxs.py:agent_key, so two PBXs' extensions never mix) and live queue statistics."""

    def __init__(
        self, registries: Sequence[PopRegistry], current: Callable[[], Message], bus: Bus
    ) -> None:
        self.registries, self.current, self.bus = tuple(registries), current, bus

    async def pops(self, extensions: set[str]) -> list[Message]:
        return [pop for registry in self.registries for pop in registry.current(extensions)]

    async def dismiss(self, extensions: set[str], linkedid: str) -> None:
        for registry in self.registries:
            for extension in extensions:
                registry.remove(extension, linkedid)
        await self.bus.retain([Retain(pops_key(ext), linkedid) for ext in sorted(extensions)])

    async def supervisor(self) -> Message:
        return self.current()


class RetainedLiveState:
    """What the ingest retained on the bus (Redis): the same answer on every web replica."""

    def __init__(self, bus: Bus) -> None:
        self.bus = bus

    async def pops(self, extensions: set[str]) -> list[Message]:
        found: list[Message] = []
        for extension in sorted(extensions):
            kept = await self.bus.retained_map(pops_key(extension))
            ordered = sorted(kept.values(), key=lambda entry: int(entry.get("order", 0)))
            found.extend(entry["pop"] for entry in ordered if "pop" in entry)
        return found

    async def dismiss(self, extensions: set[str], linkedid: str) -> None:
        await self.bus.retain([Retain(pops_key(ext), linkedid) for ext in sorted(extensions)])

    async def supervisor(self) -> Message:
        snapshot = await self.bus.retained(SUPERVISOR_SNAPSHOT)
        if snapshot is not None:
            return snapshot
        # no ingest has published yet: an empty picture, not an error
        return {"type": "snapshot", "at": time.time(), "day_start": 0.0, "queues": [], "agents": []}
