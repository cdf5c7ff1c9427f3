"""Settings of routing (the FastAGI hook) and agent state, read from CTI_* environment variables.

Kept apart from BridgeSettings (which says where the AGI server listens: CTI_AGI_HOST/PORT).
The routing rules themselves (owner first, priorities, DID queues, business hours) are stored in
the database and edited through /api/admin/routing.
"""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_PAUSE_REASONS = ["lunch", "break", "meeting", "training", "after-call work", "paperwork"]


class TelephonySettings(BaseSettings):
    """CTI_AGI_ENABLED, CTI_ROUTE_LOOKUP_BUDGET, CTI_ROUTE_RULES_REFRESH, CTI_PAUSE_REASONS ..."""

    model_config = SettingsConfigDict(env_prefix="CTI_", extra="ignore")

    # the FastAGI server (off: the dialplan's hook finds nobody and every call goes to its queue)
    agi_enabled: bool = True
    # a whole AGI session, hard limit; below the dialplan's CTI_AGI_TIMEOUT (2 s)
    agi_deadline: float = Field(1.5, gt=0)
    # the rules and CRM lookup inside one routing decision; past it the call goes to the queue
    route_lookup_budget: float = Field(0.5, gt=0)
    # how often the router checks for rules changed by another process (same process: at once)
    route_rules_refresh: float = Field(5.0, gt=0)
    # how long an owner's name and extensions are reused before the CRM is asked again
    route_owner_cache_seconds: float = Field(10.0, ge=0)
    # the queue when neither a DID rule nor the dialplan names one
    route_default_queue: str = "sales"
    # how a user's extension is named as a queue member and as a dialled device
    agent_interface: str = "PJSIP/{extension}"
    pause_reasons: list[str] = Field(default_factory=lambda: list(DEFAULT_PAUSE_REASONS))

    def interface(self, extension: str) -> str:
        return self.agent_interface.format(extension=extension)
