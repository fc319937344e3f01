"""Dossiers and their answers.

Revision ID: 0001
Revises:
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the dossier and answer tables."""
    op.create_table(
        "dossier",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("municipality", sa.String(200), nullable=False),
        sa.Column("advisor", sa.String(200), nullable=False, server_default=""),
        sa.Column("inhabitants", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_dossier_token_hash", "dossier", ["token_hash"], unique=True)
    op.create_table(
        "answer",
        sa.Column(
            "dossier_id",
            sa.Integer(),
            sa.ForeignKey("dossier.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("question_id", sa.String(80), primary_key=True),
        sa.Column("value", sa.JSON(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    """Drop both tables."""
    op.drop_table("answer")
    op.drop_index("ix_dossier_token_hash", table_name="dossier")
    op.drop_table("dossier")
