"""Contract versions become immutable in the database itself: an UPDATE of a
stored version is refused (editing adds a new version with ``parent_id``).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29

A trigger on SQLite and PostgreSQL; other databases rely on the store, which
never updates a version.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

MESSAGE = "contract versions are immutable: store an edit as a new version"


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute(
            "CREATE TRIGGER contract_versions_immutable BEFORE UPDATE ON contract_versions "
            f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
        )
    elif dialect == "postgresql":
        op.execute(
            "CREATE FUNCTION slawb_contract_versions_immutable() RETURNS trigger AS $$ "
            f"BEGIN RAISE EXCEPTION '{MESSAGE}'; END $$ LANGUAGE plpgsql"
        )
        op.execute(
            "CREATE TRIGGER contract_versions_immutable BEFORE UPDATE ON contract_versions "
            "FOR EACH ROW EXECUTE FUNCTION slawb_contract_versions_immutable()"
        )
    op.execute(
        sa.text("UPDATE workspace_meta SET value = :rev WHERE key = 'schema_revision'").bindparams(
            rev=revision
        )
    )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS contract_versions_immutable")
    elif dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS contract_versions_immutable ON contract_versions")
        op.execute("DROP FUNCTION IF EXISTS slawb_contract_versions_immutable()")
    op.execute(sa.text("UPDATE workspace_meta SET value = '0002' WHERE key = 'schema_revision'"))
