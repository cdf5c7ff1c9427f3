"""A web replica's view of the PBX's queues, for the routing rules an admin writes there: the
queues of the ingest's last supervisor snapshot (retained on the bus), read every few seconds."""

from __future__ import annotations

from cti.bus.base import SUPERVISOR_SNAPSHOT, Bus, BusUnavailableError
from cti.periodic import Periodic

REFRESH_SECONDS = 5.0


class RetainedQueueNames(Periodic):
    task_name = "queue-names"

    def __init__(self, bus: Bus, default_queue: str, interval: float = REFRESH_SECONDS) -> None:
        self.bus, self.default_queue, self.interval = bus, default_queue, interval
        self.names: set[str] = {default_queue}

    async def tick(self) -> None:
        try:
            snapshot = await self.bus.retained(SUPERVISOR_SNAPSHOT)
        except BusUnavailableError:
            return  # Redis away: keep the names last read (readiness says so)
        if snapshot is not None:
            found = {str(queue["name"]) for queue in snapshot.get("queues", [])}
            self.names = found | {self.default_queue}

    def __call__(self) -> set[str]:
        return self.names
