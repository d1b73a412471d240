"""Modules that all ship together are imported as such: a broken one fails loudly instead
of a feature quietly disappearing (availability rows, a document's clauses and terms).
The first checks poison one module in a fresh interpreter and call the feature; the
source check below finds any such fallback statically, in every module of the tree."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _run_without(module: str, code: str) -> subprocess.CompletedProcess[str]:
    poison = f"import sys\nsys.modules[{module!r}] = None  # as if it failed to import\n"
    prog = poison + textwrap.dedent(code)
    return subprocess.run([sys.executable, "-c", prog], capture_output=True, text=True, cwd=ROOT, timeout=60)


def test_kpi_availability_needs_the_recovery_module() -> None:
    proc = _run_without(
        "workbench.engine.recovery",
        """
        from tests.test_kpis import CURRENT, contract, history
        from workbench.analytics.kpis import availability
        c = contract(uptime=[{"service": "ERP", "target_percent": 99.9}])
        print("availability:", availability(c, history(), CURRENT))
        """,
    )
    assert proc.returncode != 0, f"a missing workbench.engine.recovery went unnoticed: {proc.stdout}"
    assert "ModuleNotFoundError" in proc.stderr and "workbench.engine.recovery" in proc.stderr, proc.stderr


def test_document_versions_need_the_document_reader(tmp_path: Path) -> None:
    doc = tmp_path / "msa.md"
    doc.write_text("# 1 Services\n\nThe provider answers P1 tickets within 1 hour.\n")
    for module in ("workbench.documents.reader", "workbench.documents.extract"):
        proc = _run_without(
            module,
            f"""
            from workbench.documents.diff import load_version
            v = load_version({str(doc)!r})
            print("read without", {module!r}, v.title, v.extracted)
            """,
        )
        assert proc.returncode != 0, f"a missing {module} went unnoticed: {proc.stdout}"
        assert "ModuleNotFoundError" in proc.stderr, proc.stderr


# ------------------------------------------------------------------ in the source, statically

OWN = ("ui", "workbench", "models")
# Where a module of ours is imported by name on purpose: the views, built on first use
# (ui/views/__init__.py), and the warning signs, one module each (workbench/warnings/base.py).
BY_NAME = {"ui/views/__init__.py", "workbench/warnings/base.py"}
# A third-party package that really is optional (an extra): workspaces on PostgreSQL.
OPTIONAL = ("psycopg",)
_UNBUILT = re.compile(r"not built yet|not in this build|not available in this build")


def _imported(node: ast.Import | ast.ImportFrom) -> list[str]:
    if isinstance(node, ast.Import):
        return [a.name for a in node.names]
    return ["." * node.level + (node.module or "")]


def _catches_import_error(handler: ast.ExceptHandler) -> bool:
    kinds = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    names = {k.id for k in kinds if isinstance(k, ast.Name)} | {
        k.attr for k in kinds if isinstance(k, ast.Attribute)
    }
    return handler.type is None or bool(names & {"ImportError", "ModuleNotFoundError", "Exception"})


def fallbacks(source: str, path: str) -> list[str]:
    """What in ``source`` hides a missing module: an import caught by an ``except``
    ImportError (or broader) handler, a module imported by a name computed at run time
    (outside ``BY_NAME``), or a message for a part "not built yet"/"not in this build"."""
    found = []
    tree = ast.parse(source, path)
    for node in ast.walk(tree):
        if isinstance(node, ast.Try) and any(_catches_import_error(h) for h in node.handlers):
            for stmt in node.body:
                for sub in ast.walk(stmt):
                    if not isinstance(sub, ast.Import | ast.ImportFrom):
                        continue
                    for name in _imported(sub):
                        if not name.startswith(OPTIONAL):
                            found.append(f"{path}:{sub.lineno}: import {name} inside try/except")
        if isinstance(node, ast.Call) and path not in BY_NAME:
            fn = node.func
            called = fn.attr if isinstance(fn, ast.Attribute) else fn.id if isinstance(fn, ast.Name) else ""
            if called in ("import_module", "__import__"):
                found.append(f"{path}:{node.lineno}: a module imported by name")
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and _UNBUILT.search(node.value):
            found.append(f"{path}:{node.lineno}: {node.value!r}")
    return found


def test_no_fallbacks_in_the_source() -> None:
    found = []
    for pkg in OWN:
        for f in sorted((ROOT / pkg).rglob("*.py")):
            rel = f.relative_to(ROOT).as_posix()
            found += fallbacks(f.read_text(encoding="utf-8"), rel)
    assert not found, "fallbacks for modules that ship with the app:\n" + "\n".join(found)


@pytest.mark.parametrize(
    "source",
    [
        "try:\n    from models import store\nexcept ImportError:\n    store = None\n",
        "def f():\n    try:\n        import workbench.engine.simulate\n    except ModuleNotFoundError:\n"
        "        return False\n    return True\n",
        "try:\n    import pdfplumber\nexcept (OSError, ImportError):\n    pdfplumber = None\n",
        "try:\n    from .reader import load\nexcept Exception:\n    load = None\n",
        "import importlib\nrecovery = importlib.import_module('workbench.engine.recovery')\n",
        "mod = __import__('workbench.documents.extract')\n",
        "MSG = 'The compare view is not built yet.'\n",
        "raise RuntimeError('the store is not in this build')\n",
    ],
)
def test_the_source_check_finds_a_fallback(source: str) -> None:
    assert fallbacks(source, "workbench/example.py"), source


def test_the_source_check_passes_plain_code() -> None:
    plain = (
        "from workbench.engine import recovery\n"
        "def f(path):\n    from models.store import Workspace  # lazily, on a worker\n"
        "    try:\n        return Workspace.open(path)\n    except OSError:\n        return None\n"
        "try:\n    import psycopg\nexcept ImportError:\n    psycopg = None\n"
    )
    assert fallbacks(plain, "workbench/example.py") == []
