"""Security (issue 13): one card per phone number, archived cards, session epochs.

- phones.e164 becomes unique. Numbers that a race had already put on several cards stay on the
  oldest row; the later rows keep the number as typed (`raw`) but lose their E.164 form, so a
  lookup finds one card. Numbers without an E.164 form (NULL) may repeat.
- contacts and companies get `archived_at` (a delete archives the card) and contacts
  `merged_into_id` (the card a merge moved this one's history to).
- users get `token_epoch`: a password change or a deactivation moves it, and tokens issued
  before stop working.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

KEEP_OLDEST_NUMBER = """
UPDATE phones SET e164 = NULL
WHERE e164 IS NOT NULL
  AND id NOT IN (SELECT min_id FROM (
      SELECT MIN(id) AS min_id FROM phones WHERE e164 IS NOT NULL GROUP BY e164) AS oldest)
"""


def upgrade() -> None:
    op.execute(KEEP_OLDEST_NUMBER)
    op.drop_index("ix_phones_e164", table_name="phones")
    op.create_index("uq_phones_e164", "phones", ["e164"], unique=True)
    for table in ("contacts", "companies"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("contacts") as batch:
        batch.add_column(sa.Column("merged_into_id", sa.Integer(), nullable=True))
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("token_epoch", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("token_epoch")
    with op.batch_alter_table("contacts") as batch:
        batch.drop_column("merged_into_id")
    for table in ("contacts", "companies"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("archived_at")
    op.drop_index("uq_phones_e164", table_name="phones")
    op.create_index("ix_phones_e164", "phones", ["e164"])
