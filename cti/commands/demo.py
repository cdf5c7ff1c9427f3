"""`cti demo-data`: load a realistic demo data set (idempotent)."""

from __future__ import annotations

import asyncio

import click

from crm_core.demo import DEMO_PASSWORD, DEMO_USERS, DemoSummary, load_demo_data
from crm_core.errors import DomainError
from crm_core.runtime import open_services
from crm_core.settings import load_settings


async def _load() -> DemoSummary:
    async with open_services(load_settings()) as services:
        return await load_demo_data(services)


@click.command("demo-data")
def demo_data() -> None:
    """Load demo data: users agent1..agent3 (extensions 1001..1003) and supervisor `super`, all
    with the password `demo`; 200 companies, 1,000 contacts with phones in SK, CZ, GB, US and DE
    formats, past calls of every disposition, and tasks. Running it again creates nothing new."""
    try:
        summary = asyncio.run(_load())
    except DomainError as exc:
        raise click.ClickException(f"demo data not loaded: {exc}") from exc
    if summary.created:
        click.echo(
            f"created {summary.companies} companies, {summary.contacts} contacts, "
            f"{summary.calls} calls, {summary.tasks} tasks"
        )
    else:
        click.echo("demo data already present; nothing added")
    logins = ", ".join(login for login, _role, _ext, _name in DEMO_USERS)
    click.echo(f"demo users: {logins} (password: {DEMO_PASSWORD})")
