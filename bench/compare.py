"""`python -m bench.compare`: two chatsvc configurations, A and B, measured in alternation on one backend, so that
a choice (an event loop, a log level, a gc setting) is judged by paired runs rather than by two bench runs
minutes apart on a machine whose load drifts.

Both servers run at once, each on its own copy of the seeded database; every round measures each scenario on A
and on B back to back (A first in odd rounds, B first in even ones), and the report gives per scenario the median
rps of each side and the median of the per-round ratios B / A, and the server's CPU time per call (all its
threads, user and system, over every call of the run, warm-up included): on a loaded machine rps follows the
share of the cores the server gets, CPU per call much less so.

    python -m bench.compare --b-env CHATSVC_EVENT_LOOP=asyncio --scenarios get_space,create_message
    python -m bench.compare --a-args="--log-level WARNING" --b-args="--log-level INFO" --backend postgres
"""
from __future__ import annotations

import argparse
import json
import os
import secrets
import shlex
import shutil
import statistics
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from bench import report
from bench.calls import CallSpec, reaction_slots
from bench.databases import SEED_CACHE, PostgresSeed, SqliteSeed
from bench.loadgen import ClientPool, Job
from bench.run import CHANNELS_PER_PROCESS, CLIENT_PROCESSES, MAX_RATE_PER_PROCESS, SCOPES, _space_of
from bench.seed import SeedSizes
from bench.servers import chatsvc_server

SCENARIOS = ("create_message", "list_messages_10k", "list_messages_1m", "get_space", "create_reaction")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench.compare", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite",
                        help="postgres: on CHATSVC_BENCH_DATABASE_URL's server")
    parser.add_argument("--scenarios", default="create_message,list_messages_1m,get_space,create_reaction",
                        help=f"comma-separated, from: {', '.join(SCENARIOS)} (default %(default)s)")
    for side in ("a", "b"):
        parser.add_argument(f"--{side}-env", action="append", default=[], metavar="NAME=VALUE",
                            help=f"environment of server {side.upper()} (repeat for more)")
        parser.add_argument(f"--{side}-args", default="", help=f"further `chatsvc serve` flags of server "
                                                                f"{side.upper()}, as one string")
    parser.add_argument("--in-flight", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=6, help="runs per side and scenario (default %(default)s)")
    parser.add_argument("--warmup", type=float, default=0.4)
    parser.add_argument("--window", type=float, default=1.5)
    parser.add_argument("--sizes", default="10000,1000000,5000")
    parser.add_argument("--server-log-level", default="WARNING")
    parser.add_argument("--output", type=Path, help="write the figures as JSON here too")
    return parser


def main(argv: list[str] | None = None) -> int:
    options = _parser().parse_args(argv)
    scenarios = [s for s in options.scenarios.split(",") if s]
    if unknown := set(scenarios) - set(SCENARIOS):
        raise SystemExit(f"unknown scenarios: {', '.join(sorted(unknown))}")
    sides = {side: (dict(item.split("=", 1) for item in getattr(options, f"{side}_env")),
                    tuple(shlex.split(getattr(options, f"{side}_args")))) for side in ("a", "b")}
    sizes = SeedSizes(*(int(n) for n in options.sizes.split(",")))
    workdir = Path(tempfile.mkdtemp(prefix="chatsvc-compare-"))
    if options.backend == "sqlite":
        source = SqliteSeed(workdir, sizes, cache=SEED_CACHE)
    else:
        url = os.environ.get("CHATSVC_BENCH_DATABASE_URL")
        if not url:
            raise SystemExit("CHATSVC_BENCH_DATABASE_URL is not set")
        source = PostgresSeed(url, sizes)
    pool = ClientPool(CLIENT_PROCESSES)
    servers = {}
    started = time.monotonic()
    try:
        seeded = source.prepare()
        key = secrets.token_hex(32)
        from chatsvc.auth.tokens import TokenService

        token = TokenService(key.encode()).mint(user=seeded.caller, scopes=SCOPES, ttl=24 * 3600)
        for side, (env, args) in sides.items():
            servers[side] = chatsvc_server(source.copy(side, keep_others=True), key, 1, workdir,
                                           options.server_log_level, extra_args=args, extra_env=env)
        processes = min(CLIENT_PROCESSES, options.in_flight)
        capacity = int(MAX_RATE_PER_PROCESS * (options.warmup + options.window)) + 1
        reactions = reaction_slots(len(seeded.reactable_ids)) // (options.rounds * processes)
        figures = {scenario: {"a": [], "b": []} for scenario in scenarios}
        for scenario in scenarios:
            spec = CallSpec(scenario, token=token, space=_space_of(scenario, seeded),
                            reactable_ids=tuple(seeded.reactable_ids))
            size = min(capacity, reactions) if scenario == "create_reaction" else capacity
            for round_ in range(options.rounds):
                for side in ("a", "b") if round_ % 2 == 0 else ("b", "a"):
                    first = len(figures[scenario][side]) * processes * size  # each side's own database
                    jobs = [Job(servers[side].target, replace(spec, first=first + i * size, capacity=size),
                                options.in_flight // processes,
                                min(CHANNELS_PER_PROCESS, options.in_flight // processes),
                                options.warmup, options.window) for i in range(processes)]
                    before = _cpu_seconds(servers[side].proc.pid)
                    samples = pool.run(jobs)
                    cpu = _cpu_seconds(servers[side].proc.pid) - before
                    figures[scenario][side].append(report.run_figures(samples, options.window))
                    completed = sum(sample.completed for sample in samples)
                    figures[scenario][side][-1]["cpu_us_per_call"] = (round(cpu / completed * 1e6, 1)
                                                                      if completed else None)
            print(_line(scenario, figures[scenario]), flush=True)
        rss = {side: server.peak_rss_mb()[0] for side, server in servers.items()}
    finally:
        for server in servers.values():
            server.stop()
        pool.close()
        source.close()
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"A: {_describe(sides['a'])}\nB: {_describe(sides['b'])}\npeak RSS MB: A {rss['a']}, B {rss['b']}; "
          f"{options.rounds} rounds, {options.in_flight} in flight, {options.backend}; "
          f"{time.monotonic() - started:.0f} s")
    if options.output:
        options.output.write_text(json.dumps({"a": _describe(sides["a"]), "b": _describe(sides["b"]),
                                              "backend": options.backend, "rounds": options.rounds,
                                              "in_flight": options.in_flight, "peak_rss_mb": rss,
                                              "figures": figures}, indent=2) + "\n")
    return 0


def _line(scenario: str, runs: dict) -> str:
    """Median rps, p50 and p99 of each side, and the median of the paired rps ratios B / A."""
    def median(side, key):
        values = [run[key] for run in runs[side] if run[key] is not None]
        return statistics.median(values) if values else float("nan")

    def paired(key):
        ratios = [b[key] / a[key] for a, b in zip(runs["a"], runs["b"]) if a[key] and b[key]]
        if not ratios:
            return "-"
        return f"{statistics.median(ratios):.3f} ({min(ratios):.2f}-{max(ratios):.2f})"

    errors = sum(run["errors"] for side in runs.values() for run in side)
    sides = " | ".join(f"{side.upper()} {median(side, 'rps'):6.0f} rps p50 {median(side, 'p50_ms'):5.1f} p99 "
                       f"{median(side, 'p99_ms'):6.1f} cpu/call {median(side, 'cpu_us_per_call'):6.0f} us"
                       for side in ("a", "b"))
    return (f"{scenario:<17} {sides} | B/A rps {paired('rps')} cpu/call {paired('cpu_us_per_call')}"
            f"{'  ERRORS ' + str(errors) if errors else ''}")


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of the process, all its threads (/proc/<pid>/stat fields 14 and 15)."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _describe(side: tuple[dict, tuple]) -> str:
    env, args = side
    return " ".join([*(f"{k}={v}" for k, v in env.items()), *args]) or "(defaults)"


if __name__ == "__main__":
    raise SystemExit(main())
