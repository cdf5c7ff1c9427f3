"""`cti user add LOGIN --role agent|supervisor|admin [--extension 1001 ...] [--password ...]`."""

from __future__ import annotations

import asyncio
import secrets

import click

from crm_core.errors import DomainError
from crm_core.models.enums import Role
from crm_core.runtime import open_services
from crm_core.services.dto import Actor, UserCreate, UserOut
from crm_core.settings import load_settings


async def _add(data: UserCreate) -> UserOut:
    async with open_services(load_settings()) as services:
        return await services.users.create(Actor.system("cli"), data)


@click.group()
def user() -> None:
    """Manage CRM users."""


@user.command("add")
@click.argument("login")
@click.option("--role", type=click.Choice([role.value for role in Role]), default="agent")
@click.option("--extension", "extensions", multiple=True, help="Phone extension (repeatable).")
@click.option("--password", help="Password; a random one is generated and printed if omitted.")
@click.option("--name", "display_name", default="", help="Display name.")
def add(
    login: str, role: str, extensions: tuple[str, ...], password: str | None, display_name: str
) -> None:
    """Create user LOGIN."""
    chosen = password or secrets.token_urlsafe(9)
    data = UserCreate(
        login=login,
        password=chosen,
        role=Role(role),
        extensions=list(extensions),
        display_name=display_name,
    )
    try:
        created = asyncio.run(_add(data))
    except DomainError as exc:
        raise click.ClickException(str(exc)) from exc
    extensions_text = ", ".join(created.extensions) or "-"
    click.echo(
        f"created {created.role} {created.login} (id {created.id}), extensions: {extensions_text}"
    )
    if password is None:
        click.echo(f"password: {chosen}")
