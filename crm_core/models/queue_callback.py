"""Queue call-backs: a caller who pressed the call-back key while waiting keeps a virtual place in
the queue (their queue entry time); the bridge dials them back when that place reaches the head."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from crm_core.models.base import Base, UtcDateTime


class QueueCallback(Base):
    __tablename__ = "queue_callbacks"
    __table_args__ = (
        Index("ix_queue_callbacks_status_queue", "status", "queue", "queued_at"),
        UniqueConstraint("pbx", "call_linkedid", name="uq_queue_callbacks_pbx"),  # migration 0018
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # the call whose caller pressed the key: one place per call, whatever replays it
    pbx: Mapped[str] = mapped_column(String(32), default="default", server_default="default")
    call_linkedid: Mapped[str] = mapped_column(String(64))
    call_id: Mapped[int | None] = mapped_column(ForeignKey("calls.id", ondelete="SET NULL"))
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"))
    queue: Mapped[str] = mapped_column(String(64))
    number: Mapped[str] = mapped_column(String(20))  # E.164, dialled back
    queued_at: Mapped[datetime] = mapped_column(UtcDateTime)  # the place kept
    requested_at: Mapped[datetime] = mapped_column(UtcDateTime)
    status: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer, default=0)  # call-back calls made
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime)
    dialing_since: Mapped[datetime | None] = mapped_column(UtcDateTime)
    extension: Mapped[str] = mapped_column(String(16), default="")  # the agent dialled last
    last_result: Mapped[str] = mapped_column(String(32), default="")
    task_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id", ondelete="SET NULL"))
    done_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
