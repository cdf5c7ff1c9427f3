"""The /ws/agent frames about call-backs (see README, "Screen-pops: the /ws/agent protocol")."""

from __future__ import annotations

from crm_core.services.dto.callbacks import DueCallback


def message(kind: str, callback: DueCallback, **extra: object) -> dict[str, object]:
    """callback_due | callback_waiting | callback_dialing, with the call-back as shown."""
    body = callback.model_dump(mode="json", exclude={"extensions"})
    return {"type": kind, "callback": body, **extra}
