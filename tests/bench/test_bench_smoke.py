"""The benchmark harness end to end in a tiny mode (small seed, short window): results.json gets every figure.
Speed is not asserted here; `make bench` measures it."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import PG_URL

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCENARIO_FIELDS = {"scenario", "backend", "workers", "in_flight", "rps", "p50_ms", "p99_ms", "ratio_to_echo",
                   "server_peak_rss_mb", "runs"}
RUN_FIELDS = {"rps", "p50_ms", "p99_ms", "calls", "errors"}


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.skipif(
    not PG_URL, reason="CHATSVC_TEST_DATABASE_URL is not set"))])
def test_a_tiny_benchmark_writes_every_figure(backend, tmp_path):
    output = tmp_path / "results.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHATSVC_")}
    if backend == "postgres":
        env["CHATSVC_BENCH_DATABASE_URL"] = PG_URL
    command = [sys.executable, "-m", "bench", "--backends", backend, "--workers", "1", "--in-flight", "1,16",
               "--scenarios", "list_messages_1m,create_reaction", "--runs", "1", "--warmup", "0.1", "--window", "0.3",
               "--sizes", "20,150,20", "--no-seed-cache", "--output", str(output)]
    proc = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr

    results = json.loads(output.read_text())
    assert {"cpu_count", "python", "grpc"} <= results["machine"].keys()
    assert [(row["scenario"], row["in_flight"]) for row in results["echo"]] == [("echo", 1), ("echo", 16)]
    rows = results["results"]
    assert [(row["scenario"], row["backend"], row["workers"], row["in_flight"]) for row in rows] == [
        ("list_messages_1m", backend, 1, 1), ("list_messages_1m", backend, 1, 16),
        ("create_reaction", backend, 1, 1), ("create_reaction", backend, 1, 16)]
    for row in [*results["echo"], *rows]:
        assert len(row["runs"]) == 1
        for run in row["runs"]:
            assert RUN_FIELDS <= run.keys()
            # Every call succeeded: the seeded data is valid for the API and reactions found fresh pairs.
            assert run["errors"] == 0 and run["calls"] > 0, run
    for row in rows:
        assert SCENARIO_FIELDS <= row.keys()
        assert row["rps"] > 0 and row["p50_ms"] > 0 and row["p99_ms"] >= row["p50_ms"]
        assert row["ratio_to_echo"] > 0 and row["server_peak_rss_mb"] > 0
    checked = " ".join(check["target"] for check in results["targets"])
    assert f"ListMessages 1M {backend}" in checked and f"create_reaction {backend}: p99" in checked
    assert "table" not in results and "scenario" in proc.stdout  # the table went to stdout
