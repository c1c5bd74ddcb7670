"""Figures from raw samples: one run's rps and latency percentiles, the median of runs, the ratio to the echo
baseline (and of a REST scenario to its gRPC twin, of a chatsvc scenario to its ceiling), the targets of issues 7
and 19, the table on stdout and results.json."""
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
    """ratio_to_echo: the scenario's rps over the echo baseline's at the same number of calls in flight, measured
    just before the scenario's backend (echo rows without a backend serve every backend)."""
    baseline = {(row.get("backend"), row["in_flight"]): row["rps"] for row in echo}
    for row in results:
        base = baseline.get((row["backend"], row["in_flight"]), baseline.get((None, row["in_flight"])))
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


def with_ceiling_ratios(results: list[dict], ceiling: list[dict], ceiling_of: dict[str, str]) -> None:
    """ratio_to_ceiling, on each chatsvc row that has a ceiling scenario: its rps over the ceiling's on the same
    backend at the same calls in flight (the ceiling runs as one process, whatever the row's worker count)."""
    bounds = {(ceiling_of[row["scenario"]], row["backend"], row["in_flight"]): row for row in ceiling}
    for row in results:
        bound = bounds.get((row["scenario"], row["backend"], row["in_flight"]))
        if bound is not None:
            row["ceiling_scenario"] = bound["scenario"]
            row["ratio_to_ceiling"] = round(row["rps"] / bound["rps"], 3) if bound["rps"] and row["rps"] else None


# Issue 19's floors for rps / echo rps at 16 in flight, 1 worker: (SQLite, PostgreSQL).
RATIO_TARGETS = {"create_message": ("CreateMessage", 0.40, 0.25), "list_messages_1m": ("ListMessages 1M", 0.20, 0.15),
                 "get_space": ("GetSpace", 0.50, 0.35), "create_reaction": ("CreateReaction", 0.35, 0.20)}


def targets(results: list[dict]) -> list[dict]:
    """Issue 19's targets (16 in flight, 1 worker: rps / echo rps per scenario and backend, p99 <= 50 ms, peak RSS <=
    120 MB) and issue 7's (ListMessages' p50 does not grow with the space) checked against this run's figures."""
    def find(scenario, backend, in_flight=16, workers=1):
        return next((r for r in results if (r["scenario"], r["backend"], r["in_flight"], r["workers"]) ==
                     (scenario, backend, in_flight, workers)), None)

    checks = []

    def check(name, value, limit, at_least):
        if value is not None:
            checks.append({"target": name, "value": value, "limit": limit,
                           "met": value >= limit if at_least else value <= limit})

    for backend, column in (("sqlite", 1), ("postgres", 2)):
        for scenario, floors in RATIO_TARGETS.items():
            if row := find(scenario, backend):
                check(f"{floors[0]} {backend}: rps / echo rps", row["ratio_to_echo"], floors[column], True)
        if row := find("list_messages_1m", backend):
            small = find("list_messages_10k", backend)
            if small and small["p50_ms"] and row["p50_ms"]:
                check(f"ListMessages {backend}: p50 at 1M / p50 at 10k", round(row["p50_ms"] / small["p50_ms"], 3),
                      1.2, False)
    for row in results:
        if row["in_flight"] == 16 and row["workers"] == 1 and "ratio_to_grpc" not in row:  # the gRPC API's
            check(f"{row['scenario']} {row['backend']}: p99 ms", row["p99_ms"], 50.0, False)
            check(f"{row['scenario']} {row['backend']}: server peak RSS MB", row["server_peak_rss_mb"], 120.0, False)
    return checks


def table(echo: list[dict], ceiling: list[dict], results: list[dict]) -> str:
    """Per backend its echo, ceiling and chatsvc rows (an echo without a backend first)."""
    header = (f"{'scenario':<26} {'backend':<9} {'workers':>7} {'in_flight':>9} {'rps':>9} {'p50 ms':>8} "
              f"{'p99 ms':>8} {'vs echo':>8} {'vs ceil':>8} {'vs gRPC':>8} {'peak MB':>8}")
    lines = [header, "-" * len(header)]
    backends = list(dict.fromkeys(row["backend"] for row in [*echo, *ceiling, *results] if row.get("backend")))
    ordered = [*(row for row in echo if not row.get("backend")),
               *(row for backend in backends for row in [*echo, *ceiling, *results] if row.get("backend") == backend)]
    for row in ordered:
        ratios = [_ratio(row.get(key)) for key in ("ratio_to_echo", "ratio_to_ceiling", "ratio_to_grpc")]
        rss = "" if row.get("server_peak_rss_mb") is None else f"{row['server_peak_rss_mb']:.0f}"
        flag = "  ERRORS" if any(run["errors"] for run in row["runs"]) else ""
        lines.append(f"{row['scenario']:<26} {row.get('backend', '-'):<9} {row.get('workers', 1):>7} "
                     f"{row['in_flight']:>9} {_num(row['rps'], 1):>9} {_num(row['p50_ms'], 2):>8} "
                     f"{_num(row['p99_ms'], 2):>8} {ratios[0]:>8} {ratios[1]:>8} {ratios[2]:>8} {rss:>8}{flag}")
    return "\n".join(lines)


def _ratio(value) -> str:
    return "" if value is None else f"{value:.1%}"


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
