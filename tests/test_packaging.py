"""Build the frozen application (PyInstaller) and run it as a user would.

Slow (about a minute to build): marked ``slow``; CI runs it.  The frozen executable
runs with a clean environment (no PYTHONPATH, a fresh HOME, offscreen Qt).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def frozen_app(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    work = tmp_path_factory.mktemp("work")
    env = dict(os.environ, DIST_DIR=str(dist), WORK_DIR=str(work), PYTHON=sys.executable)
    proc = subprocess.run(
        ["bash", str(ROOT / "packaging" / "build.sh")], env=env, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    exe = dist / "sla-workbench" / "sla-workbench"
    assert exe.is_file() and os.access(exe, os.X_OK)
    return exe


def clean_env(home: Path) -> dict[str, str]:
    home.mkdir(parents=True, exist_ok=True)
    return {
        "HOME": str(home),
        "PATH": "/usr/bin:/bin",
        "QT_QPA_PLATFORM": "offscreen",
        "LANG": "C.UTF-8",
    }


def run_frozen(exe: Path, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(exe), *args], env=clean_env(home), capture_output=True, text=True, timeout=300,
        cwd=home,
    )


def test_frozen_lint_on_published_sla(frozen_app: Path, tmp_path: Path, shared_dir: Path) -> None:
    sla = shared_dir / "data" / "sla-texts" / "woomberg_managed_wp_hosting_sla_latest_no_credits.md"
    proc = run_frozen(frozen_app, tmp_path / "home", "lint", str(sla), "--json")
    assert proc.returncode == 0, proc.stderr
    codes = {f["code"] for f in json.loads(proc.stdout)["findings"]}
    assert "W05" in codes  # the later Woomberg SLA dropped its service credits


def test_frozen_lint_reads_a_pdf_contract_as_the_library_does(frozen_app: Path, tmp_path: Path) -> None:
    """The frozen app reads PDF contracts with the same structure (headings from the type)
    as the installed package: same findings, same clauses."""
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    from workbench.warnings import lint_path

    styles = getSampleStyleSheet()
    pdf = tmp_path / "proposal.pdf"
    SimpleDocTemplate(str(pdf)).build([
        Paragraph("Support hours", styles["Heading1"]),
        Paragraph("The helpdesk is staffed Monday to Friday, 9am to 5pm Eastern Time.", styles["BodyText"]),
        Paragraph("Response times", styles["Heading1"]),
        Paragraph("We will respond to critical incidents as soon as possible and use best efforts "
                  "to restore service promptly.", styles["BodyText"]),
    ])
    proc = run_frozen(frozen_app, tmp_path / "home", "lint", str(pdf), "--as-of", "2026-11-01", "--json")
    assert proc.returncode == 0, proc.stderr
    frozen = sorted((f["code"], f["clause"]) for f in json.loads(proc.stdout)["findings"])
    library = sorted((f.code, f.clause) for f in lint_path(pdf, as_of="2026-11-01"))
    assert frozen == library
    assert ("W01", "Response times") in frozen


def test_frozen_simulate_on_demo(frozen_app: Path, tmp_path: Path) -> None:
    demo = ROOT / "resources" / "demo"
    tickets = next(p for p in (demo / "tickets.csv", demo / "tickets.csv.gz") if p.exists())
    status = next(p for p in (demo / "status_log.csv", demo / "status_log.csv.gz") if p.exists())
    proc = run_frozen(
        frozen_app, tmp_path / "home", "simulate",
        "--contract", str(demo / "northwind-2025.yaml"),
        "--tickets", str(tickets), "--status-log", str(status), "--json",
    )
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert set(out["by_priority"]) == {"P1", "P2", "P3", "P4"}
    assert sum(p["tickets"] for p in out["by_priority"].values()) > 15000


def test_frozen_app_opens_its_window_and_keeps_data_outside(frozen_app: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = clean_env(home) | {"SLA_WORKBENCH_SMOKE_TEST": "1"}
    proc = subprocess.run(
        [str(frozen_app), "--demo"], env=env, capture_output=True, text=True, timeout=300, cwd=home
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "window shown" in proc.stdout
    bundle = frozen_app.parent
    assert not list(bundle.rglob("*.slawb")), "user data written inside the bundle"
    # the user guide's pages ship with the app (Help ▸ User guide works offline)
    pages = {p.name for p in bundle.rglob("resources/guide/*.html")}
    assert {"overview.html", "whatif.html", "present.html"} <= pages, pages
    assert list((home / ".local" / "share").rglob("*.slawb")), "demo workspace not in user data dir"

