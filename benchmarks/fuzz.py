"""The long fuzz run: thousands of malformed files through every subcommand that reads them.

The corpus is tests/fuzz_corpus.py's generator (seeded, every kind of input) plus CSV
and YAML contract files made by Hypothesis.  Each run is a fork of this process (so
nothing is imported twice) running ``workbench.cli.main``; the parent kills a run past
30 s and reads the child's peak memory from ``wait4``.  Reports, over all runs: exit codes,
tracebacks and other broken promises (more than one line, a partial output file, a
changed workspace), hangs past 30 s and runs past 1 GB of memory.

    .venv/bin/python benchmarks/fuzz.py [--cases 2000] [--seed 1] [--hypothesis 400]

Exit status 0 when every run held, 1 otherwise (the problems are listed).
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import io
import os
import signal
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests import fuzz_corpus as fc
from workbench.cli import main

SECONDS = 30
MEMORY = 1 << 30


def hypothesis_cases(folder: Path, count: int, seed: int) -> list[fc.Case]:
    """CSV ticket files and YAML contracts made by Hypothesis from valid pieces and noise."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import seed as hseed
    from hypothesis import strategies as st

    header = fc.base_tickets(0).strip()
    cells = ["T1", "P1", "P5", "", "2026-01-05T10:00:00Z", "0001-01-01T00:00:00Z", "05/01/2026 10:00", "true",
             '"', "\x00"]
    row = st.lists(st.one_of(st.sampled_from(cells), st.text(max_size=30)), min_size=0, max_size=12)
    csv_files = st.lists(row, max_size=30).map(
        lambda rows: header + b"\n" + b"\n".join(",".join(r).encode("utf-8", "replace") for r in rows))
    base = fc.base_contract()
    leaf = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=40),
                     st.sampled_from(fc.HOSTILE_VALUES[:30]))
    value = st.recursive(leaf, lambda kids: st.one_of(st.lists(kids, max_size=5),
                                                      st.dictionaries(st.text(max_size=8), kids, max_size=5)),
                         max_leaves=30)
    contracts = st.tuples(st.sampled_from(sorted(base)), value)
    made: list[tuple[str, bytes, str]] = []

    @hseed(seed)
    @settings(max_examples=count // 2, database=None, deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(csv_files, contracts)
    def collect(csv_bytes: bytes, change: tuple[str, object]) -> None:
        import yaml

        made.append(("tickets_csv", csv_bytes, "hypothesis CSV"))
        c = dict(base)
        c[change[0]] = change[1]
        made.append(("contract_yaml", yaml.safe_dump(c, allow_unicode=True).encode(),
                     f"hypothesis: {change[0]} = {str(change[1])[:40]!r}"))

    collect()
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i, (kind, data, how) in enumerate(made):
        p = folder / f"h{i:05d}{'.csv' if kind == 'tickets_csv' else '.yaml'}"
        p.write_bytes(data)
        out.append(fc.Case(kind, p, how))
    return out


def run_forked(argv: list[str], log: Path) -> tuple[int | None, int, float]:
    """``main(argv)`` in a fork: (exit code or None when killed at the deadline, peak memory in
    bytes, seconds)."""
    t0 = time.monotonic()
    pid = os.fork()
    if pid == 0:  # child, in a process group of its own (a parser it starts goes with it)
        os.setpgid(0, 0)
        rc = 70
        try:
            quiet = contextlib.redirect_stdout(io.StringIO())
            with open(log, "w") as fh, quiet, contextlib.redirect_stderr(fh):
                rc = main(argv)
        except SystemExit as exc:
            rc = int(exc.code or 0)
        except BaseException:
            import traceback

            with open(log, "a") as fh:
                fh.write(traceback.format_exc())
            rc = 70
        finally:
            os._exit(rc)
    deadline = t0 + SECONDS
    while True:
        done, status, usage = os.wait4(pid, os.WNOHANG)
        if done:
            code = os.waitstatus_to_exitcode(status)
            return code, usage.ru_maxrss * 1024, time.monotonic() - t0
        if time.monotonic() > deadline:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGKILL)
            _, status, usage = os.wait4(pid, 0)
            return None, usage.ru_maxrss * 1024, time.monotonic() - t0
        time.sleep(0.02)


def main_(args: argparse.Namespace) -> int:
    fc.DOCX_PARAGRAPHS = 20_000  # the full sizes, not the test's
    with tempfile.TemporaryDirectory(prefix="slawb-fuzz-") as tmp:
        d = Path(tmp)
        t0 = time.monotonic()
        cases = fc.generate(d / "cases", args.cases, seed=args.seed)
        if args.hypothesis:
            cases += hypothesis_cases(d / "hyp", args.hypothesis, args.seed)
        made = time.monotonic() - t0
        tickets = d / "tickets.csv"
        tickets.write_bytes(fc.base_tickets(60))
        base = d / "base.slawb"
        with contextlib.redirect_stdout(io.StringIO()):
            assert main(["import", str(base), str(tickets)]) == 0
        base_ws = base.read_bytes()
        ws, out, log = d / "ws.slawb", d / "out.pdf", d / "stderr.txt"
        codes: collections.Counter[str] = collections.Counter()
        problems: list[str] = []
        hangs = big = runs = 0
        peak = 0
        slowest: list[tuple[float, str]] = []
        t1 = time.monotonic()
        for case in cases:
            for argv in fc.commands(case, fc.DEMO / "northwind-2025.yaml", tickets, ws, out):
                ws.write_bytes(base_ws)
                out.unlink(missing_ok=True)
                rc, mem, secs = run_forked(argv, log)
                runs += 1
                if runs % 250 == 0:
                    print(f"... {runs} runs, {len(problems)} problems so far ({time.monotonic() - t1:.0f} s)",
                          flush=True)
                label = f"{case.path.name} ({case.how}): {' '.join(argv[:2])}"
                peak = max(peak, mem)
                slowest.append((secs, label))
                if mem > MEMORY:
                    big += 1
                    problems.append(f"{label}: {mem / (1 << 20):.0f} MB of memory")
                    print("PROBLEM", problems[-1], flush=True)
                if rc is None:
                    hangs += 1
                    codes["killed"] += 1
                    problems.append(f"{label}: still running after {SECONDS} s")
                    print("PROBLEM", problems[-1], flush=True)
                    continue
                codes[str(rc)] += 1
                found = fc.problems_of(label, rc, log.read_text(errors="replace"),
                                       rc != 0 and out.exists(), rc != 0 and ws.read_bytes() != base_ws)
                for p in found:  # as they happen: a run stopped early still shows what it found
                    print("PROBLEM", p, flush=True)
                problems += found
        ran = time.monotonic() - t1
    kinds = collections.Counter(c.kind for c in cases)
    by_kind = ", ".join(f"{k} {n}" for k, n in sorted(kinds.items()))
    print(f"cases: {len(cases)} ({by_kind}); made in {made:.0f} s")
    print(f"runs: {runs} in {ran:.0f} s; exit codes: {dict(sorted(codes.items()))}")
    tracebacks = sum("traceback" in p for p in problems)
    others = len(problems) - tracebacks - hangs - big
    print(f"tracebacks: {tracebacks}; hangs past {SECONDS} s: {hangs}; runs past 1 GB: {big} "
          f"(peak {peak / (1 << 20):.0f} MB); other broken promises: {others}")
    slowest.sort(reverse=True)
    print("slowest runs:")
    for secs, label in slowest[:5]:
        print(f"  {secs:5.1f} s  {label[:120]}")
    return 1 if problems else 0


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cases", type=int, default=2000, help="generated cases (default 2000)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--hypothesis", type=int, default=400,
                    help="Hypothesis-made CSV and YAML cases (default 400)")
    sys.exit(main_(ap.parse_args()))
