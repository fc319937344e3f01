"""Verification rounds: a dossier's vendor links made together, and the shortlist at the start.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the round table and the table of its links (both deleted with their dossier)."""
    op.create_table(
        "vendor_round",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "dossier_id",
            sa.Integer(),
            sa.ForeignKey("dossier.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("created_by", sa.String(200), nullable=False, server_default=""),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
    )
    op.create_index("ix_vendor_round_dossier_id", "vendor_round", ["dossier_id"])
    op.create_table(
        "vendor_round_link",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "round_id",
            sa.Integer(),
            sa.ForeignKey("vendor_round.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "link_id",
            sa.Integer(),
            sa.ForeignKey("vendor_link.id", ondelete="CASCADE"),
            nullable=False,
            unique=True,
        ),
        sa.Column("platform_id", sa.String(80), nullable=False),
        sa.Column("questions", sa.JSON(), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_vendor_round_link_round_id", "vendor_round_link", ["round_id"])


def downgrade() -> None:
    """Drop the round's tables (links first)."""
    op.drop_index("ix_vendor_round_link_round_id", table_name="vendor_round_link")
    op.drop_table("vendor_round_link")
    op.drop_index("ix_vendor_round_dossier_id", table_name="vendor_round")
    op.drop_table("vendor_round")
