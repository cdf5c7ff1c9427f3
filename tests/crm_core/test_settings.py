"""Settings from the environment and the persisted secret key."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from crm_core.settings import DEFAULT_DATABASE_URL, CrmSettings, load_settings, signing_key


def test_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("CTI_DATABASE_URL", "CRM_DEFAULT_REGION", "CTI_SECRET_KEY", "CTI_HTTP_PORT"):
        monkeypatch.delenv(name, raising=False)
    settings = load_settings()
    assert settings.database_url == DEFAULT_DATABASE_URL
    assert (settings.default_region, settings.http_port) == ("SK", 8000)
    assert settings.token_ttl_seconds == 12 * 3600


def test_environment_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRM_DEFAULT_REGION", "cz")
    monkeypatch.setenv("CTI_HTTP_PORT", "9000")
    settings = load_settings()
    assert (settings.default_region, settings.http_port) == ("CZ", 9000)


def test_unknown_region_is_refused() -> None:
    with pytest.raises(ValidationError, match="region"):
        CrmSettings(default_region="XX")


def test_generated_secret_key_persists(tmp_path: Path) -> None:
    settings = CrmSettings(var_dir=tmp_path / "var", secret_key=None)
    first = signing_key(settings)
    assert len(first) >= 32
    assert signing_key(settings) == first
    assert (tmp_path / "var" / "secret_key").read_text().strip().encode() == first


def test_configured_secret_key_wins(tmp_path: Path) -> None:
    assert signing_key(CrmSettings(var_dir=tmp_path, secret_key="abc")) == b"abc"
    assert not (tmp_path / "secret_key").exists()
