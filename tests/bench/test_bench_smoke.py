"""The benchmark harness end to end in a tiny mode (small seed, short window): results.json gets every figure, for
gRPC scenarios and REST ones (each with its gRPC twin measured alongside). Speed is not asserted here; `make bench`
measures it."""
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
               "--scenarios", "list_messages_1m,create_reaction,get_space_rest,create_message_rest", "--runs", "1",
               "--warmup", "0.1", "--window", "0.3",
               "--sizes", "20,150,20", "--no-seed-cache", "--output", str(output)]
    proc = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr

    results = json.loads(output.read_text())
    assert {"cpu_count", "python", "grpc"} <= results["machine"].keys()
    assert [(row["scenario"], row["in_flight"]) for row in results["echo"]] == [("echo", 1), ("echo", 16)]
    rows = results["results"]
    # Each REST scenario's gRPC twin is measured just before it, on the same server.
    order = ["list_messages_1m", "create_reaction", "get_space", "get_space_rest", "create_message",
             "create_message_rest"]
    assert [(row["scenario"], row["backend"], row["workers"], row["in_flight"]) for row in rows] == [
        (scenario, backend, 1, n) for scenario in order for n in (1, 16)]
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
        if row["scenario"].endswith("_rest"):
            twin = next(r for r in rows if (r["scenario"], r["in_flight"]) == (row["grpc_scenario"], row["in_flight"]))
            assert row["grpc_scenario"] == row["scenario"].removesuffix("_rest")
            assert row["ratio_to_grpc"] == round(row["rps"] / twin["rps"], 3) and row["p50_vs_grpc"] > 0
        else:
            assert "ratio_to_grpc" not in row
    checked = " ".join(check["target"] for check in results["targets"])
    assert f"ListMessages 1M {backend}" in checked and f"create_reaction {backend}: p99" in checked
    assert "_rest" not in checked  # issue 7's targets are the gRPC API's
    assert "get_space_rest" in proc.stdout and "vs gRPC" in proc.stdout
    assert "table" not in results and "scenario" in proc.stdout  # the table went to stdout
