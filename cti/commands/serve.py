"""`cti serve`: the API, the pages, the websockets and the AMI ingest in one process."""

from __future__ import annotations

import asyncio

import click
import uvicorn

from crm_core.runtime import ensure_admin, open_services
from crm_core.settings import CrmSettings, load_settings
from cti.composition import RoleError, build_app, describe_role
from cti.demo_mode import Hook, prepare_demo
from cti.logs import LogSettings, configure_logging
from cti.settings import BridgeSettings, Role
from cti.webhooks.settings import WebhookSettings


async def _prepare(settings: CrmSettings) -> str | None:
    async with open_services(settings) as services:
        return await ensure_admin(services)


@click.command()
@click.option("--host", help="Listen address (default: CTI_HTTP_HOST).")
@click.option("--port", type=int, help="Listen port (default: CTI_HTTP_PORT).")
@click.option(
    "--role",
    type=click.Choice(["all", "web", "ingest"]),
    help="all: everything in one process (default: CTI_ROLE, else all); web: API, pages and "
    "websockets, any number of replicas; ingest: AMI, tracker, call log, routing hook, "
    "call-back schedulers. web and ingest share a redis:// CTI_BUS_URL.",
)
@click.option(
    "--pbx",
    help="The one PBX of CTI_PBXS this process ingests (default: CTI_PBX, else every PBX "
    "configured).",
)
@click.option(
    "--demo",
    is_flag=True,
    help="Newcomer mode (`make run`): demo users and data, the sandbox Asterisk when this machine "
    "can run it, and gentle simulated traffic.",
)
def serve(
    host: str | None, port: int | None, role: Role | None, pbx: str | None, demo: bool
) -> None:
    """Migrate the database, create the first admin if there is none, and serve this role."""
    settings = load_settings()
    bridge_settings = BridgeSettings()
    if role is not None:
        bridge_settings = bridge_settings.model_copy(update={"role": role})
    if pbx is not None:
        bridge_settings = bridge_settings.model_copy(update={"pbx": pbx})
    logs = LogSettings()
    if logs.format == "json":  # text: uvicorn's own logging, as before
        configure_logging("json", WebhookSettings().pbx_id, logs.level)
    password = asyncio.run(_prepare(settings))
    if password is not None:
        click.echo(f"created user 'admin' with password: {password}  (shown once; change it)")
    hooks: list[Hook] = []
    if demo:
        setup = prepare_demo(settings, bridge_settings)
        hooks, bridge_settings = setup.hooks, setup.bridge_settings
    try:
        app = build_app(settings, bridge_settings, extra_lifespan_hooks=hooks)
    except RoleError as exc:
        raise click.UsageError(str(exc)) from exc
    click.echo(describe_role(bridge_settings.role, bridge_settings, settings))
    uvicorn.run(
        app, host=host or settings.http_host, port=port or settings.http_port,
        log_config=None if logs.format == "json" else uvicorn.config.LOGGING_CONFIG,
    )  # fmt: skip
