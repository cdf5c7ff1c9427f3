"""Agent event DTOs: what the bridge records (queue login/logout, pause/unpause) and the time
summed from them."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field


class AgentEventKind(StrEnum):
    LOGIN = "login"
    LOGOUT = "logout"
    PAUSE = "pause"
    UNPAUSE = "unpause"


class AgentEventIn(BaseModel):
    """One change of one agent in one queue, at Asterisk's time."""

    model_config = ConfigDict(frozen=True)

    extension: str = Field(min_length=1, max_length=32)
    queue: str = Field(min_length=1, max_length=64)
    kind: AgentEventKind
    reason: str = Field("", max_length=64)
    at: AwareDatetime


class MemberState(BaseModel):
    """An agent's state in one queue after the last stored event."""

    model_config = ConfigDict(frozen=True)

    extension: str
    queue: str
    logged_in: bool
    paused: bool
    reason: str = ""
    at: datetime


class AgentTime(BaseModel):
    """Seconds of a period: logged in to at least one queue; paused in at least one queue (by
    the reason of the latest pause). Empty reason: paused without one."""

    extension: str
    login_seconds: int = 0
    pause_seconds: int = 0
    pause_reasons: dict[str, int] = Field(default_factory=dict)
