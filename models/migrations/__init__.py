"""Alembic migrations of the workspace schema, shipped inside the package.

:mod:`models.store` runs them programmatically (no ``alembic`` command needed);
``env.py`` is here too so that developers can run ``alembic -c models/alembic.ini``.
"""
