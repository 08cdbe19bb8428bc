"""Helpers shared by the benchmarks: run a job in a fresh process, time it, read its peak memory.

Each job runs in its own interpreter so that peak resident memory
(``VmHWM``, the high-water mark of its own address space) belongs to that job alone, and the baseline and gisapp jobs
alternate in one run, so machine noise hits both alike.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"

_RUNNER = """
import json, resource, sys, time
sys.path.insert(0, {root!r})

def _peak_mb():
    # VmHWM belongs to this program's own address space; ru_maxrss on Linux also remembers
    # the parent's resident size at fork, which a benchmark that generated data would inflate.
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

{setup}
start = time.perf_counter()
{job}
elapsed = time.perf_counter() - start
peak_mb = _peak_mb()
print("BENCH" + json.dumps({{"seconds": elapsed, "peak_mb": peak_mb, "extra": globals().get("extra", {{}})}}))
"""


def run_job(setup: str, job: str, timeout: float = 900) -> dict:
    """Run ``setup`` (untimed: imports) then ``job`` (timed) in a fresh interpreter."""
    code = _RUNNER.format(root=str(ROOT), setup=setup, job=job)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout, env=os.environ.copy())
    for line in proc.stdout.splitlines():
        if line.startswith("BENCH"):
            return json.loads(line[5:])
    raise RuntimeError(f"benchmark job failed:\n{proc.stderr[-3000:]}")


def best_of(runs: list[dict]) -> dict:
    """The fastest run (the least disturbed by noise), with the highest peak memory seen."""
    best = min(runs, key=lambda r: r["seconds"])
    return {**best, "peak_mb": max(r["peak_mb"] for r in runs)}


def save(name: str, payload: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    payload = {**payload, "python": sys.version.split()[0], "cpus": os.cpu_count(), "when": time.strftime("%Y-%m-%d %H:%M")}
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False), encoding="utf-8")
    return path
