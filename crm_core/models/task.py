"""Tasks: call-backs, meetings and to-dos assigned to a user."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from crm_core.models.base import Base, UtcDateTime, utcnow


class Task(Base):
    __tablename__ = "tasks"
    __table_args__ = (
        Index("ix_tasks_assignee_open", "assignee_id", "done_at", "due_at"),
        Index("ix_tasks_contact_open", "contact_id", "done_at"),
        Index("ix_tasks_due_unnotified", "scheduled", "notified_at", "due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    subject: Mapped[str] = mapped_column(String(200))
    due_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    assignee_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"))
    call_id: Mapped[int | None] = mapped_column(
        ForeignKey("calls.id", ondelete="SET NULL"), index=True
    )
    done_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    result: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    # Scheduled call-backs ("Create call"): planned by an agent, notified once at due_at,
    # dialled by the bridge itself when auto_dial is set and the agent is free.
    scheduled: Mapped[bool] = mapped_column(Boolean, default=False)
    auto_dial: Mapped[bool] = mapped_column(Boolean, default=False)
    notified_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    dialed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
