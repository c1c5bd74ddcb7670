"""`chatsvc serve` as a child process, for the tests that need a real process (the official client's, and
the scheduler's crash and multi-process tests), and `chatsvc token` to call it with."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc

from tests.helpers import USER_SCOPES

REPO = Path(__file__).resolve().parents[1]
STARTUP_SECONDS = 45.0  # generous: a loaded CI machine starts Python slowly; a healthy start takes ~1 s
GRACE_SECONDS = 5.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _env() -> dict[str, str]:
    # Flags below say where to listen and which database to use; nothing from the caller's CHATSVC_* may
    # point the server or `chatsvc token` elsewhere (CHATSVC_SIGNING_KEY, if set, is shared by both).
    return {k: v for k, v in os.environ.items() if k not in ("CHATSVC_LISTEN", "CHATSVC_DATABASE_URL")}


def mint_token(database_url: str, user: str, scopes=USER_SCOPES) -> str:
    command = [sys.executable, "-m", "chatsvc.cli", "token", "--database", database_url, "--user", user]
    for scope in scopes:
        command += ["--scope", scope]
    proc = subprocess.run(command, capture_output=True, text=True, timeout=60, cwd=REPO, env=_env())
    assert proc.returncode == 0, f"chatsvc token exited {proc.returncode}:\n{proc.stderr}"
    lines = proc.stdout.strip().splitlines()
    assert lines, f"chatsvc token printed nothing:\n{proc.stderr}"
    return lines[-1].strip()


class ServerProcess:
    """`chatsvc serve` as a child process; its output goes to a file so that a full pipe cannot block it.
    `env`: further environment variables (e.g. CHATSVC_SMTP_PORT for the campaign settings); `args`: further
    flags of `chatsvc serve` (e.g. --workers)."""

    def __init__(self, database_url: str, log_path: Path, env: dict[str, str] | None = None,
                 args: tuple[str, ...] = ()):
        self.port = free_port()
        self.target = f"127.0.0.1:{self.port}"
        self.media_url = f"http://127.0.0.1:{free_port()}"
        self.log_path = log_path
        self._log = open(log_path, "wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "chatsvc.cli", "serve", "--listen", self.target, "--database", database_url,
             "--grace", str(GRACE_SECONDS), "--media-listen", self.media_url.removeprefix("http://"),
             "--data-dir", str(log_path.parent / "data"), *args],
            stdout=self._log, stderr=subprocess.STDOUT, cwd=REPO, env={**_env(), **(env or {})},
        )

    def log(self) -> str:
        if not self._log.closed:
            self._log.flush()
        return self.log_path.read_text(errors="replace")

    def wait_serving(self) -> None:
        """Until grpc.health.v1 Check says SERVING, bounded to STARTUP_SECONDS."""
        deadline = time.monotonic() + STARTUP_SECONDS
        last = "no answer"
        with grpc.insecure_channel(self.target) as channel:
            health = health_pb2_grpc.HealthStub(channel)
            while time.monotonic() < deadline:
                if self.proc.poll() is not None:
                    pytest.fail(f"chatsvc serve exited {self.proc.returncode} at startup:\n{self.log()}", pytrace=False)
                try:
                    reply = health.Check(health_pb2.HealthCheckRequest(), timeout=1.0)
                    if reply.status == health_pb2.HealthCheckResponse.SERVING:
                        return
                    last = health_pb2.HealthCheckResponse.ServingStatus.Name(reply.status)
                except grpc.RpcError as error:
                    last = f"{error.code().name}: {error.details()}"
                time.sleep(0.1)
        pytest.fail(f"chatsvc serve on {self.target} not SERVING after {STARTUP_SECONDS}s ({last}):\n{self.log()}",
                    pytrace=False)

    def kill(self) -> None:
        """SIGKILL: the process dies on the spot, as in a crash or an OOM kill."""
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        self._log.close()

    def terminate(self) -> int | None:
        """SIGTERM, then the grace period plus a margin; returns the exit status (None if it had to be killed)."""
        try:
            if self.proc.poll() is None:
                self.proc.send_signal(signal.SIGTERM)
            try:
                return self.proc.wait(timeout=GRACE_SECONDS + 5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                return None
        finally:
            self._log.close()
