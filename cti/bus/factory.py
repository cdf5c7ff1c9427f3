"""Build the bus named by CTI_BUS_URL."""

from __future__ import annotations

from cti.bus.base import Bus


def create_bus(url: str) -> Bus:
    if url.startswith("memory://"):
        from cti.bus.memory import MemoryBus

        return MemoryBus()
    if url.startswith(("redis://", "rediss://", "unix://")):
        from cti.bus.redis import RedisBus

        return RedisBus(url)
    raise ValueError(f"CTI_BUS_URL must start with memory:// or redis://, got {url!r}")
