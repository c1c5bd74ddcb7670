"""`python -m bench` (and `make bench`): on each backend the echo baseline, then every chatsvc scenario on each
worker count, each at 1 and 16 calls in flight, each run several times (the median is reported); a table on
stdout and bench/results.json. The REST scenarios (`*_rest`) make a gRPC scenario's call over HTTP/JSON and are
reported against it too; asking for one measures its gRPC twin as well. On each backend the ceiling (the SQL of
CreateMessage and of a ListMessages page in a bare handler, bench/ceiling_server.py) is measured for the chatsvc
scenarios that have one, and they are reported against it.

    python -m bench          # everything; PostgreSQL too when CHATSVC_BENCH_DATABASE_URL is set
    python -m bench --quick --scenarios create_message --workers 1
"""
from __future__ import annotations

import argparse
import os
import platform
import secrets
import shutil
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from bench import report
from bench.calls import CEILING_OF, REST_OF, CallSpec, reaction_slots
from bench.databases import SEED_CACHE, PostgresSeed, SqliteSeed
from bench.loadgen import ClientPool, Job
from bench.seed import Seeded, SeedSizes
from bench.servers import ceiling_server, chatsvc_server, echo_server, workers_supported

SCENARIOS = ("create_message", "create_message_rest", "list_messages_10k", "list_messages_1m", "get_space",
             "get_space_rest", "create_reaction")
CLIENT_PROCESSES = 2
CHANNELS_PER_PROCESS = 4  # connections, so that `--workers N` gets its share of them from the kernel
MAX_RATE_PER_PROCESS = 8_000  # calls/s one client process cannot exceed here: sizes the unique requests
RESULTS = Path(__file__).resolve().parent / "results.json"
SCOPES = ["chat.spaces", "chat.messages"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scenarios", default=",".join(SCENARIOS), help="comma-separated, from: %(default)s")
    parser.add_argument("--backends", default="sqlite,postgres",
                        help="postgres runs only when CHATSVC_BENCH_DATABASE_URL is set (default %(default)s)")
    parser.add_argument("--workers", default="1,2", help="`chatsvc serve --workers` values (default %(default)s)")
    parser.add_argument("--in-flight", default="1,16", help="calls in flight (default %(default)s)")
    parser.add_argument("--runs", type=int, default=3, help="runs per scenario; the median is reported")
    parser.add_argument("--warmup", type=float, default=0.4, help="seconds of warm-up before each window")
    parser.add_argument("--window", type=float, default=1.5, help="seconds measured per run")
    parser.add_argument("--quick", action="store_true", help="1 run, 0.3 s warm-up, 1 s window")
    parser.add_argument("--sizes", default="10000,1000000,5000",
                        help="messages in the small and large listed spaces and reactable messages")
    parser.add_argument("--no-ceiling", action="store_true",
                        help="skip the ceiling scenarios (bench/ceiling_server.py) measured beside create_message and "
                             "list_messages_*")
    parser.add_argument("--server-log-level", default="WARNING",
                        help="chatsvc serve --log-level (INFO adds a log line per call; default %(default)s)")
    parser.add_argument("--no-seed-cache", action="store_true",
                        help="seed SQLite afresh in a temporary directory; neither use nor replace the cached seed")
    parser.add_argument("--output", type=Path, default=RESULTS)
    return parser


def main(argv: list[str] | None = None) -> int:
    options = _parser().parse_args(argv)
    if options.quick:
        options.runs, options.warmup, options.window = 1, 0.3, 1.0
    started = time.monotonic()
    scenarios = [s for s in options.scenarios.split(",") if s]
    unknown = set(scenarios) - set(SCENARIOS)
    if unknown:
        raise SystemExit(f"unknown scenarios: {', '.join(sorted(unknown))}")
    notes: list[str] = []
    scenarios = _with_grpc_twins(scenarios, notes)
    ceilings = [] if options.no_ceiling else [c for c, bounded in CEILING_OF.items() if bounded in scenarios]
    in_flight = [int(n) for n in options.in_flight.split(",")]
    workers = [int(n) for n in options.workers.split(",")]
    small, large, reactable = (int(n) for n in options.sizes.split(","))
    sizes = SeedSizes(small, large, reactable)
    if any(n > 1 for n in workers) and not workers_supported():
        notes.append("`chatsvc serve --workers` is not available in this build: only 1 worker was measured")
        workers = [n for n in workers if n == 1]
    backends = [b for b in options.backends.split(",") if b]
    pg_url = os.environ.get("CHATSVC_BENCH_DATABASE_URL")
    if "postgres" in backends and not pg_url:
        notes.append("PostgreSQL not measured: CHATSVC_BENCH_DATABASE_URL is not set")
        backends.remove("postgres")

    workdir = Path(tempfile.mkdtemp(prefix="chatsvc-bench-"))
    pool = ClientPool(CLIENT_PROCESSES)
    bench = _Bench(pool, options, workdir)
    document = {"machine": _machine(), "settings": _settings(options, sizes, in_flight), "notes": notes}
    try:
        _progress(f"{options.runs} runs x {options.warmup}+{options.window} s per point")
        echo = [] if backends else bench.echo(in_flight)
        results, ceiling, seeds = [], [], {}
        for backend in backends:
            if backend == "sqlite":
                source = SqliteSeed(workdir, sizes, cache=None if options.no_seed_cache else SEED_CACHE)
            else:
                source = PostgresSeed(pg_url, sizes)
            try:
                began = time.monotonic()
                seeded = source.prepare()
                seeds[backend] = {"cached": source.cached, "seconds": round(time.monotonic() - began, 1)}
                if backend == "postgres":
                    document["machine"]["postgresql"] = source.server_version()
                how = "from the cache" if source.cached else "made"
                _progress(f"{backend}: seeded database {how} in {seeds[backend]['seconds']} s")
                # Echo just before this backend's servers: the machine's load drifts over minutes (seeding
                # PostgreSQL alone takes a few), and each ratio should compare figures measured close together.
                _progress(f"{backend}: echo baseline")
                echo += [{**row, "backend": backend} for row in bench.echo(in_flight)]
                if ceilings:
                    ceiling += bench.ceiling(backend, source.copy("ceiling"), seeded, ceilings, in_flight)
                for count in workers:
                    url = source.copy(f"w{count}")
                    results += bench.chatsvc(backend, url, seeded, count, scenarios, in_flight)
            finally:
                source.close()
        report.with_ratios(ceiling, echo)
        report.with_ratios(results, echo)
        report.with_grpc_ratios(results, REST_OF)
        report.with_ceiling_ratios(results, ceiling, CEILING_OF)
        document.update(echo=echo, ceiling=ceiling, results=results, seeds=seeds, targets=report.targets(results))
    finally:
        pool.close()
        shutil.rmtree(workdir, ignore_errors=True)
    document["wall_seconds"] = round(time.monotonic() - started, 1)
    report.write(options.output, document)
    print()
    print(report.table(document["echo"], document["ceiling"], document["results"]))
    print()
    print(report.targets_text(document["targets"]))
    for note in notes:
        print(f"note: {note}")
    print(f"\n{options.output} written; {document['wall_seconds']} s in all")
    return 0


class _Bench:
    def __init__(self, pool: ClientPool, options, workdir: Path):
        self._pool = pool
        self._options = options
        self._workdir = workdir
        self._next_request = 0  # unique requests: the first number of the next slice handed out

    def echo(self, in_flight: list[int]) -> list[dict]:
        server = echo_server(self._workdir)
        try:
            return [{"scenario": "echo", "in_flight": n, **self._point(server.target, CallSpec("echo"), n)}
                    for n in in_flight]
        finally:
            server.stop()

    def ceiling(self, backend: str, url: str, seeded: Seeded, scenarios: list[str], in_flight: list[int]) -> list[dict]:
        """The ceiling scenarios against one bare server (one process) on a copy of the seeded database."""
        rows = []
        server = ceiling_server(url, seeded.caller, self._workdir)
        try:
            for scenario in scenarios:
                spec = CallSpec(scenario, space=_space_of(CEILING_OF[scenario], seeded))
                self._next_request = 0
                for n in in_flight:
                    _progress(f"{backend} ceiling {scenario} {n} in flight")
                    rows.append({"scenario": scenario, "backend": backend, "workers": 1, "in_flight": n,
                                 **self._point(server.target, spec, n)})
                total, _ = server.peak_rss_mb()
                for row in rows[-len(in_flight):]:
                    row["server_peak_rss_mb"] = total
        finally:
            server.stop()
        return rows

    def chatsvc(self, backend: str, url: str, seeded: Seeded, workers: int, scenarios: list[str],
                in_flight: list[int]) -> list[dict]:
        """Every scenario against one server on one database copy. The server's peak memory is read after each
        scenario: VmHWM is the peak since the server started, so each figure covers the scenarios before it."""
        from chatsvc.auth.tokens import TokenService

        key = secrets.token_hex(32)
        token = TokenService(key.encode()).mint(user=seeded.caller, scopes=SCOPES, ttl=24 * 3600)
        rows = []
        rest = any(scenario in REST_OF for scenario in scenarios)  # the HTTP endpoint is on only for REST
        server = chatsvc_server(url, key, workers, self._workdir, self._options.server_log_level, http=rest)
        try:
            for scenario in scenarios:
                spec = CallSpec(scenario, token=token, space=_space_of(REST_OF.get(scenario, scenario), seeded),
                                reactable_ids=tuple(seeded.reactable_ids))
                self._next_request = 0  # each scenario numbers its requests from 0 (on a fresh database copy)
                process_runs = self._options.runs * sum(min(CLIENT_PROCESSES, n) for n in in_flight)
                self._max_capacity = reaction_slots(len(seeded.reactable_ids)) // process_runs
                for n in in_flight:
                    _progress(f"{backend} {workers}w {scenario} {n} in flight")
                    target = server.http_url if scenario in REST_OF else server.target
                    rows.append({"scenario": scenario, "backend": backend, "workers": workers, "in_flight": n,
                                 **self._point(target, spec, n)})
                total, per_process = server.peak_rss_mb()
                for row in rows[-len(in_flight):]:
                    row["server_peak_rss_mb"] = total
                    row["server_processes_peak_rss_mb"] = per_process
                    if workers > 1:
                        row["supervisor_peak_rss_mb"] = server.supervisor_rss_mb()
        finally:
            server.stop()
        return rows

    def _point(self, target: str, spec: CallSpec, in_flight: int) -> dict:
        """`runs` runs at `in_flight` calls in flight; the median figures and every run's."""
        options = self._options
        processes = min(CLIENT_PROCESSES, in_flight)
        if in_flight % processes:
            raise SystemExit(f"--in-flight {in_flight} does not split over {processes} client processes")
        per_process = in_flight // processes
        capacity = int(MAX_RATE_PER_PROCESS * (options.warmup + options.window)) + 1
        if spec.scenario == "create_reaction":  # every call needs a fresh (message, emoji) pair
            capacity = min(capacity, self._max_capacity)
        runs = []
        for _ in range(options.runs):
            jobs = []
            for _ in range(processes):
                jobs.append(Job(target, replace(spec, first=self._next_request, capacity=capacity), per_process,
                                min(CHANNELS_PER_PROCESS, per_process), options.warmup, options.window))
                self._next_request += capacity
            runs.append(report.run_figures(self._pool.run(jobs), options.window))
        return {**report.median_of_runs(runs), "runs": runs}


def _space_of(scenario: str, seeded: Seeded) -> str:
    """The seeded space a (gRPC) chatsvc scenario addresses."""
    return {"create_message": seeded.writes_space, "list_messages_10k": seeded.small_space,
            "list_messages_1m": seeded.large_space, "get_space": seeded.small_space,
            "create_reaction": seeded.reactions_space}[scenario]


_STARTED = time.monotonic()


def _progress(text: str) -> None:
    print(f"[{time.monotonic() - _STARTED:6.1f} s] {text}", flush=True)


def _with_grpc_twins(scenarios: list[str], notes: list[str]) -> list[str]:
    """`scenarios` with the gRPC twin of each REST scenario measured just before it, unless asked for already."""
    out = []
    for scenario in scenarios:
        twin = REST_OF.get(scenario)
        if twin and twin not in scenarios and twin not in out:
            out.append(twin)
            notes.append(f"{twin} measured as well: {scenario} is reported against it")
        if scenario not in out:
            out.append(scenario)
    return out


def _machine() -> dict:
    import sqlite3

    import aiohttp
    import grpc
    import sqlalchemy

    return {"cpu_count": os.cpu_count(), "python": sys.version.split()[0], "grpc": grpc.__version__,
            "aiohttp": aiohttp.__version__, "sqlalchemy": sqlalchemy.__version__, "sqlite": sqlite3.sqlite_version,
            "platform": platform.platform()}


def _settings(options, sizes: SeedSizes, in_flight: list[int]) -> dict:
    return {"runs": options.runs, "warmup_s": options.warmup, "window_s": options.window, "in_flight": in_flight,
            "client_processes": CLIENT_PROCESSES, "channels_per_process": CHANNELS_PER_PROCESS,
            "rest_connections": "one HTTP/1.1 keep-alive connection per call in flight",
            "server_log_level": options.server_log_level, "ceiling": not options.no_ceiling,
            "seed": {"small": sizes.small, "large": sizes.large, "reactable": sizes.reactable}}
