"""Wrap-up codes (issue 17): the codes per queue, the per-queue rule, the code on the call.

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "wrapup_codes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("queue", sa.String(64), nullable=False),
        sa.Column("code", sa.String(32), nullable=False),
        sa.Column("label", sa.String(100), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("plans_callback_in_hours", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("queue", "code", name="uq_wrapup_codes_queue_code"),
    )
    op.create_index("ix_wrapup_codes_queue", "wrapup_codes", ["queue"])
    op.create_table(
        "wrapup_queue_rules",
        sa.Column("queue", sa.String(64), primary_key=True),
        sa.Column("code_required", sa.Boolean(), nullable=False),
    )
    with op.batch_alter_table("calls") as batch:
        batch.add_column(sa.Column("wrapup_code", sa.String(32), nullable=True))
        batch.add_column(
            sa.Column("wrapup_label", sa.String(100), nullable=False, server_default="")
        )
    op.create_index("ix_calls_wrapup_code_started", "calls", ["wrapup_code", "started_at"])


def downgrade() -> None:
    op.drop_index("ix_calls_wrapup_code_started", table_name="calls")
    with op.batch_alter_table("calls") as batch:
        batch.drop_column("wrapup_label")
        batch.drop_column("wrapup_code")
    op.drop_table("wrapup_queue_rules")
    op.drop_index("ix_wrapup_codes_queue", table_name="wrapup_codes")
    op.drop_table("wrapup_codes")
