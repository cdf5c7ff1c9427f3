"""`cti serve`: run the HTTP API (and the softphone page) with uvicorn."""

from __future__ import annotations

import asyncio

import click
import uvicorn

from crm_core.runtime import ensure_admin, open_services
from crm_core.settings import CrmSettings, load_settings
from cti.app import create_app


async def _prepare(settings: CrmSettings) -> str | None:
    async with open_services(settings) as services:
        return await ensure_admin(services)


@click.command()
@click.option("--host", help="Listen address (default: CTI_HTTP_HOST).")
@click.option("--port", type=int, help="Listen port (default: CTI_HTTP_PORT).")
def serve(host: str | None, port: int | None) -> None:
    """Migrate the database, create the first admin if there is none, and serve the API."""
    settings = load_settings()
    password = asyncio.run(_prepare(settings))
    if password is not None:
        click.echo(f"created user 'admin' with password: {password}  (shown once; change it)")
    uvicorn.run(
        create_app(settings), host=host or settings.http_host, port=port or settings.http_port
    )
