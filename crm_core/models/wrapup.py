"""Wrap-up codes (dispositions the agent picks after a call) and the per-queue wrap-up rule.

A code with `queue` "" is global: offered for every call. `plans_callback_in_hours` set: picking
the code plans a call-back that many hours later. The call keeps the code it was given
(`calls.wrapup_code`, `calls.wrapup_label`): renaming or switching off a code rewrites no history.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from crm_core.models.base import Base, UtcDateTime, utcnow


class WrapupCode(Base):
    __tablename__ = "wrapup_codes"
    __table_args__ = (UniqueConstraint("queue", "code", name="uq_wrapup_codes_queue_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    queue: Mapped[str] = mapped_column(String(64), default="", index=True)
    code: Mapped[str] = mapped_column(String(32))
    label: Mapped[str] = mapped_column(String(100))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    plans_callback_in_hours: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class WrapupQueueRule(Base):
    """A queue whose calls cannot be wrapped up without a code (`code_required`)."""

    __tablename__ = "wrapup_queue_rules"

    queue: Mapped[str] = mapped_column(String(64), primary_key=True)
    code_required: Mapped[bool] = mapped_column(Boolean, default=False)
