"""Queue call-back (issue 17): the caller's kept place, and the calls' link to it.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("calls") as batch:
        batch.add_column(sa.Column("queued_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("callback_of", sa.String(64), nullable=False, server_default=""))
        batch.alter_column("disposition", type_=sa.String(32), existing_type=sa.String(16))
    op.create_index("ix_calls_callback_of", "calls", ["callback_of"])
    op.create_table(
        "queue_callbacks",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("call_linkedid", sa.String(64), nullable=False, unique=True),
        sa.Column("call_id", sa.Integer(), sa.ForeignKey("calls.id", ondelete="SET NULL")),
        sa.Column("contact_id", sa.Integer(), sa.ForeignKey("contacts.id", ondelete="SET NULL")),
        sa.Column("queue", sa.String(64), nullable=False),
        sa.Column("number", sa.String(20), nullable=False),
        sa.Column("queued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("dialing_since", sa.DateTime(timezone=True)),
        sa.Column("extension", sa.String(16), nullable=False),
        sa.Column("last_result", sa.String(32), nullable=False),
        sa.Column("task_id", sa.Integer(), sa.ForeignKey("tasks.id", ondelete="SET NULL")),
        sa.Column("done_at", sa.DateTime(timezone=True)),
    )
    op.create_index(
        "ix_queue_callbacks_status_queue", "queue_callbacks", ["status", "queue", "queued_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_queue_callbacks_status_queue", "queue_callbacks")
    op.drop_table("queue_callbacks")
    op.drop_index("ix_calls_callback_of", "calls")
    with op.batch_alter_table("calls") as batch:
        batch.alter_column("disposition", type_=sa.String(16), existing_type=sa.String(32))
        batch.drop_column("callback_of")
        batch.drop_column("queued_at")
