"""Queue events: which queue the caller waits in, and whether it gave up there."""

from __future__ import annotations

from cti.state.events import AmiEvent
from cti.state.registry import Registry


def on_queue_caller_join(reg: Registry, event: AmiEvent) -> None:
    call = reg.call_of(reg.channel(event))
    queue = event.get("Queue")
    if call is not None and queue and call.queue is None:
        call.queue = queue
        call.queued_at = reg.now
        reg.touch(call)


def on_queue_caller_abandon(reg: Registry, event: AmiEvent) -> None:
    call = reg.call_of(reg.channel(event))
    if call is not None:
        call.abandoned = True
        reg.touch(call)
