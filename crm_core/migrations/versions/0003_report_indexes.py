"""Report indexes: calls by (queue, started_at) and (answered_by, started_at).

calls(started_at) exists since 0001 (ix_calls_started_at). The reports group the calls of a
period by queue or by answering agent; these two let a filtered report read one range.

Revision ID: 0003
Revises: 0001
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_calls_queue_started", "calls", ["queue", "started_at"])
    op.create_index("ix_calls_answered_by_started", "calls", ["answered_by", "started_at"])


def downgrade() -> None:
    op.drop_index("ix_calls_answered_by_started", table_name="calls")
    op.drop_index("ix_calls_queue_started", table_name="calls")
