"""Tickets record whether the tool cancelled them.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03

``cancelled`` is true for a ticket whose final state or close code in its export says
it was cancelled (ServiceNow's Canceled: raised in error or withdrawn).  Such tickets
are left out of SLA compliance and counted apart, as ServiceNow cancels their task
SLAs.  NULL (every ticket stored before) means not cancelled, as before.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("tickets", sa.Column("cancelled", sa.Boolean(), nullable=True))
    op.execute(
        sa.text("UPDATE workspace_meta SET value = :rev WHERE key = 'schema_revision'").bindparams(
            rev=revision
        )
    )


def downgrade() -> None:
    op.drop_column("tickets", "cancelled")  # plain ALTER TABLE ... DROP COLUMN, as 0004 does
    op.execute(sa.text("UPDATE workspace_meta SET value = '0005' WHERE key = 'schema_revision'"))
