"""The password hashing threads give way to the event loop: fewer threads than cores, lower
CPU priority (Linux), and a bounded wait."""

from __future__ import annotations

import asyncio
import os
import sys
import threading

import pytest

from crm_core.errors import ServiceBusyError
from crm_core.services.hash_pool import HASHING_NICENESS, HashPool
from crm_core.settings import CrmSettings


def _niceness() -> int:
    return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())


@pytest.mark.skipif(sys.platform != "linux", reason="per-thread priority is Linux's")
async def test_hashing_threads_run_below_the_event_loop_and_it_keeps_its_own() -> None:
    pool = HashPool(workers=1, queue=0)
    loop_niceness = _niceness()
    try:
        hashing_niceness = await pool._run(_niceness)
    finally:
        pool.close()
    assert hashing_niceness == min(19, loop_niceness + HASHING_NICENESS)
    assert _niceness() == loop_niceness


async def test_past_workers_and_queue_a_sign_in_is_refused_at_once() -> None:
    pool = HashPool(workers=1, queue=0)
    release = threading.Event()
    try:
        first = asyncio.create_task(pool._run(lambda: release.wait(5)))
        await asyncio.sleep(0.05)
        with pytest.raises(ServiceBusyError):
            await pool._run(lambda: True)
        release.set()
        assert await first
    finally:
        release.set()
        pool.close()


def test_the_default_leaves_a_core_to_the_event_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CTI_HASH_WORKERS", raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    assert CrmSettings().hash_workers == 1
    monkeypatch.setattr(os, "cpu_count", lambda: 8)
    assert CrmSettings().hash_workers == 7
