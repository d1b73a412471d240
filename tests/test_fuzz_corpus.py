"""The fuzz corpus: 264 malformed files of every kind (tests/fuzz_corpus.py) through every
subcommand that reads them.

Each run goes through ``workbench.cli.main`` in-process under a 30 s alarm (an uncaught
exception, a traceback or a run past the alarm fails); a refusal is exit 1 or 2 with one
line on stderr, no output file and the workspace byte-identical.  A few cases built to
exhaust memory or time run as real processes under a 1 GB address-space limit and a
timeout.  ``benchmarks/fuzz.py`` runs thousands of cases the same way.
"""

from __future__ import annotations

import contextlib
import io
import os
import resource
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fuzz_corpus import DEMO, KINDS, Case, billion_laughs, commands, generate, problems_of
from workbench.cli import main

ROOT = Path(__file__).resolve().parents[1]
COUNT = 264
SECONDS = 30


class Hang(BaseException):
    """A run past its time (a BaseException: no ``except Exception`` of the code under test
    may turn it into a clean error)."""


@contextlib.contextmanager
def _alarm(seconds: int) -> Iterator[list[bool]]:
    """Raise Hang after ``seconds``; the list yielded holds True once the alarm rang (when it
    rings inside a callback Python cannot raise from, a weakref callback or a ``__del__``, the
    Hang is printed as "Exception ignored" with a traceback and the run goes on: still a run
    past its time, not a traceback of the program)."""
    rang: list[bool] = []

    def ring(signum: int, frame: object) -> None:
        rang.append(True)
        raise Hang

    previous = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield rang
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Case], Path, Path, bytes]:
    d = tmp_path_factory.mktemp("fuzz")
    cases = generate(d / "cases", COUNT, seed=2026)
    tickets = d / "tickets.csv"
    tickets.write_bytes(b"\n".join((DEMO / "tickets.csv").read_bytes().split(b"\n")[:60]) + b"\n")
    ws = d / "base.slawb"
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["import", str(ws), str(tickets)]) == 0
    return cases, d, tickets, ws.read_bytes()


def run_case(case: Case, work: Path, tickets: Path, base_ws: bytes) -> list[str]:
    """Every command on ``case``; the problems found (empty: all held)."""
    problems: list[str] = []
    for argv in commands(case, DEMO / "northwind-2025.yaml", tickets, work / "ws.slawb", work / "out.pdf"):
        ws, out = work / "ws.slawb", work / "out.pdf"
        ws.write_bytes(base_ws)
        out.unlink(missing_ok=True)
        stdout, stderr = io.StringIO(), io.StringIO()
        label = f"{case.path.name} ({case.how}): {' '.join(argv[:2])}"
        rang: list[bool] = []
        try:
            with (_alarm(SECONDS) as rang, contextlib.redirect_stdout(stdout),
                  contextlib.redirect_stderr(stderr)):
                rc = main(argv)
        except Hang:
            problems.append(f"{label}: still running after {SECONDS} s")
            continue
        except SystemExit as exc:
            rc = int(exc.code or 0)
        except BaseException as exc:
            problems.append(f"{label}: {type(exc).__name__}: {exc}"[:400])
            continue
        if rang:  # the Hang was swallowed where it rang: the run took too long all the same
            problems.append(f"{label}: still running after {SECONDS} s (finished later, exit {rc})")
            continue
        problems += problems_of(label, rc, stderr.getvalue(), rc != 0 and out.exists(),
                                rc != 0 and ws.read_bytes() != base_ws)
    return problems


def test_fuzz_corpus_every_kind_through_every_subcommand(
        corpus: tuple[list[Case], Path, Path, bytes]) -> None:
    cases, d, tickets, base_ws = corpus
    assert len(cases) >= 250
    assert {c.kind for c in cases} == set(KINDS)
    work = d / "work"
    work.mkdir()
    problems: list[str] = []
    for case in cases:
        problems += run_case(case, work, tickets, base_ws)
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems[:40])


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


@pytest.mark.parametrize("name,make,argv", [
    ("laughs.yaml", lambda p: p.write_bytes(billion_laughs()), ["lint", "{f}"]),
    ("bomb.csv.gz", lambda p: p.write_bytes(__import__("gzip").compress(
        b"id,priority,opened_at,first_response_at,resolved_at\n" + b"\0" * (300 << 20), 9)),
     ["import", "{ws}", "{f}"]),
    ("line.md", lambda p: p.write_bytes(b"P1 response " + b"x" * (60 << 20)), ["lint", "{f}"]),
])
def test_memory_and_time_cases_in_a_real_process(tmp_path: Path, name: str, make: object,
                                                 argv: list[str]) -> None:
    f = tmp_path / name
    make(f)  # type: ignore[operator]
    ws = tmp_path / "ws.slawb"
    args = [a.format(f=f, ws=ws) for a in argv]
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    proc = subprocess.run([sys.executable, "-m", "workbench.cli", *args], capture_output=True, text=True,
                          timeout=120, cwd=ROOT, env=env, preexec_fn=_limited)
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode == 2, proc.stderr[-2000:]
    assert len(lines) == 1 and name in lines[0], proc.stderr[-2000:]
    assert not ws.exists()
    shutil.rmtree(tmp_path, ignore_errors=True)
