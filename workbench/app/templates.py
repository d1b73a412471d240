"""The bundled contract templates (``resources/templates/``): a 2026-ready SLA to start
a new contract from, and the default it offers for a term a document does not state."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from models.contract import Contract, load_contract

__all__ = ["SLA_2026", "load_template", "template_default", "template_path"]

SLA_2026 = "sla-2026.yaml"


def template_path(name: str = SLA_2026) -> Path:
    """Where the bundled template ``name`` is (a real file in a checkout and in the frozen app)."""
    from importlib.resources import files

    return Path(str(files("resources") / "templates" / name))


@lru_cache(maxsize=4)
def load_template(name: str = SLA_2026) -> Contract:
    """The template as a contract version (a draft)."""
    return load_contract(template_path(name))


def template_default(path: str, name: str = SLA_2026) -> Any | None:
    """The template's value for a contract file's key (``targets.P1.resolution``,
    ``backup.systems``, ``calendars.business.timezone`` …) as contract files write it,
    or None when the template states none."""
    node: Any = load_template(name).to_data()
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return None if node in (None, [], {}) else node
