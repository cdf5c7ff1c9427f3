"""Agent events: an agent's queue logins and logouts, pauses (with the reason) and resumes.

Written by the CTI bridge from Asterisk's QueueMember* events (one row per queue); the reports sum
pause and login time from them. (extension, queue, kind, at) is unique, so a replayed or
re-sent event is stored once.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from crm_core.models.base import Base, UtcDateTime


class AgentEvent(Base):
    __tablename__ = "agent_events"
    __table_args__ = (
        UniqueConstraint("extension", "queue", "kind", "at", name="uq_agent_events_once"),
        Index("ix_agent_events_extension_at", "extension", "at"),
        Index("ix_agent_events_at", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    extension: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    queue: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))  # login, logout, pause, unpause
    reason: Mapped[str] = mapped_column(String(64), default="")
    at: Mapped[datetime] = mapped_column(UtcDateTime)
