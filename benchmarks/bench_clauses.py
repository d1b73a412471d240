"""Benchmark: how the redline's time grows with the number of clauses (target: no faster
than the baseline's, and the fuzz corpus's 3,000-clause case under 5 s).

``sla-workbench redline`` of the demo's signed 2025 contract against a copy of it with N
clauses, N = 300, 1,000 and 3,000, run in-process the way the fuzz test runs it
(``workbench.cli.main``: reading both files, the clause matching and word diff, the warning
signs, the layout, the file).  Two shapes of clause:

* ``fuzz``: the fuzz corpus's case (tests/fuzz_corpus.py, "N clauses"): every clause headed
  "H" with the text "P1 response within 1 hour.";
* ``varied``: numbered clauses each with its own heading and a sentence of its own.

Baseline, measured in the same run: a plain reportlab ``SimpleDocTemplate`` laying out the
same N headings and texts as unstyled paragraphs, whose work is linear in N.  Prints the
time at each N, the ratio to the baseline at the same N and the growth from 1,000 to 3,000
clauses of both (3.0x is linear).  PASS when the redline's ratio to the baseline at 3,000
clauses is at most 1.5 times its ratio at 300 (no work growing faster than the layout of the
clauses itself) and the fuzz shape at 3,000 clauses takes at most 5 s.  Times are the best
of ``--runs`` on a quiet machine (CPU time, so that other processes on a shared machine
count less).

    .venv/bin/python benchmarks/bench_clauses.py [--runs 2]
"""

from __future__ import annotations

import contextlib
import io
import json
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import yaml

from workbench.cli import main as cli

ROOT = Path(__file__).resolve().parent.parent
OLD = ROOT / "resources" / "demo" / "northwind-2025.yaml"
SIZES = (300, 1_000, 3_000)
FUZZ_SECONDS = 5.0
GROWTH = 1.5
WORDS = (  # noqa: SIM905
    "the provider shall respond to each incident within the agreed target and keep the client informed "
    "of progress through the service portal while the ticket remains open including weekends where the "
    "coverage calendar applies and holidays are excluded unless stated otherwise in this schedule"
).split()


def clauses(shape: str, n: int) -> list[dict[str, str]]:
    if shape == "fuzz":
        return [{"number": str(i), "heading": "H", "text": "P1 response within 1 hour."} for i in range(n)]
    rng = random.Random(n)
    return [
        {"number": str(i + 1), "heading": f"{rng.choice(WORDS).title()} {rng.choice(WORDS)} {i + 1}",
         "text": " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 12))).capitalize() + "."}
        for i in range(n)
    ]


def contract_file(folder: Path, shape: str, n: int) -> Path:
    data = yaml.safe_load(OLD.read_text(encoding="utf-8"))
    data["clauses"] = clauses(shape, n)
    path = folder / f"{shape}-{n}.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def redline(new: Path, out: Path) -> float:
    out.unlink(missing_ok=True)
    t0 = time.process_time()
    with contextlib.redirect_stdout(io.StringIO()):
        rc = cli(["redline", str(OLD), str(new), "-o", str(out)])
    t = time.process_time() - t0
    if rc != 0 or not out.exists():
        raise SystemExit(f"redline of {new.name} failed (exit {rc})")
    return t


def baseline(shape: str, n: int) -> float:
    from xml.sax.saxutils import escape

    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    t0 = time.process_time()
    st = getSampleStyleSheet()["Normal"]
    story = []
    for c in clauses(shape, n):
        story.append(Paragraph(escape(f"{c['number']} {c['heading']}"), st))
        story.append(Paragraph(escape(c["text"]), st))
    SimpleDocTemplate(io.BytesIO(), invariant=1).build(story)
    return time.process_time() - t0


def main() -> int:
    import argparse

    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=2)
    args = ap.parse_args()
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        redline(contract_file(folder, "fuzz", 30), folder / "warm.pdf")  # imports, fonts
        baseline("fuzz", 30)
        for shape in ("fuzz", "varied"):
            times: dict[int, tuple[float, float]] = {}
            for n in SIZES:
                path = contract_file(folder, shape, n)
                t = min(redline(path, folder / "out.pdf") for _ in range(args.runs))
                tb = min(baseline(shape, n) for _ in range(args.runs))
                times[n] = (t, tb)
                print(f"{shape:6} {n:>5,} clauses: redline {t:6.2f} s, baseline {tb:5.2f} s, "
                      f"ratio {t / tb:5.2f}x, {1000 * t / n:5.2f} ms a clause")
            (t1, b1), (t3, b3) = times[1_000], times[3_000]
            print(f"{shape:6} growth 1,000 -> 3,000 clauses: redline {t3 / t1:.2f}x, baseline {b3 / b1:.2f}x")
            lo, hi = times[SIZES[0]], times[SIZES[-1]]
            grows = (hi[0] / hi[1]) / (lo[0] / lo[1])
            shape_ok = grows <= GROWTH and (shape != "fuzz" or hi[0] <= FUZZ_SECONDS)
            print(f"{shape:6} ratio to the baseline at {SIZES[-1]:,} / at {SIZES[0]:,}: {grows:.2f} "
                  f"(at most {GROWTH})" + (f"; {hi[0]:.2f} s at {SIZES[-1]:,} (at most {FUZZ_SECONDS:.0f} s)"
                                           if shape == "fuzz" else "")
                  + (": PASS" if shape_ok else ": FAIL"))
            ok = ok and shape_ok
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
