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
        var_dir=Path(tmp_path_factory.mktemp("contract-var")),
    )
    with live_app(settings) as app:
        yield app
