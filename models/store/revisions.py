"""The schema revisions the shipped migrations define, and running them.

The revisions are read from the scripts as text (:func:`read_revisions`, used on
every open); Alembic is imported only by :func:`migrate`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Connection

# the migrations folder is models/migrations, beside this package
MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def _script(migrations_dir: Path | None = None) -> Any:
    from alembic.script import ScriptDirectory

    return ScriptDirectory(str(migrations_dir or MIGRATIONS_DIR))


@dataclass(frozen=True)
class Revisions:
    """The schema revisions a migrations folder defines, read without Alembic."""

    known: frozenset[str]
    head: str


def _literal(node: Any, where: Path) -> Any:
    import ast

    try:
        return ast.literal_eval(node)
    except ValueError:
        raise RuntimeError(f"{where}: revision identifiers must be literals") from None


def read_revisions(migrations_dir: Path | None = None) -> Revisions:
    """Every revision and the head of the migration scripts in ``migrations_dir``
    (default: the shipped ones), from the ``revision`` and ``down_revision``
    assignments of ``versions/*.py`` parsed as text: no Alembic import, no module
    executed.  The same graph Alembic builds (tests/test_store.py compares them);
    used on every open, so Alembic is imported only when a migration runs."""
    import ast

    folder = (migrations_dir or MIGRATIONS_DIR) / "versions"
    parents: dict[str, tuple[str, ...]] = {}
    for path in sorted(folder.glob("*.py")):
        if path.name.startswith(("__init__", ".#")):
            continue
        values: dict[str, Any] = {}
        for node in ast.parse(path.read_bytes(), str(path)).body:
            if isinstance(node, ast.Assign | ast.AnnAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for t in targets:
                    if isinstance(t, ast.Name) and t.id in ("revision", "down_revision"):
                        values[t.id] = _literal(node.value, path)
        rev = values.get("revision")
        if not isinstance(rev, str) or not rev:
            raise RuntimeError(f"{path}: no revision identifier")
        if rev in parents:
            raise RuntimeError(f"{path}: revision {rev!r} defined twice")
        down = values.get("down_revision")
        parents[rev] = () if down is None else (down,) if isinstance(down, str) else tuple(down)
    for rev, downs in parents.items():
        for d in downs:
            if d not in parents:
                raise RuntimeError(f"{folder}: revision {rev!r} revises unknown revision {d!r}")
    referenced = {d for downs in parents.values() for d in downs}
    heads = sorted(set(parents) - referenced)
    if len(heads) != 1:
        raise RuntimeError(f"{folder}: expected one head revision, found {heads}")
    return Revisions(frozenset(parents), heads[0])


def head_revision(migrations_dir: Path | None = None) -> str:
    """The newest schema revision this app knows."""
    return read_revisions(migrations_dir).head


def migrate(conn: Connection, target: str = "head", migrations_dir: Path | None = None) -> None:
    """Upgrade the schema reachable through ``conn`` to ``target`` in the caller's
    transaction (begin it first: a failure then rolls every step back)."""
    from alembic.config import Config
    from alembic.runtime.environment import EnvironmentContext

    script = _script(migrations_dir)
    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir or MIGRATIONS_DIR))

    def upgrade(rev: Any, context: Any) -> Any:
        return script._upgrade_revs(target, rev)

    with EnvironmentContext(cfg, script, fn=upgrade, destination_rev=target) as env:
        env.configure(connection=conn, transactional_ddl=True)
        env.run_migrations()

