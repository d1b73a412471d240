"""Tickets gain closed_at and the provider's own SLA verdict; named scenarios.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("tickets", sa.Column("closed_at", sa.BigInteger(), nullable=True))
    op.add_column("tickets", sa.Column("provider_sla_met", sa.Boolean(), nullable=True))
    op.create_table(
        "scenarios",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.BigInteger(), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),  # JSON
        sa.UniqueConstraint("name", name="uq_scenarios_name"),
    )
    op.execute(
        sa.text("UPDATE workspace_meta SET value = :rev WHERE key = 'schema_revision'").bindparams(
            rev=revision
        )
    )


def downgrade() -> None:
    op.drop_table("scenarios")
    with op.batch_alter_table("tickets") as batch:  # SQLite needs batch mode to drop columns
        batch.drop_column("provider_sla_met")
        batch.drop_column("closed_at")
    op.execute(sa.text("UPDATE workspace_meta SET value = '0001' WHERE key = 'schema_revision'"))
