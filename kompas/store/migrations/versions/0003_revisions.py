"""Revisions on dossiers and answers, so a stale form cannot overwrite a newer answer.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add a save counter to dossiers and the revision of its last change to answers."""
    with op.batch_alter_table("dossier") as batch:
        batch.add_column(sa.Column("revision", sa.Integer(), nullable=False, server_default="0"))
    with op.batch_alter_table("answer") as batch:
        batch.add_column(sa.Column("revision", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    """Drop both columns; cleared answers (kept as JSON null) go with them."""
    op.execute(sa.text("DELETE FROM answer WHERE value IS NULL OR CAST(value AS TEXT) = 'null'"))
    with op.batch_alter_table("answer") as batch:
        batch.drop_column("revision")
    with op.batch_alter_table("dossier") as batch:
        batch.drop_column("revision")
