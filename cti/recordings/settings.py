"""Recording retention and the sweep, read from the environment (README "Configuration").

Where recordings live is the CRM's `CTI_RECORDINGS_DIR` (crm_core/settings.py): the API reads
the files there and the sweep deletes them there.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

Days = Annotated[float, Field(gt=0)]


class RecordingSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CTI_RECORDING_", extra="ignore")

    # recordings older than this many days are deleted, unless their call is kept
    retention_days: Days = 90.0
    # per queue, JSON ({"support": 30}); calls in other queues or none: retention_days
    retention_by_queue: dict[str, Days] = Field(default_factory=dict)
    # how often files not yet complete are probed again and old ones are deleted
    sweep_seconds: float = Field(60.0, gt=0)

    def days_of(self, queue: str) -> float:
        return self.retention_by_queue.get(queue, self.retention_days)

    @property
    def shortest_days(self) -> float:
        return min([self.retention_days, *self.retention_by_queue.values()])
