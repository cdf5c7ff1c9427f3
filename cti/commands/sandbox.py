"""`cti sandbox up | down | status | logs | cli`: the Asterisk 22 sandbox for tests and demos."""

from __future__ import annotations

import click

from cti.sandbox.errors import SandboxError
from cti.sandbox.manager import Sandbox
from cti.sandbox.settings import SandboxSettings


def _sandbox(instance: int = 1) -> Sandbox:
    return Sandbox(SandboxSettings.from_env(), instance)


INSTANCES = click.option(
    "--instances", type=click.IntRange(1, 4), default=1, show_default=True,
    help="How many Asterisk instances (several PBXs): instance 2 on AMI 5039, SIP 5062, "
    "FastAGI 4574 (cti/sandbox/layout.py).",
)  # fmt: skip


@click.group()
def sandbox() -> None:
    """Asterisk 22 in a Debian sid chroot, loaded with dialplans/asterisk/ (needs root)."""


@sandbox.command()
@INSTANCES
def up(instances: int) -> None:
    """Provision the chroot if needed (about 50 s, once), then (re)start Asterisk."""
    for instance in range(1, instances + 1):
        sandbox = _sandbox(instance)
        try:
            info = sandbox.up()
        except SandboxError as exc:
            raise click.ClickException(str(exc)) from exc
        named = "Asterisk is up." if instance == 1 else f"Asterisk instance {instance} is up."
        click.echo(f"{named} AMI {info.ami.host}:{info.ami.port} user {info.ami.user}")
        wss = sandbox.layout.ports.https
        click.echo(f"SIP udp {info.sip_host}:{info.sip_port}, WSS https://127.0.0.1:{wss}/ws")
        click.echo(f"the dialplan's routing hook expects FastAGI on port {info.agi_port}")


@sandbox.command()
@INSTANCES
def down(instances: int) -> None:
    """Stop Asterisk (by its recorded pid); with --instances N, instances 2..N too."""
    for instance in range(instances, 0, -1):
        stopped = _sandbox(instance).down()
        named = "Asterisk" if instance == 1 else f"Asterisk instance {instance}"
        click.echo(f"{named} stopped" if stopped else f"{named} was not running")


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
