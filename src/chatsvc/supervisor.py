"""`chatsvc serve --workers N`: the parent of N server processes that share one port and one database.

Each worker is a plain `chatsvc serve --workers 1` in a new interpreter (a subprocess; neither fork, which
would copy grpc's and the database pool's state into the child, nor multiprocessing, which would need the
settings pickled and its own start-up path): every worker starts exactly as a single server does, and its
output goes straight to ours. The kernel spreads connections over the workers' listening sockets
(SO_REUSEPORT on both gRPC and the media endpoint).

The parent migrates the schema and makes the signing key (and a --tls-self-signed certificate) once, so
workers starting together do not race; every worker runs the campaign scheduler, whose claims already keep
each campaign to one process.
"""
from __future__ import annotations

import asyncio
import ctypes
import logging
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass

from chatsvc.config import Settings
from chatsvc.http.server import http_address

log = logging.getLogger("chatsvc.supervisor")

POLL_SECONDS = 0.2
# A worker that dies sooner than this after starting failed to start; that many times in a row, we give up.
STABLE_SECONDS = 30.0
START_ATTEMPTS = 3
FIRST_BACKOFF_SECONDS = 0.5
MAX_BACKOFF_SECONDS = 10.0
# Beyond the workers' own drain (`--grace`): time for them to close the database and exit.
STOP_MARGIN_SECONDS = 5.0
_STOPPED_BY_US = (0, -signal.SIGTERM, -signal.SIGINT)  # a signal that came before its handler is a stop too


@dataclass
class _Worker:
    index: int
    proc: subprocess.Popen | None = None
    started: float = 0.0
    quick_deaths: int = 0  # in a row, each within STABLE_SECONDS of its start
    restart_at: float = 0.0


def supervise(settings: Settings, workers: int, serve_argv: list[str]) -> int:
    """Runs `workers` servers until SIGTERM or SIGINT; the exit status: 0 when all stopped cleanly."""
    try:
        held, listen, http_listen = _hold_ports(settings)
    except OSError as error:
        log.error("cannot listen on %s (or its media port): %s", settings.listen, error)
        return 1
    try:
        asyncio.run(_prepare(settings))
        # argparse keeps the last of a repeated flag, so these override whatever the caller said.
        command = [sys.executable, "-m", "chatsvc.cli", "serve", *serve_argv, "--workers", "1", "--no-migrate",
                   "--listen", listen, "--http-listen", http_listen]
        log.info("%d workers on %s (HTTP %s)", workers, listen, http_listen)
        return _run([_Worker(index) for index in range(1, workers + 1)], command, settings.grace_seconds)
    finally:
        for sock in held:
            sock.close()


def _run(pool: list[_Worker], command: list[str], grace: float) -> int:
    stop: list[int] = []
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda signum, _frame: stop.append(signum))
    gave_up = False
    while not stop and not gave_up:
        gave_up = not all(_tend(worker, command) for worker in pool)
        time.sleep(POLL_SECONDS)
    clean = _stop_all(pool, stop[0] if stop else signal.SIGTERM, grace + STOP_MARGIN_SECONDS)
    return 1 if gave_up or not clean else 0


async def _prepare(settings: Settings) -> None:
    from chatsvc.app import open_database, signing_key
    from chatsvc.tls import tls_for

    tls_for(settings)  # the local CA and server certificate (--tls-self-signed) made once, before the workers
    db = await open_database(settings)
    try:
        await signing_key(db, settings.signing_key)
    finally:
        await db.dispose()


def _hold_ports(settings: Settings) -> tuple[list[socket.socket], str, str]:
    """Binds (without listening) the gRPC and media ports with SO_REUSEPORT: a port taken by another program
    fails here, port 0 becomes one concrete port for every worker, and no one else takes it between restarts.
    Returns the sockets to keep open and the --listen and --http-listen values for the workers."""
    host, _, port = settings.listen.rpartition(":")
    grpc_socket = _bind(host.strip("[]"), int(port))
    held = [grpc_socket]
    listen = f"{host}:{grpc_socket.getsockname()[1]}"
    address = http_address(settings.http_listen, settings.listen)
    if address is None:
        return held, listen, "off"
    media_socket = _bind(*address)
    held.append(media_socket)
    media_host = f"[{address[0]}]" if ":" in address[0] else address[0]
    return held, listen, f"{media_host}:{media_socket.getsockname()[1]}"


def _bind(host: str, port: int) -> socket.socket:
    family, kind, proto, _, sockaddr = socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM,
                                                          flags=socket.AI_PASSIVE)[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind(sockaddr)
    except OSError:
        sock.close()
        raise
    return sock


def _tend(worker: _Worker, command: list[str]) -> bool:
    """Starts the worker when due, notices when it died; False when it keeps dying at start."""
    now = time.monotonic()
    if worker.proc is None:
        if now >= worker.restart_at:
            worker.proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, preexec_fn=_die_with_parent())
            worker.started = now
            log.info("worker %d started (pid %d)", worker.index, worker.proc.pid)
        return True
    code = worker.proc.poll()
    if code is None:
        return True
    ran = now - worker.started
    worker.quick_deaths = (worker.quick_deaths if ran < STABLE_SECONDS else 0) + 1
    if worker.quick_deaths >= START_ATTEMPTS:
        log.error("worker %d exited %s within %.0fs of starting, %d times in a row: giving up (see its output above)",
                  worker.index, code, STABLE_SECONDS, worker.quick_deaths)
        worker.proc = None
        return False
    delay = min(FIRST_BACKOFF_SECONDS * 2 ** (worker.quick_deaths - 1), MAX_BACKOFF_SECONDS)
    log.warning("worker %d (pid %d) exited %s after %.1fs; restarting it in %.1fs",
                worker.index, worker.proc.pid, code, ran, delay)
    worker.proc, worker.restart_at = None, now + delay
    return True


def _stop_all(pool: list[_Worker], signum: int, timeout: float) -> bool:
    """Passes the signal on, waits up to `timeout` for every worker, kills the late; True if all stopped cleanly."""
    running = [worker for worker in pool if worker.proc]
    log.info("stopping %d workers", len(running))
    for worker in running:
        if worker.proc.poll() is None:
            worker.proc.send_signal(signum)
    deadline = time.monotonic() + timeout
    clean = True
    for worker in running:
        try:
            code = worker.proc.wait(max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            log.error("worker %d (pid %d) still running after %.0fs; killing it", worker.index, worker.proc.pid,
                      timeout)
            worker.proc.kill()
            worker.proc.wait()
            clean = False
            continue
        if code not in _STOPPED_BY_US:
            log.error("worker %d (pid %d) exited %s while stopping", worker.index, worker.proc.pid, code)
            clean = False
    return clean


def _die_with_parent():
    """On Linux, a worker gets SIGTERM when the parent dies, even by SIGKILL, so none is left serving alone."""
    if not sys.platform.startswith("linux"):
        return None
    libc = ctypes.CDLL(None, use_errno=True)
    parent = os.getpid()

    def arrange() -> None:  # runs in the child between fork and exec; the parent is single-threaded here
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
        if os.getppid() != parent:  # the parent died before the line above
            os._exit(1)

    return arrange
