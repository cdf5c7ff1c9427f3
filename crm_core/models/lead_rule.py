"""Lead distribution: the rules admins edit, each assignment made, and the lock that orders them.

`lead_rules` holds one row per rule (its fields in `params`, validated by the service's DTOs).
`lead_assignments` is every owner a lead was given, by a rule or by a supervisor's reassignment,
with the sentence shown on the card; a rule's round-robin turn and its reps' daily counts are read
from it. `call_id` is unique, so one call never assigns twice. `lead_distribution` is one row
that each distribution updates first: assignments happen one transaction at a time.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from crm_core.models.base import Base, UtcDateTime, utcnow


class LeadRule(Base):
    __tablename__ = "lead_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    position: Mapped[int] = mapped_column(Integer, index=True)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    name: Mapped[str] = mapped_column(String(100))
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)


class LeadAssignment(Base):
    __tablename__ = "lead_assignments"
    __table_args__ = (
        Index("ix_lead_assignments_rule_day", "rule_id", "day", "user_id"),
        Index("ix_lead_assignments_contact", "contact_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # No FK: the history outlives a deleted rule (its name is kept).
    rule_id: Mapped[int | None] = mapped_column(Integer)
    rule_name: Mapped[str] = mapped_column(String(100), default="")
    how: Mapped[str] = mapped_column(String(16))  # rule, unmatched, reassigned
    reason: Mapped[str] = mapped_column(String(300), default="")
    call_id: Mapped[int | None] = mapped_column(Integer, unique=True)
    day: Mapped[date] = mapped_column(Date)  # in the rule's time zone: the daily cap's day
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class LeadDistribution(Base):
    __tablename__ = "lead_distribution"

    id: Mapped[int] = mapped_column(primary_key=True)
    turns: Mapped[int] = mapped_column(Integer, default=0)
