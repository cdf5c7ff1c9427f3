"""Lead distribution (issue 17): rules, assignments, the distribution lock; a lead's language and
the reason it has its owner.

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "lead_rules",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index(op.f("ix_lead_rules_position"), "lead_rules", ["position"])
    op.create_table(
        "lead_assignments",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "contact_id",
            sa.Integer(),
            sa.ForeignKey(
                "contacts.id",
                ondelete="CASCADE",
                name=op.f("fk_lead_assignments_contact_id_contacts"),
            ),
            nullable=False,
        ),
        sa.Column(
            "user_id",
            sa.Integer(),
            sa.ForeignKey(
                "users.id", ondelete="SET NULL", name=op.f("fk_lead_assignments_user_id_users")
            ),
            nullable=True,
        ),
        sa.Column("rule_id", sa.Integer(), nullable=True),
        sa.Column("rule_name", sa.String(100), nullable=False),
        sa.Column("how", sa.String(16), nullable=False),
        sa.Column("reason", sa.String(300), nullable=False),
        sa.Column("call_id", sa.Integer(), nullable=True),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("call_id", name=op.f("uq_lead_assignments_call_id")),
    )
    op.create_index(
        "ix_lead_assignments_rule_day", "lead_assignments", ["rule_id", "day", "user_id"]
    )
    op.create_index("ix_lead_assignments_contact", "lead_assignments", ["contact_id", "id"])
    op.create_table(
        "lead_distribution",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("turns", sa.Integer(), nullable=False),
    )
    with op.batch_alter_table("contacts") as batch:
        batch.add_column(sa.Column("language", sa.String(8), nullable=False, server_default=""))
        batch.add_column(
            sa.Column("assignment_reason", sa.String(300), nullable=False, server_default="")
        )


def downgrade() -> None:
    with op.batch_alter_table("contacts") as batch:
        batch.drop_column("assignment_reason")
        batch.drop_column("language")
    op.drop_table("lead_distribution")
    op.drop_index("ix_lead_assignments_contact", table_name="lead_assignments")
    op.drop_index("ix_lead_assignments_rule_day", table_name="lead_assignments")
    op.drop_table("lead_assignments")
    op.drop_index(op.f("ix_lead_rules_position"), table_name="lead_rules")
    op.drop_table("lead_rules")
