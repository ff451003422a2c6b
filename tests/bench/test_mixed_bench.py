"""bench/mixed.py runs end to end on a tiny load: practice games with bots and a workshop table, the
durable floor and a two-step ladder. Benchmarks are not tests: nothing here asserts a time, only that
the run plays real moves, loses or duplicates no update and prints the lines the issue asks for.
"""

from __future__ import annotations

import re
import subprocess
import sys

from tests.bench.test_deploy_and_bench_smoke import ROOT, _env


def test_mixed_bench_plays_real_moves_loses_nothing_and_prints_its_lines():
    run = subprocess.run(
        [sys.executable, "bench/mixed.py", "--games", "2", "--workshop-tables", "1", "--duration", "3", "--warm-up", "0.5",
         "--ladder", "1,2", "--step-seconds", "2"],
        cwd=ROOT, env=_env(), capture_output=True, text=True, timeout=240,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    out = run.stdout
    lines = out.strip().splitlines()
    assert re.fullmatch(r"mixed p99 ratio to durable floor: \d+\.\d\d", lines[-3]), lines[-3]
    assert re.fullmatch(r"practice games per process at p99 <= 100 ms: \d+", lines[-2]), lines[-2]
    assert lines[-1] == "lost or duplicated updates: 0"
    # More than chat: the trainees paced their games and worked their caucus or table.
    kinds = set(re.findall(r"^  (\w+) +p50", out, re.MULTILINE))
    assert {"team_chat", "advance"} <= kinds and len(kinds - {"team_chat", "advance", "refused"}) >= 1, kinds
    assert "durable floor" in out and "1 practice games" in out and "2 practice games" in out
    acked = re.search(r"updates: (\d+) acknowledged moves, 0 missing from the event log, 0 stored twice", out)
    assert acked and int(acked.group(1)) > 0, out[-2000:]
