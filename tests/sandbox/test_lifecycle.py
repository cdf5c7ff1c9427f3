"""The sandbox starts, answers CLI commands, reports its state and stops by its pid."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from cti.commands.sandbox import sandbox as sandbox_group
from cti.sandbox.manager import ConnectionInfo, Sandbox

pytestmark = pytest.mark.asterisk


def test_up_reports_running_asterisk_22(asterisk: ConnectionInfo, sandbox: Sandbox) -> None:
    state = sandbox.status()
    assert state.provisioned
    assert state.running
    assert "Asterisk 22." in sandbox.cli("core show version")
    assert (asterisk.port, asterisk.user, asterisk.agi_port) == (5038, "cti", 4573)


def test_cli_shows_the_shipped_configuration(asterisk: ConnectionInfo, sandbox: Sandbox) -> None:
    queues = sandbox.cli("queue show")
    assert "sales has 0 calls" in queues
    assert "support has 0 calls" in queues
    assert "PJSIP/1001" in queues
    assert "cti-route" in sandbox.cli("dialplan show cti-route")


def test_cli_command_group(asterisk: ConnectionInfo) -> None:
    result = CliRunner().invoke(sandbox_group, ["cli", "core show channels"])
    assert result.exit_code == 0, result.output
    assert "active channels" in result.output
    status = CliRunner().invoke(sandbox_group, ["status"])
    assert "running, pid" in status.output


def test_down_stops_it_and_up_brings_it_back(asterisk: ConnectionInfo, sandbox: Sandbox) -> None:
    pid = sandbox.status().pid
    assert pid is not None
    assert sandbox.down()
    assert not sandbox.status().running
    assert not sandbox.down()  # already stopped
    sandbox.up(show_progress=False)
    state = sandbox.status()
    assert state.running
    assert state.pid != pid
