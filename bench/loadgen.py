"""The load generator: client processes (spawned once, reused for every run), each a grpc.aio channel with a
fixed number of calls in flight (closed loop: a call ends, the next starts).

A run: every process prepares its requests and connects, then all start at the same monotonic instant,
warm up, and measure over a fixed window. A call counts when it completes inside the window; its latency
(ns) is kept. Every call has a deadline and every wait here is bounded.
"""
from __future__ import annotations

import array
import asyncio
import multiprocessing
import time
from dataclasses import dataclass

from bench.calls import CallSpec, build

CALL_TIMEOUT = 10.0  # seconds; a call slower than this is an error, not a sample
START_DELAY = 0.05  # seconds between "go" and the common start: every process has the order by then
CONNECT_TIMEOUT = 30.0


@dataclass(frozen=True)
class Job:
    target: str
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

    def latencies(self) -> array.array:
        values = array.array("q")
        values.frombytes(self.latencies_ns)
        return values


async def _run(job: Job, conn) -> Sample:
    import grpc

    method_of, requests, metadata, unique = build(job.spec)
    # A local subchannel pool per channel: otherwise channels to one target share one connection.
    channels = [grpc.aio.insecure_channel(job.target, options=[("grpc.use_local_subchannel_pool", 1)])
                for _ in range(job.channels)]
    try:
        await asyncio.wait_for(asyncio.gather(*(c.channel_ready() for c in channels)), CONNECT_TIMEOUT)
        conn.send("ready")
        start_at = conn.recv()  # a time.monotonic() instant, shared by all processes on this machine
        window_start = int((start_at + job.warmup_s) * 1e9)
        window_end = window_start + int(job.window_s * 1e9)
        latencies = array.array("q")
        counts = {"ok": 0, "errors": 0, "first_error": "", "next": 0, "exhausted": False}

        async def caller(method) -> None:
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
                try:
                    await method(request, metadata=metadata, timeout=CALL_TIMEOUT)
                    failed = None
                except grpc.aio.AioRpcError as error:
                    failed = f"{error.code().name}: {error.details()}"
                ended = time.monotonic_ns()
                if window_start <= ended < window_end:
                    if failed is None:
                        counts["ok"] += 1
                        latencies.append(ended - began)
                    else:
                        counts["errors"] += 1
                        counts["first_error"] = counts["first_error"] or failed

        await asyncio.sleep(max(0.0, start_at - time.monotonic()))
        await asyncio.gather(*(caller(method_of(channels[i % len(channels)])) for i in range(job.in_flight)))
        return Sample(latencies.tobytes(), counts["ok"], counts["errors"], counts["first_error"],
                      counts["exhausted"] and time.monotonic_ns() < window_end)
    finally:
        for channel in channels:
            await channel.close()


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
