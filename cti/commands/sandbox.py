"""`cti sandbox up | down | status | logs | cli`: the Asterisk 22 sandbox for tests and demos."""

from __future__ import annotations

import click

from cti.sandbox.errors import SandboxError
from cti.sandbox.manager import Sandbox
from cti.sandbox.settings import SandboxSettings


def _sandbox() -> Sandbox:
    return Sandbox(SandboxSettings.from_env())


@click.group()
def sandbox() -> None:
    """Asterisk 22 in a Debian sid chroot, loaded with dialplans/asterisk/ (needs root)."""


@sandbox.command()
def up() -> None:
    """Provision the chroot if needed (about 50 s, once), then (re)start Asterisk."""
    try:
        info = _sandbox().up()
    except SandboxError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Asterisk is up. AMI {info.ami.host}:{info.ami.port} user {info.ami.user}")
    click.echo(f"SIP udp {info.sip_host}:{info.sip_port}, WSS https://127.0.0.1:8089/ws")
    click.echo(f"the dialplan's routing hook expects FastAGI on port {info.agi_port}")


@sandbox.command()
def down() -> None:
    """Stop Asterisk (by its recorded pid)."""
    stopped = _sandbox().down()
    click.echo("Asterisk stopped" if stopped else "Asterisk was not running")


@sandbox.command()
def status() -> None:
    """Is the chroot built, is Asterisk running."""
    state = _sandbox().status()
    click.echo(f"chroot:   {state.root} ({'ready' if state.provisioned else 'not built'})")
    click.echo(f"asterisk: {f'running, pid {state.pid}' if state.running else 'stopped'}")


@sandbox.command()
@click.option("--lines", "-n", default=50, show_default=True, help="How many lines to show.")
def logs(lines: int) -> None:
    """The end of Asterisk's messages.log."""
    text = _sandbox().log_since(0)
    click.echo("\n".join(text.splitlines()[-lines:]))


@sandbox.command()
@click.argument("command")
def cli(command: str) -> None:
    """Run an Asterisk CLI command, e.g. cti sandbox cli "core show channels"."""
    try:
        click.echo(_sandbox().cli(command), nl=False)
    except SandboxError as exc:
        raise click.ClickException(str(exc)) from exc
