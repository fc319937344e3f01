"""Workshop sessions (werksessies) and their participants.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the workshop and participant tables (deleted with their dossier)."""
    op.create_table(
        "workshop",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "dossier_id",
            sa.Integer(),
            sa.ForeignKey("dossier.id", ondelete="CASCADE", name="fk_workshop_dossier"),
            nullable=False,
        ),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("link_salt", sa.String(64), nullable=False),
        sa.Column("sections", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False, server_default="open"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("adopted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("adopted_summary", sa.JSON(), nullable=True),
    )
    op.create_index("ix_workshop_dossier_id", "workshop", ["dossier_id"], unique=True)
    op.create_index("ix_workshop_token_hash", "workshop", ["token_hash"], unique=True)
    op.create_table(
        "participant",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "workshop_id",
            sa.Integer(),
            sa.ForeignKey("workshop.id", ondelete="CASCADE", name="fk_participant_workshop"),
            nullable=False,
        ),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_participant_workshop_id", "participant", ["workshop_id"])
    op.create_index("ix_participant_token_hash", "participant", ["token_hash"], unique=True)


def downgrade() -> None:
    """Drop both tables (participants first)."""
    op.drop_index("ix_participant_token_hash", table_name="participant")
    op.drop_index("ix_participant_workshop_id", table_name="participant")
    op.drop_table("participant")
    op.drop_index("ix_workshop_token_hash", table_name="workshop")
    op.drop_index("ix_workshop_dossier_id", table_name="workshop")
    op.drop_table("workshop")
