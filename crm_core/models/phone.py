"""Phone numbers of a contact or a company. The E.164 form is unique (migration 0008): one number
belongs to one card; numbers without an E.164 form may repeat."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from crm_core.models.base import Base


class Phone(Base):
    __tablename__ = "phones"
    __table_args__ = (
        CheckConstraint("(contact_id IS NULL) <> (company_id IS NULL)", name="one_owner"),
        Index("uq_phones_e164", "e164", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    e164: Mapped[str | None] = mapped_column(String(20))
    raw: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16), default="other")
    label: Mapped[str] = mapped_column(String(50), default="")
    contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    company_id: Mapped[int | None] = mapped_column(
        ForeignKey("companies.id", ondelete="CASCADE"), index=True
    )
