"""Routing rules and per-queue business hours, edited by admins.

Seeds the rules that reproduce routing as it was before rules were stored: a free owner rings
first for 15 s, DID 100 -> sales, DID 200 -> support.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

DEFAULTS = [
    ("owner_first", "owner first", {"ring_seconds": 15}),
    ("did_queue", "DID 100", {"did": "100", "queue": "sales"}),
    ("did_queue", "DID 200", {"did": "200", "queue": "support"}),
]


def upgrade() -> None:
    rules = op.create_table(
        "routing_rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_routing_rules")),
    )
    op.create_index(op.f("ix_routing_rules_position"), "routing_rules", ["position"])
    state = op.create_table(
        "routing_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_routing_state")),
    )
    now = datetime.now(UTC)
    if op.get_bind().dialect.name == "sqlite":
        now = now.replace(tzinfo=None)  # what UtcDateTime stores on SQLite
    op.bulk_insert(rules, [
        {"position": i, "kind": kind, "enabled": True, "name": name, "params": params,
         "created_at": now, "updated_at": now}
        for i, (kind, name, params) in enumerate(DEFAULTS, start=1)
    ])  # fmt: skip
    op.bulk_insert(state, [{"id": 1, "version": 1}])


def downgrade() -> None:
    op.drop_table("routing_state")
    op.drop_index(op.f("ix_routing_rules_position"), table_name="routing_rules")
    op.drop_table("routing_rules")
