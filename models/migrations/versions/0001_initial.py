"""Initial workspace schema.

Revision ID: 0001
Revises:
Create Date: 2026-11-29

Instants are int64 seconds since the Unix epoch (UTC), NULL when absent: the
engine reads them straight into numpy arrays.  JSON documents are stored as text.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

APP_ID = "sla-workbench-workspace"  # frozen here on purpose: a migration never changes

# 64-bit ids on PostgreSQL, INTEGER PRIMARY KEY (the rowid) on SQLite
BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    meta = op.create_table(
        "workspace_meta",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text(), nullable=False),
    )
    op.bulk_insert(
        meta,
        [
            {"key": "app_id", "value": APP_ID},
            {"key": "schema_revision", "value": revision},
        ],
    )
    op.create_table(
        "clients",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False, server_default=""),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
    )
    op.create_table(
        "contract_versions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("client_id", sa.Integer(), sa.ForeignKey("clients.id"), nullable=True),
        sa.Column("parent_id", sa.Integer(), sa.ForeignKey("contract_versions.id"), nullable=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("contract_json", sa.Text(), nullable=False),
    )
    op.create_index("ix_contract_versions_parent", "contract_versions", ["parent_id"])
    op.create_table(
        "drafts",
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column(
            "parent_version_id", sa.Integer(), sa.ForeignKey("contract_versions.id"), nullable=True
        ),
        sa.Column("updated_at", sa.BigInteger(), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
    )
    op.create_table(
        "tickets",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("ticket_id", sa.String(200), nullable=False),
        sa.Column("priority", sa.SmallInteger(), nullable=True),  # 0..3 = P1..P4, NULL unknown
        sa.Column("opened_at", sa.BigInteger(), nullable=False),
        sa.Column("first_response_at", sa.BigInteger(), nullable=True),
        sa.Column("resolved_at", sa.BigInteger(), nullable=True),
        sa.Column("category", sa.String(200), nullable=True),
        sa.Column("team", sa.String(100), nullable=True),
        sa.UniqueConstraint("source", "ticket_id", name="uq_tickets_source_ticket"),
    )
    op.create_table(
        "status_log",
        sa.Column("id", BigId, primary_key=True),
        sa.Column(
            "ticket_pk", BigId, sa.ForeignKey("tickets.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("at", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(200), nullable=False),
    )
    op.create_index("ix_status_log_ticket_at", "status_log", ["ticket_pk", "at"])
    op.create_table(
        "backups",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("system", sa.String(200), nullable=False),
        sa.Column("finished_at", sa.BigInteger(), nullable=False),
        sa.Column("success", sa.Boolean(), nullable=False),
        sa.Column("location", sa.String(20), nullable=False),
    )
    op.create_table(
        "restore_tests",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("system", sa.String(200), nullable=False),
        sa.Column("started_at", sa.BigInteger(), nullable=False),
        sa.Column("finished_at", sa.BigInteger(), nullable=False),
        sa.Column("success", sa.Boolean(), nullable=False),
    )
    op.create_table(
        "outages",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("service", sa.String(200), nullable=False),
        sa.Column("start_at", sa.BigInteger(), nullable=False),
        sa.Column("end_at", sa.BigInteger(), nullable=False),
        sa.Column("maintenance", sa.Boolean(), nullable=False),
    )
    op.create_table(
        "kpis",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("patch_compliance", sa.Float(), nullable=True),
        sa.Column("threats_detected", sa.Integer(), nullable=True),
        sa.Column("threats_resolved", sa.Integer(), nullable=True),
        sa.Column("endpoints_managed", sa.Integer(), nullable=True),
        sa.UniqueConstraint("source", "month", name="uq_kpis_source_month"),
    )
    op.create_table(
        "data_sources",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("preset", sa.String(100), nullable=True),
        sa.Column("imported_at", sa.BigInteger(), nullable=False),
        sa.Column("tickets", sa.Integer(), nullable=False),
        sa.Column("status_rows", sa.Integer(), nullable=False),
        sa.Column("rejected", sa.Integer(), nullable=False),
        sa.Column("details", sa.Text(), nullable=True),  # JSON
    )


def downgrade() -> None:
    for name in (
        "data_sources", "kpis", "outages", "restore_tests", "backups", "status_log", "tickets",
        "drafts", "contract_versions", "clients", "workspace_meta",
    ):
        op.drop_table(name)
