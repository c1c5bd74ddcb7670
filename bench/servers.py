"""The servers under test as child processes: the bare echo server and `chatsvc serve`, started, awaited until
they answer, measured (peak resident memory) and stopped. Every wait is bounded."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

REPO = Path(__file__).resolve().parents[1]
STARTUP_SECONDS = 60.0
STOP_SECONDS = 15.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ServerProcess:
    """A child process serving on 127.0.0.1:<port>; output goes to `log_path` (a full pipe cannot block it)."""

    def __init__(self, command: list[str], port: int, log_path: Path, env: dict[str, str] | None = None,
                 workers: int = 1):
        self.port = port
        self.target = f"127.0.0.1:{port}"
        self.http_url: str | None = None  # the HTTP endpoint (REST), when it is on
        self.workers = workers
        self.log_path = log_path
        self._log = open(log_path, "wb")
        self.proc = subprocess.Popen(command, stdout=self._log, stderr=subprocess.STDOUT, cwd=REPO,
                                     env={**os.environ, **(env or {})})

    def wait_ready(self, health_check: bool) -> None:
        """Until the server answers (grpc.health.v1 SERVING, or a connection for the echo server) and, with
        several workers, every worker listens."""
        deadline = time.monotonic() + STARTUP_SECONDS
        last = "no answer"
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited {self.proc.returncode} at startup:\n{self.log_tail()}")
            try:
                with grpc.insecure_channel(self.target) as channel:
                    if health_check:
                        reply = health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(), timeout=1)
                        ready = reply.status == health_pb2.HealthCheckResponse.SERVING
                    else:
                        grpc.channel_ready_future(channel).result(timeout=1)
                        ready = True
                if ready and (self.workers == 1 or len(self._listening_workers()) >= self.workers):
                    return
                last = f"{len(self._listening_workers())} of {self.workers} workers listening"
            except (grpc.RpcError, grpc.FutureTimeoutError) as error:
                last = str(error)
            time.sleep(0.1)
        raise TimeoutError(f"server on {self.target} not ready after {STARTUP_SECONDS}s ({last}):\n"
                           f"{self.log_tail()}")

    def serving_pids(self) -> list[int]:
        """The processes that serve: this one, or with several workers its children (the supervisor that
        started them serves nothing)."""
        return _children(self.proc.pid) if self.workers > 1 else [self.proc.pid]

    def peak_rss_mb(self) -> tuple[float, list[float]]:
        """(sum, per process) of VmHWM, the peak resident set size, over the serving processes."""
        peaks = [_vm_hwm_kb(pid) / 1024 for pid in self.serving_pids()]
        return round(sum(peaks), 1), [round(p, 1) for p in peaks]

    def supervisor_rss_mb(self) -> float | None:
        return round(_vm_hwm_kb(self.proc.pid) / 1024, 1) if self.workers > 1 else None

    def _listening_workers(self) -> set[int]:
        inodes = _listening_inodes(self.port)
        return {pid for pid in self.serving_pids() if inodes & _socket_inodes(pid)}

    def log_tail(self, lines: int = 40) -> str:
        self._log.flush()
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        """SIGTERM, then SIGKILL if it has not exited within STOP_SECONDS."""
        try:
            if self.proc.poll() is None:
                self.proc.send_signal(signal.SIGTERM)
                try:
                    self.proc.wait(timeout=STOP_SECONDS)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait(timeout=STOP_SECONDS)
        finally:
            self._log.close()


def echo_server(log_dir: Path) -> ServerProcess:
    port = free_port()
    server = ServerProcess([sys.executable, "-m", "bench.echo_server", "--listen", f"127.0.0.1:{port}"], port,
                           log_dir / "echo.log")
    server.wait_ready(health_check=False)
    return server


def ceiling_server(database_url: str, caller: str, log_dir: Path) -> ServerProcess:
    """bench/ceiling_server.py on `database_url` (a seeded copy), calling as `caller` (an email)."""
    port = free_port()
    server = ServerProcess([sys.executable, "-m", "bench.ceiling_server", "--listen", f"127.0.0.1:{port}",
                            "--database", database_url, "--caller", caller], port, log_dir / f"ceiling-{port}.log")
    try:
        server.wait_ready(health_check=False)
    except Exception:
        server.stop()
        raise
    return server


def chatsvc_server(database_url: str, signing_key: str, workers: int, log_dir: Path, log_level: str,
                   http: bool = False, extra_args: tuple[str, ...] = (),
                   extra_env: dict[str, str] | None = None) -> ServerProcess:
    """`chatsvc serve`; its HTTP endpoint (REST) on a port of its own with `http`, else off. `extra_args` come
    last (so they win over the same flags here), `extra_env` adds to the environment."""
    port = free_port()
    http_port = free_port() if http else None
    command = [sys.executable, "-m", "chatsvc.cli", "serve", "--listen", f"127.0.0.1:{port}", "--database",
               database_url, "--http-listen", f"127.0.0.1:{http_port}" if http else "off",
               "--data-dir", str(log_dir / "data"), "--log-level", log_level, "--grace", "2"]
    if workers > 1:
        command += ["--workers", str(workers)]
    command += list(extra_args)
    env = {**(extra_env or {}), "CHATSVC_SIGNING_KEY": signing_key}
    server = ServerProcess(command, port, log_dir / f"chatsvc-{workers}w-{port}.log", env, workers)
    if http_port:
        server.http_url = f"http://127.0.0.1:{http_port}"  # served before gRPC starts: ready with health
    try:
        server.wait_ready(health_check=True)
    except Exception:
        server.stop()
        raise
    return server


def workers_supported() -> bool:
    """Whether this chatsvc has `serve --workers`."""
    proc = subprocess.run([sys.executable, "-m", "chatsvc.cli", "serve", "--help"], capture_output=True, text=True,
                          cwd=REPO, timeout=60)
    return "--workers" in proc.stdout


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:  # field 4, after the (command name)
                found.append(int(entry))
    return sorted(found)


def _vm_hwm_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmHWM for process {pid}")


def _listening_inodes(port: int) -> set[str]:
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "0A":  # 0A: LISTEN
                inodes.add(fields[9])
    return inodes


def _socket_inodes(pid: int) -> set[str]:
    inodes = set()
    try:
        for fd in os.listdir(f"/proc/{pid}/fd"):
            try:
                link = os.readlink(f"/proc/{pid}/fd/{fd}")
            except OSError:
                continue
            if link.startswith("socket:["):
                inodes.add(link[8:-1])
    except OSError:
        pass
    return inodes
