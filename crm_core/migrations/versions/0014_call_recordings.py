"""Call recordings (issue 16): one row per recording file, and the call's "keep" flag.

Revision ID: 0014
Revises: 0013
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "call_recordings",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("linkedid", sa.String(64), nullable=False),
        sa.Column("file_name", sa.String(255), nullable=False),
        sa.Column("received_file", sa.String(255), nullable=False),
        sa.Column("sent_file", sa.String(255), nullable=False),
        sa.Column("received_speaker", sa.String(16), nullable=False),
        sa.Column("sent_speaker", sa.String(16), nullable=False),
        sa.Column("channel", sa.String(128), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("stopped_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("size_bytes", sa.BigInteger(), nullable=True),
        sa.Column("duration_seconds", sa.Float(), nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted_reason", sa.String(64), nullable=False),
        sa.UniqueConstraint("file_name", name="uq_call_recordings_file_name"),
    )
    op.create_index("ix_call_recordings_linkedid", "call_recordings", ["linkedid"])
    op.create_index("ix_call_recordings_status", "call_recordings", ["status"])
    op.create_index("ix_call_recordings_started_at", "call_recordings", ["started_at"])
    with op.batch_alter_table("calls") as batch:
        batch.add_column(
            sa.Column("keep_recordings", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("calls") as batch:
        batch.drop_column("keep_recordings")
    op.drop_index("ix_call_recordings_started_at", table_name="call_recordings")
    op.drop_index("ix_call_recordings_status", table_name="call_recordings")
    op.drop_index("ix_call_recordings_linkedid", table_name="call_recordings")
    op.drop_table("call_recordings")
