"""Transcription settings (CTI_TRANSCRIBE_*) and the optional summary model (CTI_SUMMARY_*)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

Backend = Literal["off", "pocketsphinx", "faster-whisper", "openai"]


class TranscriptSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CTI_TRANSCRIBE_", extra="ignore")

    backend: Backend = "pocketsphinx"
    # The recordings are read from CTI_RECORDINGS_DIR (crm_core/settings.py), as listeners do.
    # faster-whisper: the model folder the admin provides (a CTranslate2 conversion).
    model_dir: str = ""
    # An OpenAI-compatible server: base URL (".../v1" is added when missing), token, model.
    url: str = ""
    token: str = ""
    model: str = "whisper-1"
    language: str = "en"
    timeout_seconds: float = Field(120.0, gt=0)
    poll_seconds: float = Field(2.0, gt=0)
    lease_seconds: float = Field(1800.0, gt=0)
    retry_base_seconds: float = Field(30.0, gt=0)
    retry_max_seconds: float = Field(3600.0, gt=0)
    max_attempts: int = Field(6, ge=1, le=100)


class SummarySettings(BaseSettings):
    """A chat model that writes a short summary and a wrap-up note; empty `url`: no summary."""

    model_config = SettingsConfigDict(env_prefix="CTI_SUMMARY_", extra="ignore")

    url: str = ""
    token: str = ""
    model: str = "gpt-4o-mini"
    timeout_seconds: float = Field(60.0, gt=0)
