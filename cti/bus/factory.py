"""Build the bus named by CTI_BUS_URL."""

from __future__ import annotations

from cti.bus.base import Bus

DEFAULT_MAXLEN = 10_000


def create_bus(url: str, maxlen: int = DEFAULT_MAXLEN, reader_name: str = "") -> Bus:
    if url.startswith("memory://"):
        from cti.bus.memory import MemoryBus

        return MemoryBus()
    if url.startswith(("redis://", "rediss://", "unix://")):
        from cti.bus.redis import RedisBus

        return RedisBus(url, maxlen=maxlen, reader_name=reader_name)
    raise ValueError(f"CTI_BUS_URL must start with memory:// or redis://, got {url!r}")
