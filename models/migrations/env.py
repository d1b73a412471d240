"""Alembic environment for ``alembic -c models/alembic.ini ...`` (developer use).

The application does not run this file: :func:`models.store.migrate` drives the
same revision scripts programmatically on its own connection and transaction.
Importing this module outside Alembic (e.g. by a package walk) does nothing.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine


def _run() -> None:
    config = context.config
    url = config.get_main_option("sqlalchemy.url")
    if context.is_offline_mode():
        context.configure(url=url, literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(url or "sqlite://")
    with engine.begin() as conn:
        context.configure(connection=conn, transactional_ddl=True)
        context.run_migrations()
    engine.dispose()


if getattr(context, "config", None) is not None:  # only when Alembic runs this file
    _run()
