"""`cti dialplan check`: load the Asterisk configuration into the sandbox; fail on any warning."""

from __future__ import annotations

from pathlib import Path

import click

from cti.sandbox.check import check_config
from cti.sandbox.manager import Sandbox
from cti.sandbox.settings import SandboxSettings


@click.group()
def dialplan() -> None:
    """The Asterisk configuration in dialplans/asterisk/."""


@dialplan.command()
@click.option(
    "--config",
    "config_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Check this folder instead of dialplans/asterisk/.",
)
def check(config_dir: Path | None) -> None:
    """(Re)start the sandbox on the configuration; exit 1 listing every WARNING/ERROR logged."""
    problems = check_config(Sandbox(SandboxSettings.from_env()), config_dir)
    for line in problems:
        click.echo(line, err=True)
    if problems:
        raise click.ClickException(f"{len(problems)} problem(s) while loading the configuration")
    click.echo("configuration loads cleanly")
