"""Vendor links, vendor submissions, a dossier's local facts and the curator's decisions.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the four tables of the vendor loop."""
    # long: a migration is one flat list of table definitions, frozen once it has run.
    op.create_table(
        "vendor_link",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True, index=True),
        sa.Column("platform_id", sa.String(80), nullable=False),
        sa.Column(
            "dossier_id",
            sa.Integer(),
            sa.ForeignKey("dossier.id", ondelete="CASCADE"),
            nullable=True,
        ),
        sa.Column("share_dossier", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("created_by", sa.String(200), nullable=False, server_default=""),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "vendor_submission",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "link_id",
            sa.Integer(),
            sa.ForeignKey("vendor_link.id", ondelete="CASCADE"),
            nullable=False,
            unique=True,
        ),
        sa.Column("platform_id", sa.String(80), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("name", sa.String(200), nullable=False, server_default=""),
        sa.Column("role", sa.String(200), nullable=False, server_default=""),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "local_fact",
        sa.Column(
            "dossier_id",
            sa.Integer(),
            sa.ForeignKey("dossier.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("platform_id", sa.String(80), primary_key=True),
        sa.Column("fact_id", sa.String(80), primary_key=True),
        sa.Column("answer", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "catalogue_decision",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "submission_id",
            sa.Integer(),
            sa.ForeignKey("vendor_submission.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("fact_id", sa.String(80), nullable=False),
        sa.Column("decision", sa.String(20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False, server_default=""),
        sa.Column("curator", sa.String(200), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("submission_id", "fact_id"),
    )


def downgrade() -> None:
    """Drop the vendor loop's tables."""
    op.drop_table("catalogue_decision")
    op.drop_table("local_fact")
    op.drop_table("vendor_submission")
    op.drop_table("vendor_link")
