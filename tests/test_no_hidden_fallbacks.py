"""Modules that all ship together are imported as such: a broken one fails loudly instead
of a feature quietly disappearing (availability rows, a document's clauses and terms).
Each check poisons one module in a fresh interpreter and calls the feature."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

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
