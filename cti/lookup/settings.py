"""CTI_LOOKUP_*: where the other CRM answers, how long a pop may wait for it, how long to keep."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class LookupSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CTI_LOOKUP_", extra="ignore")

    url: str = ""
    """Empty: no external lookup. Asked as GET <url>?e164=%2B421900123456."""
    token: str = ""
    """Sent as `Authorization: Bearer <token>` when set."""
    crm_name: str = Field("the other CRM", min_length=1, max_length=60)
    """How the page names it: "From HubSpot", "Open in HubSpot" (the pop's `external.crm`)."""
    budget_seconds: float = Field(0.3, gt=0, le=5)
    """The longest a pop (or a routing answer) waits for the other CRM."""
    cache_seconds: float = Field(300.0, ge=0)
    miss_cache_seconds: float = Field(60.0, ge=0)
    """How long "not known there" (404) is kept; errors and time-outs are not kept."""
