"""What the tests of Google's clients and samples against a TLS chatsvc share: the server as a child process
(`chatsvc serve --tls-self-signed --trust-service-account KEY`), waited for over TLS, and the client programs run in
processes of their own whose environment holds no trust setting but the one each test names."""
from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc

from tests.server_process import STARTUP_SECONDS, ServerProcess

HERE = Path(__file__).resolve().parent
AUTH = "https://www.googleapis.com/auth/"


def _is_trust_setting(name: str) -> bool:
    # The machine's environment points every ecosystem at the system bundle (GRPC_DEFAULT_SSL_ROOTS_FILE_PATH,
    # REQUESTS_CA_BUNDLE, SSL_CERT_FILE, NODE_EXTRA_CA_CERTS, HTTPLIB2_CA_CERTS, ...). grpc-js reads
    # GRPC_DEFAULT_SSL_ROOTS_FILE_PATH *instead of* Node's roots, so an inherited one hides NODE_EXTRA_CA_CERTS.
    upper = name.upper()
    return "CERT" in upper or "CA_BUNDLE" in upper or "SSL" in upper


def client_env(**trust: str) -> dict[str, str]:
    """The environment of a client process: the caller's, without chatsvc's settings, Google's client settings
    (GOOGLE_APPLICATION_CREDENTIALS, universe, mTLS, ...), proxies and trust settings; plus `trust`."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("CHATSVC_", "GOOGLE_")) and not _is_trust_setting(k)
           and k.lower() not in ("http_proxy", "https_proxy", "all_proxy", "no_proxy")}
    env.update(GRPC_VERBOSITY="NONE", **trust)
    return env


def run_json(command: list[str], *, env: dict[str, str], cwd: Path, timeout: float = 120.0) -> dict:
    """Runs a client program; it must exit 0 and print one JSON object as its last line."""
    try:
        proc = subprocess.run(command, capture_output=True, text=True, timeout=timeout, cwd=cwd, env=env)
    except subprocess.TimeoutExpired as timed_out:
        pytest.fail(f"{command[1:3]} still running after {timeout}s\n--- stdout\n{timed_out.stdout}\n--- stderr\n"
                    f"{timed_out.stderr}", pytrace=False)
    assert proc.returncode == 0, f"{command[1:3]} exited {proc.returncode}\n--- stdout\n{proc.stdout}\n--- stderr\n" \
                                 f"{proc.stderr}"
    lines = proc.stdout.strip().splitlines()
    assert lines, f"{command[1:3]} printed nothing\n--- stderr\n{proc.stderr}"
    return json.loads(lines[-1])


class TlsServer:
    """`chatsvc serve --tls-self-signed` trusting the key files given, in a child process; `ca` is the file clients
    trust, `grpc_endpoint` (`localhost:PORT`) and `https_base` are where Google's clients are pointed."""

    def __init__(self, database_url: str, directory: Path, *key_files: Path):
        args = ["--tls-self-signed"]
        for key_file in key_files:
            args += ["--trust-service-account", str(key_file)]
        self.process = ServerProcess(database_url, directory / "serve.log", args=tuple(args))
        self.ca = directory / "data" / "tls" / "ca.pem"
        self.grpc_port = self.process.port
        self.http_port = int(self.process.media_url.rsplit(":", 1)[1])
        self.grpc_endpoint = f"localhost:{self.grpc_port}"
        self.https_base = f"https://localhost:{self.http_port}"

    def wait_serving(self) -> None:
        """Until Health.Check over TLS, trusting `ca` once it exists, says SERVING."""
        deadline = time.monotonic() + STARTUP_SECONDS
        last = "no answer"
        while time.monotonic() < deadline:
            if self.process.proc.poll() is not None:
                pytest.fail(f"chatsvc serve exited {self.process.proc.returncode}:\n{self.process.log()}",
                            pytrace=False)
            if self.ca.exists():
                credentials = grpc.ssl_channel_credentials(root_certificates=self.ca.read_bytes())
                with grpc.secure_channel(self.process.target, credentials) as channel:
                    try:
                        reply = health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(), timeout=1)
                        if reply.status == health_pb2.HealthCheckResponse.SERVING:
                            return
                    except grpc.RpcError as error:
                        last = f"{error.code().name}: {error.details()}"
            time.sleep(0.2)
        pytest.fail(f"not SERVING over TLS after {STARTUP_SECONDS}s ({last}):\n{self.process.log()}", pytrace=False)

    def __enter__(self) -> TlsServer:
        try:
            self.wait_serving()
        except BaseException:
            self.process.kill()
            raise
        return self

    def __exit__(self, *exc) -> None:
        status = self.process.terminate()
        if exc[0] is None:
            assert status == 0, f"chatsvc serve exited {status} on SIGTERM:\n{self.process.log()}"

    def log(self) -> str:
        return self.process.log()
