"""Voicemail on the card (issue 16): one row per message of Asterisk's voicemail spool.

Revision ID: 0016
Revises: 0015
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def _fk(table: str) -> sa.ForeignKey:
    return sa.ForeignKey(f"{table}.id", ondelete="SET NULL")


def upgrade() -> None:
    op.create_table(
        "voicemails",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("msg_key", sa.String(64), nullable=False),
        sa.Column("mailbox", sa.String(64), nullable=False),
        sa.Column("mailbox_context", sa.String(64), nullable=False),
        sa.Column("folder", sa.String(16), nullable=False),
        sa.Column("stem", sa.String(255), nullable=False),
        sa.Column("audio_file", sa.String(255), nullable=False),
        sa.Column("caller_number", sa.String(64), nullable=False),
        sa.Column("caller_name", sa.String(100), nullable=False),
        sa.Column("external_e164", sa.String(20), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("duration_seconds", sa.Float(), nullable=True),
        sa.Column("size_bytes", sa.BigInteger(), nullable=True),
        sa.Column("linkedid", sa.String(64), nullable=False),
        sa.Column("call_id", sa.Integer(), _fk("calls"), nullable=True),
        sa.Column("contact_id", sa.Integer(), _fk("contacts"), nullable=True),
        sa.Column("owner_id", sa.Integer(), _fk("users"), nullable=True),
        sa.Column("task_id", sa.Integer(), _fk("tasks"), nullable=True),
        sa.Column("heard_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("heard_by_id", sa.Integer(), _fk("users"), nullable=True),
        sa.Column("gone_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("listens", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("msg_key", name="uq_voicemails_msg_key"),
    )
    op.create_index("ix_voicemails_contact_received", "voicemails", ["contact_id", "received_at"])
    op.create_index("ix_voicemails_owner_heard", "voicemails", ["owner_id", "heard_at"])
    op.create_index("ix_voicemails_external_e164", "voicemails", ["external_e164"])
    op.create_index("ix_voicemails_linkedid", "voicemails", ["linkedid"])


def downgrade() -> None:
    op.drop_table("voicemails")
