"""AmiClient against the sandbox's real Asterisk 22 (skipped when it is not running)."""

from __future__ import annotations

import asyncio
import os
import socket

import pytest

from cti.ami.client import AmiClient, ConnectionState
from cti.ami.config import AmiConfig
from cti.state.events import Resync

pytestmark = pytest.mark.asterisk

HOST = os.environ.get("CTI_AMI_HOST", "127.0.0.1")
PORT = int(os.environ.get("CTI_AMI_PORT", "5038"))


def _listening() -> bool:
    try:
        with socket.create_connection((HOST, PORT), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.fixture
def ami_config() -> AmiConfig:
    if not _listening():
        pytest.skip("the Asterisk sandbox is not running (cti sandbox up)")
    user = os.environ.get("CTI_AMI_USER", "cti")
    secret = os.environ.get("CTI_AMI_SECRET", "cti-secret")
    return AmiConfig(host=HOST, port=PORT, username=user, secret=secret, ping_interval=0.5)


async def test_login_resync_and_pings_on_real_asterisk(ami_config: AmiConfig) -> None:
    client = AmiClient(ami_config)
    await client.start()
    try:
        item = await asyncio.wait_for(client.queue.get(), 10)
        while not isinstance(item, Resync):
            item = await asyncio.wait_for(client.queue.get(), 10)
        assert client.state is ConnectionState.CONNECTED
        [pong] = await client.send_action({"Action": "Ping"})
        assert pong["Ping"] == "Pong"
        await asyncio.sleep(1.2)  # two ping rounds answered: the connection stays up
        assert client.counters.get("ami_ping_timeouts") == 0
        assert client.state is ConnectionState.CONNECTED
    finally:
        await client.stop()


async def test_wrong_secret_is_refused_and_retried(ami_config: AmiConfig) -> None:
    bad = AmiConfig(host=HOST, port=PORT, username=ami_config.username, secret="wrong",
                    backoff_min=0.1, backoff_max=0.2)  # fmt: skip
    client = AmiClient(bad)
    await client.start()
    try:
        await asyncio.sleep(1.0)
        assert client.state is not ConnectionState.CONNECTED
        with pytest.raises(ConnectionError):
            await client.send_action({"Action": "Ping"})
    finally:
        await client.stop()
