"""The webhook sender's settings (CTI_WEBHOOK_*) and the PBX's name in every call's stable id."""

from __future__ import annotations

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class WebhookSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CTI_WEBHOOK_", extra="ignore")

    enabled: bool = True
    pbx_id: str = Field(
        "asterisk", min_length=1, max_length=64,
        validation_alias=AliasChoices("CTI_PBX_ID", "pbx_id"),
    )  # fmt: skip
    poll_seconds: float = Field(0.25, gt=0)
    concurrency: int = Field(16, ge=1, le=256)
    batch: int = Field(200, ge=1, le=5000)
    retry_base_seconds: float = Field(2.0, gt=0)
    retry_max_seconds: float = Field(600.0, gt=0)
    max_attempts: int = Field(20, ge=1)
    retention_days: float = Field(7.0, gt=0)
