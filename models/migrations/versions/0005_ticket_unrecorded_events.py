"""Tickets record which events their export had no column for.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03

``unrecorded`` holds bits of the metrics (1 response, 2 resolution) whose event the
ticket's export could not carry: no first-response or resolution column at all.  An
empty cell in a column the export has is a ticket still open; a column the export
lacks is an event never recorded, and the metric is "not measured" rather than
pending or breached.  NULL (every ticket stored before) means every event was
recordable, as before.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("tickets", sa.Column("unrecorded", sa.SmallInteger(), nullable=True))
    op.execute(
        sa.text("UPDATE workspace_meta SET value = :rev WHERE key = 'schema_revision'").bindparams(
            rev=revision
        )
    )


def downgrade() -> None:
    # plain ALTER TABLE ... DROP COLUMN (SQLite 3.35+), as 0004 does
    op.drop_column("tickets", "unrecorded")
    op.execute(sa.text("UPDATE workspace_meta SET value = '0004' WHERE key = 'schema_revision'"))
