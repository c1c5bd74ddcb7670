"""Figures from raw samples: one run's rps and latency percentiles, the median of runs, the ratio to the echo
baseline (and of a REST scenario to its gRPC twin), the targets of issue 7, the table on stdout and
results.json."""
from __future__ import annotations

import json
import statistics
from pathlib import Path

from bench.loadgen import Sample


def run_figures(samples: list[Sample], window_s: float) -> dict:
    """One run, every client process merged: calls per second, p50 and p99 (ms), counts."""
    latencies = sorted(value for sample in samples for value in sample.latencies())
    ok = sum(s.ok for s in samples)
    errors = sum(s.errors for s in samples)
    figures = {"rps": round(ok / window_s, 1), "p50_ms": _percentile_ms(latencies, 50),
               "p99_ms": _percentile_ms(latencies, 99), "calls": ok, "errors": errors}
    first_error = next((s.first_error for s in samples if s.first_error), "")
    if first_error:
        figures["first_error"] = first_error
    if any(s.exhausted for s in samples):
        figures["exhausted"] = True  # ran out of prepared unique requests: rps is understated
    return figures


def _percentile_ms(sorted_ns: list[int], percent: int) -> float | None:
    """Nearest-rank percentile."""
    if not sorted_ns:
        return None
    rank = max(1, -(-len(sorted_ns) * percent // 100))
    return round(sorted_ns[rank - 1] / 1e6, 3)


def median_of_runs(runs: list[dict]) -> dict:
    """rps, p50 and p99 each the median over the runs."""
    figures = {}
    for key in ("rps", "p50_ms", "p99_ms"):
        values = [run[key] for run in runs if run[key] is not None]
        figures[key] = round(statistics.median(values), 3) if values else None
    return figures


def with_ratios(results: list[dict], echo: list[dict]) -> None:
    """ratio_to_echo: the scenario's rps over the echo baseline's at the same number of calls in flight."""
    baseline = {row["in_flight"]: row["rps"] for row in echo}
    for row in results:
        base = baseline.get(row["in_flight"])
        row["ratio_to_echo"] = round(row["rps"] / base, 3) if base and row["rps"] is not None else None


def with_grpc_ratios(results: list[dict], rest_of: dict[str, str]) -> None:
    """ratio_to_grpc, on each REST row: its rps over that of the same call over gRPC (its twin scenario) on the
    same server (backend, workers) at the same calls in flight; p50_vs_grpc likewise for the median latency."""
    by_key = {(row["scenario"], row["backend"], row["workers"], row["in_flight"]): row for row in results}
    for row in results:
        if row["scenario"] not in rest_of:
            continue
        twin = by_key.get((rest_of[row["scenario"]], row["backend"], row["workers"], row["in_flight"]))
        row["grpc_scenario"] = rest_of[row["scenario"]]
        row["ratio_to_grpc"] = round(row["rps"] / twin["rps"], 3) if twin and twin["rps"] and row["rps"] else None
        row["p50_vs_grpc"] = (round(row["p50_ms"] / twin["p50_ms"], 3)
                              if twin and twin["p50_ms"] and row["p50_ms"] else None)


def targets(results: list[dict]) -> list[dict]:
    """Issue 7's targets (16 in flight, 1 worker) checked against this run's figures."""
    def find(scenario, backend, in_flight=16, workers=1):
        return next((r for r in results if (r["scenario"], r["backend"], r["in_flight"], r["workers"]) ==
                     (scenario, backend, in_flight, workers)), None)

    checks = []

    def check(name, value, limit, at_least):
        if value is not None:
            checks.append({"target": name, "value": value, "limit": limit,
                           "met": value >= limit if at_least else value <= limit})

    for backend, floor in (("sqlite", 0.40), ("postgres", 0.50)):
        if row := find("create_message", backend):
            check(f"CreateMessage {backend}: rps / echo rps", row["ratio_to_echo"], floor, True)
        if row := find("list_messages_1m", backend):
            check(f"ListMessages 1M {backend}: rps / echo rps", row["ratio_to_echo"], 0.20, True)
            small = find("list_messages_10k", backend)
            if small and small["p50_ms"] and row["p50_ms"]:
                check(f"ListMessages {backend}: p50 at 1M / p50 at 10k", round(row["p50_ms"] / small["p50_ms"], 3),
                      1.2, False)
    for row in results:
        if row["in_flight"] == 16 and row["workers"] == 1 and "ratio_to_grpc" not in row:  # issue 7: gRPC only
            check(f"{row['scenario']} {row['backend']}: p99 ms", row["p99_ms"], 50.0, False)
            check(f"{row['scenario']} {row['backend']}: server peak RSS MB", row["server_peak_rss_mb"], 120.0, False)
    return checks


def table(echo: list[dict], results: list[dict]) -> str:
    header = (f"{'scenario':<20} {'backend':<9} {'workers':>7} {'in_flight':>9} {'rps':>9} {'p50 ms':>8} "
              f"{'p99 ms':>8} {'vs echo':>8} {'vs gRPC':>8} {'peak MB':>8}")
    lines = [header, "-" * len(header)]
    for row in [*echo, *results]:
        ratio = "" if row.get("ratio_to_echo") is None else f"{row['ratio_to_echo']:.1%}"
        grpc_ratio = "" if row.get("ratio_to_grpc") is None else f"{row['ratio_to_grpc']:.1%}"
        rss = "" if row.get("server_peak_rss_mb") is None else f"{row['server_peak_rss_mb']:.0f}"
        flag = "  ERRORS" if any(run["errors"] for run in row["runs"]) else ""
        lines.append(f"{row['scenario']:<20} {row.get('backend', '-'):<9} {row.get('workers', 1):>7} "
                     f"{row['in_flight']:>9} {_num(row['rps'], 1):>9} {_num(row['p50_ms'], 2):>8} "
                     f"{_num(row['p99_ms'], 2):>8} {ratio:>8} {grpc_ratio:>8} {rss:>8}{flag}")
    return "\n".join(lines)


def targets_text(checks: list[dict]) -> str:
    return "\n".join(f"{'met ' if c['met'] else 'MISS'}  {c['target']}: {c['value']} (limit {c['limit']})"
                     for c in checks)


def _num(value, digits: int) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def write(path: Path, document: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(document, indent=2) + "\n")
    temporary.replace(path)
