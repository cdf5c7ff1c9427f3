"""Settings of routing (the FastAGI hook) and agent state, read from CTI_* environment variables.

Kept apart from BridgeSettings (which says where the AGI server listens: CTI_AGI_HOST/PORT) so
the rules can grow without touching the bridge's connection settings.
"""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

# The DIDs of dialplans/asterisk/extensions.conf's [from-trunk] and the queue each one sets.
DEFAULT_DID_QUEUES = {"100": "sales", "200": "support"}
DEFAULT_PAUSE_REASONS = ["lunch", "break", "meeting", "training", "paperwork"]


class TelephonySettings(BaseSettings):
    """CTI_AGI_ENABLED, CTI_ROUTE_OWNER_FIRST, CTI_ROUTE_RING_SECONDS, CTI_PAUSE_REASONS ..."""

    model_config = SettingsConfigDict(env_prefix="CTI_", extra="ignore")

    # the FastAGI server (off: the dialplan's hook finds nobody and every call goes to its queue)
    agi_enabled: bool = True
    # a whole AGI session, hard limit; below the dialplan's CTI_AGI_TIMEOUT (2 s)
    agi_deadline: float = Field(1.5, gt=0)
    # the CRM lookup inside one routing decision; past it the call goes to the queue
    route_lookup_budget: float = Field(0.5, gt=0)
    route_owner_first: bool = True
    # how long an owner's name and extensions are reused before the CRM is asked again
    route_owner_cache_seconds: float = Field(10.0, ge=0)
    route_ring_seconds: int = Field(15, ge=1, le=120)
    route_did_queues: dict[str, str] = Field(default_factory=lambda: dict(DEFAULT_DID_QUEUES))
    route_default_queue: str = "sales"
    # how a user's extension is named as a queue member and as a dialled device
    agent_interface: str = "PJSIP/{extension}"
    pause_reasons: list[str] = Field(default_factory=lambda: list(DEFAULT_PAUSE_REASONS))

    def interface(self, extension: str) -> str:
        return self.agent_interface.format(extension=extension)

    def queue_for(self, did: str) -> str:
        return self.route_did_queues.get(did, self.route_default_queue)
