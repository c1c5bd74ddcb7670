"""The load generator: client processes (spawned once, reused for every run), each with a fixed number of calls in
flight (closed loop: a call ends, the next starts) over grpc.aio channels, or for the REST scenarios over an
aiohttp session (HTTP/1.1 keep-alive connections, one per call in flight).

A run: every process prepares its requests and connects, then all start at the same monotonic instant,
warm up, and measure over a fixed window. A call counts when it completes inside the window; its latency
(ns) is kept. Every call has a deadline and every wait here is bounded.
"""
from __future__ import annotations

import array
import asyncio
import multiprocessing
import time
from dataclasses import dataclass, replace

from bench.calls import REST_OF, CallSpec, build, build_rest

CALL_TIMEOUT = 10.0  # seconds; a call slower than this is an error, not a sample
START_DELAY = 0.05  # seconds between "go" and the common start: every process has the order by then
CONNECT_TIMEOUT = 30.0


@dataclass(frozen=True)
class Job:
    target: str  # host:port of the gRPC server; for a REST scenario the HTTP endpoint's base URL
    spec: CallSpec
    in_flight: int  # in this process
    channels: int  # connections (the calls in flight are spread over them), so that `--workers` sees several
    warmup_s: float
    window_s: float


@dataclass
class Sample:
    """One process's share of one run."""
    latencies_ns: bytes  # array('q')
    ok: int
    errors: int
    first_error: str
    exhausted: bool  # ran out of unique requests before the window ended
    completed: int = 0  # every call that ended, in the warm-up and the window alike (for CPU per call)

    def latencies(self) -> array.array:
        values = array.array("q")
        values.frombytes(self.latencies_ns)
        return values


async def _run(job: Job, conn) -> Sample:
    if job.spec.scenario in REST_OF:
        return await _run_rest(job, conn)
    import grpc

    method_of, requests, metadata, unique = build(job.spec)
    # A local subchannel pool per channel: otherwise channels to one target share one connection.
    channels = [grpc.aio.insecure_channel(job.target, options=[("grpc.use_local_subchannel_pool", 1)])
                for _ in range(job.channels)]
    try:
        await asyncio.wait_for(asyncio.gather(*(c.channel_ready() for c in channels)), CONNECT_TIMEOUT)

        def sender(channel):
            method = method_of(channel)

            async def send(request) -> str | None:
                try:
                    await method(request, metadata=metadata, timeout=CALL_TIMEOUT)
                except grpc.aio.AioRpcError as error:
                    return f"{error.code().name}: {error.details()}"
                return None
            return send

        return await _closed_loop(job, conn, [sender(channels[i % len(channels)]) for i in range(job.in_flight)],
                                  requests, unique)
    finally:
        for channel in channels:
            await channel.close()


async def _run_rest(job: Job, conn) -> Sample:
    """A REST scenario: aiohttp, HTTP/1.1 with keep-alive, one connection per call in flight (HTTP/1.1 carries one
    call at a time on a connection); `job.target` is the HTTP endpoint's base URL. A call succeeds on a 200 whose
    JSON body parses (a client reads what it asked for, as the gRPC client deserializes its response)."""
    import json

    import aiohttp

    requests, headers, unique = build_rest(job.spec, job.target)
    connector = aiohttp.TCPConnector(limit=job.in_flight, limit_per_host=job.in_flight)
    timeout = aiohttp.ClientTimeout(total=CALL_TIMEOUT)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout, headers=headers) as session:

        async def send(request) -> str | None:
            try:
                async with session.request(request.method, request.url, data=request.body) as response:
                    body = await response.read()
                    if response.status != 200:
                        return f"HTTP {response.status}: {body[:300].decode(errors='replace')}"
                    json.loads(body)
            except (TimeoutError, aiohttp.ClientError, ValueError) as error:
                return f"{type(error).__name__}: {error}"
            return None

        # Open every connection before the start, as the gRPC channels are ready: one GetSpace of the scenario's
        # space per call in flight, all at once; any failure here (a token, a path) fails the run at once.
        probe = build_rest(replace(job.spec, scenario="get_space_rest"), job.target)[0][0]
        failures = [f for f in await asyncio.wait_for(asyncio.gather(*(send(probe) for _ in range(job.in_flight))),
                                                        CONNECT_TIMEOUT) if f]
        if failures:
            raise RuntimeError(f"REST warm-up call failed: {failures[0]}")
        return await _closed_loop(job, conn, [send] * job.in_flight, requests, unique)


async def _closed_loop(job: Job, conn, senders: list, requests: list, unique: bool) -> Sample:
    """Reports ready, waits for the common start, then runs one caller per sender (closed loop) through the
    warm-up and the window. A sender returns None on success, else the error's text."""
    conn.send("ready")
    start_at = conn.recv()  # a time.monotonic() instant, shared by all processes on this machine
    window_start = int((start_at + job.warmup_s) * 1e9)
    window_end = window_start + int(job.window_s * 1e9)
    latencies = array.array("q")
    counts = {"ok": 0, "errors": 0, "first_error": "", "next": 0, "exhausted": False, "completed": 0}

    async def caller(send) -> None:
        while True:
            n = counts["next"]
            counts["next"] = n + 1
            if unique and n >= len(requests):
                counts["exhausted"] = True
                return
            request = requests[n if unique else n % len(requests)]
            began = time.monotonic_ns()
            if began >= window_end:
                return
            failed = await send(request)
            ended = time.monotonic_ns()
            counts["completed"] += 1
            if window_start <= ended < window_end:
                if failed is None:
                    counts["ok"] += 1
                    latencies.append(ended - began)
                else:
                    counts["errors"] += 1
                    counts["first_error"] = counts["first_error"] or failed

    await asyncio.sleep(max(0.0, start_at - time.monotonic()))
    await asyncio.gather(*(caller(send) for send in senders))
    return Sample(latencies.tobytes(), counts["ok"], counts["errors"], counts["first_error"],
                  counts["exhausted"] and time.monotonic_ns() < window_end, counts["completed"])


def _client_main(conn) -> None:
    """A client process: runs jobs until told to stop (None)."""
    while (job := conn.recv()) is not None:
        try:
            conn.send(asyncio.run(_run(job, conn)))
        except Exception as error:  # reported to the orchestrator, which fails the run
            conn.send(f"{type(error).__name__}: {error}")


class ClientPool:
    """`size` client processes, started with `spawn` (no inherited gRPC state)."""

    def __init__(self, size: int):
        context = multiprocessing.get_context("spawn")
        self._conns, self._procs = [], []
        for _ in range(size):
            ours, theirs = context.Pipe()
            proc = context.Process(target=_client_main, args=(theirs,), daemon=True)
            proc.start()
            self._conns.append(ours)
            self._procs.append(proc)

    @property
    def size(self) -> int:
        return len(self._procs)

    def run(self, jobs: list[Job]) -> list[Sample]:
        """One run: jobs[i] goes to process i; returns their samples once all are in."""
        conns = self._conns[:len(jobs)]
        for conn, job in zip(conns, jobs):
            conn.send(job)
        for conn in conns:
            self._expect(conn, CONNECT_TIMEOUT + 30, "ready")
        start_at = time.monotonic() + START_DELAY
        for conn in conns:
            conn.send(start_at)
        bound = START_DELAY + jobs[0].warmup_s + jobs[0].window_s + CALL_TIMEOUT + 30
        return [self._expect(conn, bound, Sample) for conn in conns]

    @staticmethod
    def _expect(conn, timeout: float, kind):
        if not conn.poll(timeout):
            raise TimeoutError(f"a client process did not answer within {timeout:.0f}s")
        message = conn.recv()
        if isinstance(message, str) and message != kind:
            raise RuntimeError(f"client process failed: {message}")
        return message

    def close(self) -> None:
        for conn in self._conns:
            try:
                conn.send(None)
            except (BrokenPipeError, OSError):
                pass
        for proc in self._procs:
            proc.join(5)
            if proc.is_alive():
                proc.kill()
                proc.join(5)
