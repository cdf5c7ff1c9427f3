"""Post-call transcripts (issue 16): the job queue, lines per speaker with their full-text index
(SQLite: an FTS5 table kept by triggers; PostgreSQL: a generated tsvector with a GIN index),
summaries, keyword rules and the flags they raise.

Revision ID: 0015
Revises: 0014
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

SQLITE_FTS = (
    "CREATE VIRTUAL TABLE transcript_lines_fts USING fts5(text, content='transcript_lines',"
    " content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER transcript_lines_ai AFTER INSERT ON transcript_lines BEGIN"
    " INSERT INTO transcript_lines_fts(rowid, text) VALUES (new.id, new.text); END",
    "CREATE TRIGGER transcript_lines_ad AFTER DELETE ON transcript_lines BEGIN"
    " INSERT INTO transcript_lines_fts(transcript_lines_fts, rowid, text)"
    " VALUES ('delete', old.id, old.text); END",
    "CREATE TRIGGER transcript_lines_au AFTER UPDATE ON transcript_lines BEGIN"
    " INSERT INTO transcript_lines_fts(transcript_lines_fts, rowid, text)"
    " VALUES ('delete', old.id, old.text);"
    " INSERT INTO transcript_lines_fts(rowid, text) VALUES (new.id, new.text); END",
)
POSTGRES_TSVECTOR = (
    "ALTER TABLE transcript_lines ADD COLUMN search tsvector"
    " GENERATED ALWAYS AS (to_tsvector('simple', text)) STORED",
    "CREATE INDEX ix_transcript_lines_search ON transcript_lines USING gin (search)",
)


def _call_fk() -> sa.ForeignKey:
    return sa.ForeignKey("calls.id", ondelete="CASCADE")


def upgrade() -> None:
    op.create_table(
        "transcript_jobs",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("call_id", sa.Integer(), _call_fk(), nullable=False, unique=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_by", sa.String(100), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.String(500), nullable=False),
        sa.Column("backend", sa.String(40), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index(
        "ix_transcript_jobs_status_next", "transcript_jobs", ["status", "next_attempt_at"]
    )
    op.create_table(
        "transcript_lines",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("call_id", sa.Integer(), _call_fk(), nullable=False),
        sa.Column("speaker", sa.String(16), nullable=False),
        sa.Column("start_ms", sa.Integer(), nullable=False),
        sa.Column("end_ms", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
    )
    op.create_index("ix_transcript_lines_call_start", "transcript_lines", ["call_id", "start_ms"])
    full_text = SQLITE_FTS if op.get_bind().dialect.name == "sqlite" else POSTGRES_TSVECTOR
    for statement in full_text:
        op.execute(statement)
    op.create_table(
        "call_summaries",
        sa.Column("call_id", sa.Integer(), _call_fk(), primary_key=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("wrapup_note", sa.Text(), nullable=False),
        sa.Column("model", sa.String(100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "transcript_keyword_rules",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("keyword", sa.String(100), nullable=False, unique=True),
        sa.Column("speaker", sa.String(16), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "transcript_flags",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("call_id", sa.Integer(), _call_fk(), nullable=False),
        sa.Column(
            "rule_id",
            sa.Integer(),
            sa.ForeignKey("transcript_keyword_rules.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("keyword", sa.String(100), nullable=False),
        sa.Column("speaker", sa.String(16), nullable=False),
        sa.Column("start_ms", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_transcript_flags_call", "transcript_flags", ["call_id"])


def downgrade() -> None:
    op.drop_table("transcript_flags")
    op.drop_table("transcript_keyword_rules")
    op.drop_table("call_summaries")
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE transcript_lines_fts")
    op.drop_table("transcript_lines")
    op.drop_table("transcript_jobs")
