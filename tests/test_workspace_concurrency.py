"""Two programs on one workspace, and writers killed while creating one.

A second writer waits (a bounded busy timeout) and then proceeds, or is refused in one
line ("in use by another SLA Workbench"), never a traceback; two first imports into a
missing workspace both land in it (neither deletes the other's file); a workspace being
created appears only complete, and the temporary files a killed creator leaves are
removed the next time the folder is written."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from models.atomic import atomic_write_bytes
from models.store import Workspace
from workbench.cli import main

ROOT = Path(__file__).resolve().parents[1]
CSV = """\
id,priority,opened_at,first_response_at,resolved_at
{p}1,P2,2026-03-02T10:30:00-05:00,2026-03-02T11:00:00-05:00,2026-03-02T15:00:00-05:00
{p}2,P1,2026-03-03T10:00:00Z,2026-03-03T10:30:00Z,2026-03-03T16:00:00Z
"""

HOLD = textwrap.dedent("""\
    import sqlite3, sys, time
    con = sqlite3.connect(sys.argv[1], isolation_level=None)
    con.execute("BEGIN EXCLUSIVE")
    print("locked", flush=True)
    time.sleep(float(sys.argv[2]))
    con.execute("ROLLBACK")
""")


def _tickets(tmp_path: Path, prefix: str) -> Path:
    f = tmp_path / f"{prefix}.csv"
    f.write_text(CSV.format(p=prefix), encoding="utf-8")
    return f


def _hold_lock(ws: Path, seconds: float) -> subprocess.Popen[str]:
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(ws), str(seconds)], stdout=subprocess.PIPE,
                            text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
    return proc


def test_a_second_writer_is_refused_in_one_line_after_the_busy_timeout(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    ws = tmp_path / "ws.slawb"
    assert main(["import", str(ws), str(_tickets(tmp_path, "A"))]) == 0
    capsys.readouterr()
    before = ws.read_bytes()
    monkeypatch.setattr("models.store.engine.WORKSPACE_BUSY_SECONDS", 1)
    holder = _hold_lock(ws, 30)
    try:
        t0 = time.monotonic()
        rc = main(["import", str(ws), str(_tickets(tmp_path, "B"))])
        waited = time.monotonic() - t0
    finally:
        holder.kill()
        holder.wait()
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert rc == 2, err
    assert len(lines) == 1 and "Traceback" not in err, err
    assert f"{ws}: in use by another SLA Workbench" in lines[0] and "nothing was changed" in lines[0]
    assert 0.9 < waited < 20
    assert ws.read_bytes() == before
    with Workspace.open(ws) as w:
        assert w.ticket_count() == 2


def test_a_second_writer_waits_its_turn(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ws = tmp_path / "ws.slawb"
    assert main(["import", str(ws), str(_tickets(tmp_path, "A"))]) == 0
    holder = _hold_lock(ws, 1.5)
    try:
        assert main(["import", str(ws), str(_tickets(tmp_path, "B"))]) == 0, capsys.readouterr().err
    finally:
        holder.wait()
    with Workspace.open(ws) as w:
        assert w.ticket_count() == 4


def test_two_first_imports_into_a_missing_workspace_both_land(tmp_path: Path) -> None:
    ws = tmp_path / "new.slawb"
    files = [_tickets(tmp_path, p) for p in ("A", "B", "C")]
    procs = [subprocess.Popen([sys.executable, "-m", "workbench.cli", "import", str(ws), str(f)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
             for f in files]
    outs = [p.communicate(timeout=120) for p in procs]
    for p, (_out, err) in zip(procs, outs, strict=True):
        assert p.returncode == 0, err
    with Workspace.open(ws) as w:
        assert w.ticket_count() == 6
    assert sorted(x.name for x in tmp_path.iterdir() if x.name.startswith(".")) == []


def test_stale_temporaries_are_removed_and_live_ones_kept(tmp_path: Path) -> None:
    ws = tmp_path / "ws.slawb"
    dead = 2_000_000_000  # no such process
    stale = [tmp_path / f".ws.slawb.{dead}.k2j3.creating",
             tmp_path / f".ws.slawb.{dead}.k2j3.creating-journal"]
    live = tmp_path / f".ws.slawb.{os.getpid()}.zz.creating"
    other = tmp_path / ".other.slawb.123.x.creating"
    for f in (*stale, live, other):
        f.write_bytes(b"")
    Workspace.create(ws).close()
    assert not any(f.exists() for f in stale)
    assert live.exists() and other.exists()
    out = tmp_path / "review.pdf"
    stale_tmp = tmp_path / f".review.pdf.{dead}.abc.tmp"
    stale_tmp.write_bytes(b"half")
    atomic_write_bytes(out, b"%PDF")
    assert not stale_tmp.exists() and out.read_bytes() == b"%PDF"


CREATE = textwrap.dedent("""\
    import sys
    from models.store import Workspace
    Workspace.create(sys.argv[1]).close()
    print("done", flush=True)
""")


def test_a_creator_killed_at_any_point_leaves_no_workspace_or_a_whole_one(tmp_path: Path) -> None:
    rnd = random.Random(17)
    t0 = time.monotonic()
    subprocess.run([sys.executable, "-c", CREATE, str(tmp_path / "probe.slawb")], check=True, cwd=ROOT)
    full = time.monotonic() - t0
    for trial in range(8):
        folder = tmp_path / f"t{trial}"
        folder.mkdir()
        ws = folder / "ws.slawb"
        proc = subprocess.Popen([sys.executable, "-c", CREATE, str(ws)], cwd=ROOT,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rnd.uniform(0.3, 1.0) * full)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        if ws.exists():  # complete, never empty or half-made
            with Workspace.open(ws, upgrade=False) as w:
                assert w.ticket_count() == 0
        else:
            Workspace.create(ws).close()  # the next write cleans up after the killed one
        leftovers = [x.name for x in folder.iterdir() if x.name != "ws.slawb"]
        assert leftovers == [], leftovers


def _rows(n: int, prefix: str) -> str:
    lines = ["id,priority,opened_at,first_response_at,resolved_at"]
    for i in range(n):
        day = 1 + i % 28
        lines.append(f"{prefix}{i},P{1 + i % 4},2026-03-{day:02d}T10:00:00Z,2026-03-{day:02d}T10:30:00Z,"
                     f"2026-03-{day:02d}T15:00:00Z")
    return "\n".join(lines) + "\n"


def test_an_import_killed_at_random_points_leaves_the_old_or_the_new_workspace(tmp_path: Path) -> None:
    """A writer killed during a 20,000-row import: the workspace afterwards passes SQLite's
    integrity check and holds exactly the old tickets or the old and the new (never a part)."""
    import sqlite3

    base = tmp_path / "base.slawb"
    first = tmp_path / "first.csv"
    first.write_text(_rows(500, "OLD"), encoding="utf-8")
    assert main(["import", str(base), str(first)]) == 0
    big = tmp_path / "big.csv"
    big.write_text(_rows(20_000, "NEW"), encoding="utf-8")
    ws = tmp_path / "ws.slawb"
    shutil.copy(base, ws)
    t0 = time.monotonic()
    subprocess.run([sys.executable, "-m", "workbench.cli", "import", str(ws), str(big)], check=True, cwd=ROOT,
                   stdout=subprocess.DEVNULL)
    full = time.monotonic() - t0
    rnd = random.Random(5)
    for _trial in range(6):
        shutil.copy(base, ws)
        for leftover in tmp_path.glob("ws.slawb-*"):
            leftover.unlink()
        proc = subprocess.Popen([sys.executable, "-m", "workbench.cli", "import", str(ws), str(big)],
                                cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rnd.uniform(0.2, 1.0) * full)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        with Workspace.open(ws) as w:  # rolls a hot journal back, as any open does
            count = w.ticket_count()
        con = sqlite3.connect(ws)
        try:
            assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        finally:
            con.close()
        assert count in (500, 20_500), count
