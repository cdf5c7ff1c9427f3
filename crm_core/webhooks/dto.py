"""What the admin's webhook API takes and gives: subscriptions and dead letters."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import Field

from crm_core.services.dto.common import Dto, Unchanged

EventType = Literal[
    "call.ringing",
    "call.answered",
    "call.transferred",
    "call.ended",
    "call.wrapup",
    "callback.due",
    "contact.created",
]


URL_PATTERN = r"^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[^\s]*)?$"
"""http(s), a host name or IPv4 address, an optional port and path; nothing else."""


WebhookUrl = Annotated[str, Field(min_length=8, max_length=2000, pattern=URL_PATTERN)]
Events = Annotated[list[EventType], Field(min_length=1, max_length=20)]
Secret = Annotated[str, Field(min_length=16, max_length=200)]
Timeout = Annotated[float, Field(ge=0.5, le=30.0)]
Description = Annotated[str, Field(max_length=200)]


class SubscriptionCreate(Dto):
    url: WebhookUrl
    events: Events
    secret: Secret | None = None
    """Signs every body (HMAC-SHA256); left out: one is generated and shown once."""
    timeout_seconds: Timeout = 5.0
    enabled: bool = True
    description: Description = ""


class SubscriptionPatch(Dto):
    url: Unchanged[WebhookUrl] = None
    events: Unchanged[Events] = None
    secret: Unchanged[Secret] = None
    timeout_seconds: Unchanged[Timeout] = None
    enabled: Unchanged[bool] = None
    description: Unchanged[Description] = None


class SubscriptionOut(Dto):
    id: int
    url: str
    events: list[str]
    enabled: bool
    timeout_seconds: float
    description: str
    created_at: datetime
    pending: int = 0
    dead: int = 0


class SubscriptionCreated(SubscriptionOut):
    secret: str
    """Only in the answer to the creation (and to a secret change): keep it."""


class DeadLetter(Dto):
    delivery_id: int
    subscription_id: int
    url: str
    event_id: str
    type: str
    ordering_key: str
    attempts: int
    last_error: str
    created_at: datetime
    event: dict[str, Any]


class Replayed(Dto):
    replayed: int
