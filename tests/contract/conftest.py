"""`live` (module): the whole app served over HTTP on each database, seeded (see live.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from crm_core.settings import CrmSettings
from tests.contract.live import LiveApp, live_app


@pytest.fixture(scope="module")
def live(
    db_url: str, db_engine: AsyncEngine, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveApp]:
    settings = CrmSettings(
        database_url=db_url,
        default_region="SK",
        secret_key="contract-secret-key",
        # one client fuzzes the sign-in: the per-address throttle (tested in tests/security)
        # must not lock out the seeded people's sign-ins that the tests need
        login_address_free_failures=100_000,
        login_rate=1_000,
        login_burst=1_000,
        var_dir=Path(tmp_path_factory.mktemp("contract-var")),
    )
    with live_app(settings) as app:
        yield app
