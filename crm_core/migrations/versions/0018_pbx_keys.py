"""Several PBXs (issue 14): calls and what hangs off a linkedid are keyed by (pbx, linkedid), an
agent's extensions belong to a PBX. Every existing row is the PBX "default" (the one PBX of
CTI_AMI_*), so a single-PBX setup reads exactly as before.

Revision ID: 0018
Revises: 0017
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def _pbx() -> sa.Column[str]:
    return sa.Column("pbx", sa.String(32), nullable=False, server_default="default")


def upgrade() -> None:
    with op.batch_alter_table("calls") as batch:
        batch.add_column(_pbx())
        batch.drop_constraint("uq_calls_linkedid", type_="unique")
        batch.create_unique_constraint("uq_calls_pbx", ["pbx", "linkedid"])
        batch.create_index("ix_calls_pbx_started", ["pbx", "started_at"])
    with op.batch_alter_table("open_call_states") as batch:
        batch.add_column(_pbx())
        batch.drop_constraint("pk_open_call_states", type_="primary")
        batch.create_primary_key("pk_open_call_states", ["pbx", "linkedid"])
    with op.batch_alter_table("call_recordings") as batch:
        batch.add_column(_pbx())
        batch.drop_index("ix_call_recordings_linkedid")
        batch.create_index("ix_call_recordings_pbx_linkedid", ["pbx", "linkedid"])
    with op.batch_alter_table("queue_callbacks") as batch:
        batch.add_column(_pbx())
        batch.drop_constraint("uq_queue_callbacks_call_linkedid", type_="unique")
        batch.create_unique_constraint("uq_queue_callbacks_pbx", ["pbx", "call_linkedid"])
    with op.batch_alter_table("users") as batch:
        batch.add_column(_pbx())
    with op.batch_alter_table("user_extensions") as batch:
        batch.add_column(_pbx())
        batch.drop_constraint("pk_user_extensions", type_="primary")
        batch.create_primary_key("pk_user_extensions", ["pbx", "extension"])


def downgrade() -> None:
    with op.batch_alter_table("user_extensions") as batch:
        batch.drop_constraint("pk_user_extensions", type_="primary")
        batch.create_primary_key("pk_user_extensions", ["extension"])
        batch.drop_column("pbx")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("pbx")
    with op.batch_alter_table("queue_callbacks") as batch:
        batch.drop_constraint("uq_queue_callbacks_pbx", type_="unique")
        batch.create_unique_constraint("uq_queue_callbacks_call_linkedid", ["call_linkedid"])
        batch.drop_column("pbx")
    with op.batch_alter_table("call_recordings") as batch:
        batch.drop_index("ix_call_recordings_pbx_linkedid")
        batch.create_index("ix_call_recordings_linkedid", ["linkedid"])
        batch.drop_column("pbx")
    with op.batch_alter_table("open_call_states") as batch:
        batch.drop_constraint("pk_open_call_states", type_="primary")
        batch.create_primary_key("pk_open_call_states", ["linkedid"])
        batch.drop_column("pbx")
    with op.batch_alter_table("calls") as batch:
        batch.drop_index("ix_calls_pbx_started")
        batch.drop_constraint("uq_calls_pbx", type_="unique")
        batch.create_unique_constraint("uq_calls_linkedid", ["linkedid"])
        batch.drop_column("pbx")
