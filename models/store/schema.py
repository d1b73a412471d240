"""The schema at the head revision, as SQLAlchemy Core tables.

It mirrors what the migrations in :mod:`models.migrations` build (tests/test_store.py
compares the two); the migrations, not this module, create and upgrade a workspace."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
)

APP_ID = "sla-workbench-workspace"
SUFFIX = ".slawb"

BigId = BigInteger().with_variant(Integer(), "sqlite")
metadata = MetaData()

t_meta = Table(
    "workspace_meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text(), nullable=False),
)
t_clients = Table(
    "clients",
    metadata,
    Column("id", Integer(), primary_key=True),
    Column("name", String(300), nullable=False),
    Column("notes", Text(), nullable=False, server_default=""),
    Column("created_at", BigInteger(), nullable=False),
)
t_versions = Table(
    "contract_versions",
    metadata,
    Column("id", Integer(), primary_key=True),
    Column("client_id", Integer(), ForeignKey("clients.id"), nullable=True),
    Column("parent_id", Integer(), ForeignKey("contract_versions.id"), nullable=True),
    Column("name", Text(), nullable=False),
    Column("label", Text(), nullable=False),
    Column("status", String(20), nullable=False),
    Column("created_at", BigInteger(), nullable=False),
    Column("contract_json", Text(), nullable=False),
    Column("source", Text(), nullable=True),  # the file name it was added from
    Column("source_text", Text(), nullable=True),  # the document's full text, for the redline
    Index("ix_contract_versions_parent", "parent_id"),
)
t_drafts = Table(
    "drafts",
    metadata,
    Column("key", String(200), primary_key=True),
    Column("parent_version_id", Integer(), ForeignKey("contract_versions.id"), nullable=True),
    Column("updated_at", BigInteger(), nullable=False),
    Column("data", Text(), nullable=False),
)
t_tickets = Table(
    "tickets",
    metadata,
    Column("id", BigId, primary_key=True),
    Column("source", String(200), nullable=False),
    Column("ticket_id", String(200), nullable=False),
    Column("priority", SmallInteger(), nullable=True),
    Column("opened_at", BigInteger(), nullable=False),
    Column("first_response_at", BigInteger(), nullable=True),
    Column("resolved_at", BigInteger(), nullable=True),
    Column("category", String(200), nullable=True),
    Column("team", String(100), nullable=True),
    Column("closed_at", BigInteger(), nullable=True),
    Column("provider_sla_met", Boolean(), nullable=True),
    # bits of the metrics whose event the ticket's export had no column for (NULL: none)
    Column("unrecorded", SmallInteger(), nullable=True),
    Column("cancelled", Boolean(), nullable=True),  # the tool cancelled it (NULL: not cancelled)
    UniqueConstraint("source", "ticket_id", name="uq_tickets_source_ticket"),
)
t_status = Table(
    "status_log",
    metadata,
    Column("id", BigId, primary_key=True),
    Column("ticket_pk", BigId, ForeignKey("tickets.id", ondelete="CASCADE"), nullable=False),
    Column("at", BigInteger(), nullable=False),
    Column("status", String(200), nullable=False),
    Index("ix_status_log_ticket_at", "ticket_pk", "at"),
)
t_backups = Table(
    "backups",
    metadata,
    Column("id", Integer(), primary_key=True),
    Column("source", String(200), nullable=False),
    Column("system", String(200), nullable=False),
    Column("finished_at", BigInteger(), nullable=False),
    Column("success", Boolean(), nullable=False),
    Column("location", String(20), nullable=False),
)
t_restores = Table(
    "restore_tests",
    metadata,
    Column("id", Integer(), primary_key=True),
    Column("source", String(200), nullable=False),
    Column("system", String(200), nullable=False),
    Column("started_at", BigInteger(), nullable=False),
    Column("finished_at", BigInteger(), nullable=False),
    Column("success", Boolean(), nullable=False),
)
t_outages = Table(
    "outages",
    metadata,
    Column("id", Integer(), primary_key=True),
    Column("source", String(200), nullable=False),
    Column("service", String(200), nullable=False),
    Column("start_at", BigInteger(), nullable=False),
    Column("end_at", BigInteger(), nullable=False),
    Column("maintenance", Boolean(), nullable=False),
)
t_kpis = Table(
    "kpis",
    metadata,
    Column("id", Integer(), primary_key=True),
    Column("source", String(200), nullable=False),
    Column("month", Date(), nullable=False),
    Column("patch_compliance", Float(), nullable=True),
    Column("threats_detected", Integer(), nullable=True),
    Column("threats_resolved", Integer(), nullable=True),
    Column("endpoints_managed", Integer(), nullable=True),
    UniqueConstraint("source", "month", name="uq_kpis_source_month"),
)
t_sources = Table(
    "data_sources",
    metadata,
    Column("id", Integer(), primary_key=True),
    Column("source", String(200), nullable=False),
    Column("file_name", Text(), nullable=False),
    Column("preset", String(100), nullable=True),
    Column("imported_at", BigInteger(), nullable=False),
    Column("tickets", Integer(), nullable=False),
    Column("status_rows", Integer(), nullable=False),
    Column("rejected", Integer(), nullable=False),
    Column("details", Text(), nullable=True),
)
t_scenarios = Table(
    "scenarios",
    metadata,
    Column("id", Integer(), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("created_at", BigInteger(), nullable=False),
    Column("updated_at", BigInteger(), nullable=False),
    Column("data", Text(), nullable=False),
    UniqueConstraint("name", name="uq_scenarios_name"),
)

TICKET_FIELDS = (  # in table column order, so bulk statements need no reordering
    "priority", "opened_at", "first_response_at", "resolved_at", "category", "team",
    "closed_at", "provider_sla_met", "unrecorded", "cancelled",
)  # fmt: skip

