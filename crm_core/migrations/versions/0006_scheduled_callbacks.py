"""Scheduled call-backs: planned calls with a due time, notification and auto-dial.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

FALSE = sa.false()


def upgrade() -> None:
    with op.batch_alter_table("tasks") as batch:
        batch.add_column(sa.Column("scheduled", sa.Boolean(), nullable=False, server_default=FALSE))
        batch.add_column(sa.Column("auto_dial", sa.Boolean(), nullable=False, server_default=FALSE))
        batch.add_column(sa.Column("notified_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("dialed_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_index("ix_tasks_due_unnotified", ["scheduled", "notified_at", "due_at"])


def downgrade() -> None:
    with op.batch_alter_table("tasks") as batch:
        batch.drop_index("ix_tasks_due_unnotified")
        for column in ("dialed_at", "notified_at", "auto_dial", "scheduled"):
            batch.drop_column(column)
