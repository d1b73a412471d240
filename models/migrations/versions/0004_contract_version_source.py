"""Contract versions keep where they came from, and a signed version cannot be removed.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03

``source`` is the file name a version was added from and ``source_text`` the
document's full text, kept for the redline; both are NULL for the versions stored
before (and for versions made in the editor).  Drafts and proposals may now be
deleted; a trigger refuses the DELETE of a signed version (on SQLite and
PostgreSQL; other databases rely on the store's own check).  0003's trigger still
refuses every UPDATE.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

MESSAGE = "a signed contract version is immutable: it cannot be removed"


def upgrade() -> None:
    op.add_column("contract_versions", sa.Column("source", sa.Text(), nullable=True))
    op.add_column("contract_versions", sa.Column("source_text", sa.Text(), nullable=True))
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute(
            "CREATE TRIGGER contract_versions_signed_kept BEFORE DELETE ON contract_versions "
            f"WHEN OLD.status = 'signed' BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
        )
    elif dialect == "postgresql":
        op.execute(
            "CREATE FUNCTION slawb_contract_versions_signed_kept() RETURNS trigger AS $$ "
            f"BEGIN RAISE EXCEPTION '{MESSAGE}'; END $$ LANGUAGE plpgsql"
        )
        op.execute(
            "CREATE TRIGGER contract_versions_signed_kept BEFORE DELETE ON contract_versions "
            "FOR EACH ROW WHEN (OLD.status = 'signed') EXECUTE FUNCTION slawb_contract_versions_signed_kept()"
        )
    op.execute(
        sa.text("UPDATE workspace_meta SET value = :rev WHERE key = 'schema_revision'").bindparams(
            rev=revision
        )
    )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS contract_versions_signed_kept")
    elif dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS contract_versions_signed_kept ON contract_versions")
        op.execute("DROP FUNCTION IF EXISTS slawb_contract_versions_signed_kept()")
    # plain ALTER TABLE ... DROP COLUMN (SQLite 3.35+): a batch copy of the table would drop
    # 0003's trigger with it
    op.drop_column("contract_versions", "source_text")
    op.drop_column("contract_versions", "source")
    op.execute(sa.text("UPDATE workspace_meta SET value = '0003' WHERE key = 'schema_revision'"))
