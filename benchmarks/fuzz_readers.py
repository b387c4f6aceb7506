"""Fuzzed readers: how many inputs each reader was given, and how many it failed on.

    python benchmarks/fuzz_readers.py [--cases 2000]

Runs ``tests/trust/test_fuzz_readers.py`` and ``tests/web/test_fuzz_uploads.py`` with
``RAPPORTEUR_FUZZ_CASES`` inputs per reader (the test suite runs 60) and prints, per reader, the
inputs hypothesis generated and ran, the failures, and the time. Deterministic (``derandomize``):
the same inputs every run.
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FILES = ["tests/trust/test_fuzz_readers.py", "tests/web/test_fuzz_uploads.py"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=2000)
    args = parser.parse_args()
    env = {**os.environ, "RAPPORTEUR_FUZZ_CASES": str(args.cases), "HF_HUB_OFFLINE": "1"}
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--hypothesis-show-statistics",
                           "-rA", *FILES], cwd=ROOT, env=env, capture_output=True, text=True)
    out = done.stdout
    print(f"{'reader (test)':<44} {'inputs run':>10} {'failing':>8} {'seconds':>8}")
    total = 0
    for block in re.split(r"\n(?=\S+::test_)", out):
        head = re.match(r"(\S+)::(test_\w+):", block)
        if not head:
            continue
        phases = re.findall(r"(\d+) passing, (\d+) failing, and (\d+) invalid", block)
        ran = sum(int(p) + int(f) for p, f, _ in phases)
        failing = sum(int(f) for _, f, _ in phases)
        seconds = sum(float(x) for x in re.findall(r"phase \(([\d.]+) seconds\)", block))
        total += ran
        print(f"{head.group(2):<44} {ran:>10} {failing:>8} {seconds:>8.1f}")
    summary = out.strip().splitlines()[-1] if out.strip() else done.stderr[-500:]
    print(f"\n{total} fuzzed inputs in all; pytest: {summary}")
    return done.returncode


if __name__ == "__main__":
    raise SystemExit(main())
