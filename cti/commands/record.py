"""`cti record FILE`: save the raw AMI stream (all events, unfiltered user `recorder`)."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path

import click

from cti.sandbox.manager import Sandbox
from cti.sandbox.recorder import RawRecorder
from cti.sandbox.settings import SandboxSettings
from cti.sandbox.sim.recording import record_all, record_scenario
from cti.sandbox.sim.scenarios import SCENARIOS


async def _record_stream(path: Path, user: str, seconds: float | None) -> int:
    recorder = RawRecorder(SandboxSettings.from_env().account(user), path)
    with contextlib.suppress(asyncio.CancelledError):
        await recorder.run(seconds)
    return recorder.bytes_written


@click.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--seconds", type=float, help="Stop after this many seconds (default: Ctrl-C).")
@click.option("--user", default="recorder", show_default=True, help="AMI user to log in as.")
@click.option(
    "--scenario",
    type=click.Choice(sorted(SCENARIOS)),
    help="Restart the sandbox, play this scenario, record it to FILE (+ a sidecar .json).",
)
@click.option(
    "--all-scenarios",
    is_flag=True,
    help="Record every scenario into the folder FILE (NAME.ami + NAME.json each).",
)
def record(
    file: Path, seconds: float | None, user: str, scenario: str | None, all_scenarios: bool
) -> None:
    """Record the raw AMI stream into FILE until Ctrl-C or --seconds."""
    sandbox = Sandbox(SandboxSettings.from_env())
    if all_scenarios:
        file.mkdir(parents=True, exist_ok=True)
        asyncio.run(record_all(sandbox, list(SCENARIOS.values()), file))
        click.echo(f"recorded {len(SCENARIOS)} scenarios into {file}")
    elif scenario is not None:
        asyncio.run(record_scenario(sandbox, SCENARIOS[scenario], file))
        click.echo(f"recorded {scenario} into {file} (+ {file.with_suffix('.json').name})")
    else:
        try:
            written = asyncio.run(_record_stream(file, user, seconds))
        except KeyboardInterrupt:
            written = file.stat().st_size if file.exists() else 0
        click.echo(f"{written} bytes recorded into {file}")
