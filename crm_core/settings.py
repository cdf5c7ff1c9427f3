"""CRM settings, read from the environment by `load_settings()` (never at import time).

Every setting, its environment variable and its default:

- ``CTI_DATABASE_URL`` (default ``sqlite+aiosqlite:///var/cti.db``): the SQLAlchemy async URL.
  SQLite (``sqlite+aiosqlite:///path``) and PostgreSQL (``postgresql+asyncpg://user@host/db``) are
  supported; the directory of a SQLite file is created when needed.
- ``CRM_DEFAULT_REGION`` (default ``SK``): the ISO 3166 region used to read phone numbers typed
  without a country code, e.g. ``0900 123 456`` becomes ``+421900123456``.
- ``CTI_SECRET_KEY`` (default: generated): the key that signs access tokens. When unset, a random
  key is generated on first use and kept in ``<CTI_VAR_DIR>/secret_key`` so tokens survive restarts.
- ``CTI_TOKEN_TTL_SECONDS`` (default ``43200``, 12 hours): how long an access token stays valid.
- ``CTI_HTTP_HOST`` (default ``127.0.0.1``) and ``CTI_HTTP_PORT`` (default ``8000``): where
  ``cti serve`` listens.
- ``CTI_VAR_DIR`` (default ``var``): the directory for local state (the SQLite file by default,
  the generated secret key).
- Sign-in protection (README "Security"): ``CTI_LOGIN_FREE_FAILURES`` (5) wrong passwords per
  login and ``CTI_LOGIN_ADDRESS_FREE_FAILURES`` (30) per address before a doubling wait (1 s up
  to ``CTI_LOGIN_MAX_WAIT_SECONDS``, 900); ``CTI_LOGIN_RATE`` (5) attempts a second per address
  (bursts of ``CTI_LOGIN_BURST``, 20); ``CTI_HASH_WORKERS`` (one less than the cores, at least
  1) password hashing threads, run at a lower CPU priority than the event loop, with at most
  ``CTI_HASH_QUEUE`` (16) waiting; ``CTI_MAX_BODY_BYTES`` (1 MiB) per request body.
- ``CTI_RECORDINGS_DIR`` (default ``/var/spool/asterisk/monitor``): where the PBX's call
  recordings are read from (Asterisk's monitor directory, on this host or mounted from the PBX:
  dialplans/README.md); only plain file names inside it are ever opened.
- ``CTI_VOICEMAIL_DIR`` (default ``/var/spool/asterisk/voicemail``): Asterisk's voicemail spool
  (``<context>/<box>/INBOX/msgNNNN.txt`` and ``.wav``), on this host or mounted from the PBX;
  only ``context/box/folder/msgNNNN.ext`` names inside it are ever opened.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import phonenumbers
from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///var/cti.db"


class CrmSettings(BaseSettings):
    """The CRM's configuration; see the module docstring for each variable."""

    model_config = SettingsConfigDict(populate_by_name=True, extra="ignore", frozen=True)

    database_url: str = Field(DEFAULT_DATABASE_URL, validation_alias="CTI_DATABASE_URL")
    default_region: str = Field("SK", validation_alias="CRM_DEFAULT_REGION")
    secret_key: str | None = Field(None, validation_alias="CTI_SECRET_KEY")
    token_ttl_seconds: int = Field(12 * 3600, gt=0, validation_alias="CTI_TOKEN_TTL_SECONDS")
    http_host: str = Field("127.0.0.1", validation_alias="CTI_HTTP_HOST")
    http_port: int = Field(8000, gt=0, lt=65536, validation_alias="CTI_HTTP_PORT")
    var_dir: Path = Field(Path("var"), validation_alias="CTI_VAR_DIR")
    login_free_failures: int = Field(5, ge=1, validation_alias="CTI_LOGIN_FREE_FAILURES")
    login_address_free_failures: int = Field(
        30, ge=1, validation_alias="CTI_LOGIN_ADDRESS_FREE_FAILURES"
    )
    login_max_wait_seconds: float = Field(900, gt=0, validation_alias="CTI_LOGIN_MAX_WAIT_SECONDS")
    login_rate: float = Field(5, gt=0, validation_alias="CTI_LOGIN_RATE")
    login_burst: int = Field(20, ge=1, validation_alias="CTI_LOGIN_BURST")
    hash_workers: int = Field(
        default_factory=lambda: max(1, (os.cpu_count() or 2) - 1),
        ge=1, le=64, validation_alias="CTI_HASH_WORKERS",
    )  # fmt: skip
    hash_queue: int = Field(16, ge=0, validation_alias="CTI_HASH_QUEUE")
    max_body_bytes: int = Field(1024 * 1024, ge=1024, validation_alias="CTI_MAX_BODY_BYTES")
    recordings_dir: Path = Field(
        Path("/var/spool/asterisk/monitor"), validation_alias="CTI_RECORDINGS_DIR"
    )
    voicemail_dir: Path = Field(
        Path("/var/spool/asterisk/voicemail"), validation_alias="CTI_VOICEMAIL_DIR"
    )

    @field_validator("default_region")
    @classmethod
    def _known_region(cls, value: str) -> str:
        region = value.strip().upper()
        if region not in phonenumbers.SUPPORTED_REGIONS:
            raise ValueError(f"unknown phone region {value!r}")
        return region


def load_settings() -> CrmSettings:
    """Read the settings from the environment."""
    return CrmSettings()


def signing_key(settings: CrmSettings) -> bytes:
    """The token signing key: CTI_SECRET_KEY, else the one persisted in var/secret_key."""
    if settings.secret_key:
        return settings.secret_key.encode()
    key_file = settings.var_dir / "secret_key"
    if not key_file.exists():
        key_file.parent.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(48))
        key_file.chmod(0o600)
    return key_file.read_text().strip().encode()
