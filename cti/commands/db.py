"""`cti db upgrade`: bring the database (CTI_DATABASE_URL) to the latest schema."""

from __future__ import annotations

import asyncio

import click

from crm_core.db import create_engine
from crm_core.migrate import current_revision, upgrade
from crm_core.settings import load_settings


async def _upgrade(url: str, revision: str) -> str | None:
    engine = create_engine(url)
    try:
        await upgrade(engine, revision)
        return await current_revision(engine)
    finally:
        await engine.dispose()


@click.group()
def db() -> None:
    """Database schema management."""


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True, help="Target Alembic revision.")
def upgrade_command(revision: str) -> None:
    """Apply the migrations up to REVISION (idempotent)."""
    settings = load_settings()
    current = asyncio.run(_upgrade(settings.database_url, revision))
    click.echo(f"database at revision {current}")
