"""Queue call-back DTOs: a caller's kept place and the policy for calling them back."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from crm_core.models.enums import QueueCallbackStatus
from crm_core.services.dto.common import Dto


class QueuePlace(Dto):
    """A caller who left a queue with the call-back key: their place (queued_at) is kept."""

    id: int
    call_linkedid: str
    queue: str
    number: str
    contact_id: int | None
    contact_name: str = ""
    queued_at: datetime
    requested_at: datetime
    status: QueueCallbackStatus
    attempts: int
    next_attempt_at: datetime
    dialing_since: datetime | None
    extension: str
    last_result: str
    task_id: int | None = None


class QueueCallbackPolicy(Dto):
    """How often a caller who does not answer the call-back is tried, then a call-back task."""

    attempts: int = Field(3, ge=1, le=10)
    retry_seconds: float = Field(120.0, ge=0)
