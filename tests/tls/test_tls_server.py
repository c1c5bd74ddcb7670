"""A real `chatsvc serve` over TLS in a child process, called by Google's official Python client in processes of its
own (tls_client.py, under .venv-official), trusting the CA only through the environment variables each transport
reads: GRPC_DEFAULT_SSL_ROOTS_FILE_PATH (gRPC) and REQUESTS_CA_BUNDLE (REST over requests).

- `--tls-self-signed` with `--workers 2` (both backends): gRPC and REST clients trusting tls/ca.pem create a space
  and a message; the same clients without the trust setting fail the handshake; plain-text callers get nowhere;
  the HTTP endpoint's URLs are https; the log names the CA file and holds no key.
- `--tls-cert/--tls-key` (from CHATSVC_TLS_CERT / CHATSVC_TLS_KEY) with an RSA certificate of a CA made here.
"""
from __future__ import annotations

import datetime as dt
import ipaddress
import json
import os
import ssl
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import grpc
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from grpc_health.v1 import health_pb2, health_pb2_grpc

from tests.helpers import official_python
from tests.server_process import STARTUP_SECONDS, ServerProcess, mint_token

CLIENT = Path(__file__).resolve().parent / "tls_client.py"
CLIENT_TIMEOUT = 90.0
TRUST_VARIABLES = ("GRPC_DEFAULT_SSL_ROOTS_FILE_PATH", "REQUESTS_CA_BUNDLE", "SSL_CERT_FILE", "SSL_CERT_DIR",
                   "CURL_CA_BUNDLE")


def run_client(transport: str, endpoint: str, token: str, *extra: str, **trust: str) -> dict:
    """tls_client.py in its own process: nothing of ours, of Google's client settings, proxies or CA settings in
    its environment but the `trust` given."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("CHATSVC_", "GOOGLE_")) and k not in TRUST_VARIABLES
           and k.lower() not in ("http_proxy", "https_proxy", "all_proxy", "no_proxy")}
    env.update(CHATSVC_E2E_TOKEN=token, GRPC_VERBOSITY="NONE", **trust)
    proc = subprocess.run([official_python(), "-I", str(CLIENT), transport, endpoint, *extra], capture_output=True,
                          text=True, timeout=CLIENT_TIMEOUT, cwd=CLIENT.parent, env=env)
    assert proc.returncode == 0, f"tls_client.py exited {proc.returncode}\n{proc.stderr}\n{proc.stdout}"
    return json.loads(proc.stdout)


def wait_serving_tls(server: ServerProcess, ca: Path) -> None:
    """Until Health.Check over TLS (trusting `ca`, once it exists) says SERVING."""
    deadline = time.monotonic() + STARTUP_SECONDS
    last = "no answer"
    while time.monotonic() < deadline:
        if server.proc.poll() is not None:
            pytest.fail(f"chatsvc serve exited {server.proc.returncode}:\n{server.log()}", pytrace=False)
        if ca.exists():
            credentials = grpc.ssl_channel_credentials(root_certificates=ca.read_bytes())
            with grpc.secure_channel(server.target, credentials) as channel:
                try:
                    reply = health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(), timeout=1.0)
                    if reply.status == health_pb2.HealthCheckResponse.SERVING:
                        return
                except grpc.RpcError as error:
                    last = f"{error.code().name}: {error.details()}"
        time.sleep(0.2)
    pytest.fail(f"not SERVING over TLS after {STARTUP_SECONDS}s ({last}):\n{server.log()}", pytrace=False)


def discovery_root(base: str, ca: Path) -> str:
    """The rootUrl of the discovery document fetched over https from `base`, trusting `ca`."""
    context = ssl.create_default_context(cafile=str(ca))
    with urllib.request.urlopen(f"{base}/$discovery/rest?version=v1", context=context, timeout=10) as reply:
        return json.load(reply)["rootUrl"]


def stop(server: ServerProcess) -> None:
    status = server.terminate()
    assert status == 0, f"chatsvc serve exited {status} on SIGTERM:\n{server.log()}"


def test_self_signed_serves_official_clients_over_tls(database_url, tmp_path):
    official_python()
    server = ServerProcess(database_url, tmp_path / "serve.log",
                           args=("--tls-self-signed", "--tls-name", "chat.example.test", "--workers", "2"))
    ca = tmp_path / "data" / "tls" / "ca.pem"
    http_port = int(server.media_url.rsplit(":", 1)[1])
    try:
        wait_serving_tls(server, ca)
        token = mint_token(database_url, "alice@example.com")

        # Trusting the CA through the environment, nothing else changed: both transports work.
        over_grpc = run_client("grpc", f"localhost:{server.port}", token, GRPC_DEFAULT_SSL_ROOTS_FILE_PATH=str(ca))
        assert over_grpc["ok"], over_grpc
        assert over_grpc["text"] == "over TLS (grpc)" and over_grpc["message"].startswith(over_grpc["space"] + "/")
        over_rest = run_client("rest", f"https://localhost:{http_port}", token, REQUESTS_CA_BUNDLE=str(ca))
        assert over_rest["ok"], over_rest
        assert over_rest["text"] == "over TLS (rest)" and over_rest["space"] != over_grpc["space"]

        # Without it, the handshake fails: the certificate is not trusted (not a name mismatch: 127.0.0.1 is in it).
        untrusted = run_client("grpc", f"127.0.0.1:{server.port}", token, "once")
        assert not untrusted["ok"] and "CERTIFICATE_VERIFY_FAILED" in untrusted["detail"], untrusted
        untrusted = run_client("rest", f"https://localhost:{http_port}", token, "once")
        assert (untrusted["ok"], untrusted["error"]) == (False, "SSLError"), untrusted
        assert "CERTIFICATE_VERIFY_FAILED" in untrusted["detail"], untrusted

        # The HTTP endpoint speaks https only, and publishes https URLs; plain-text gRPC gets no answer either.
        assert discovery_root(f"https://127.0.0.1:{http_port}", ca) == f"https://127.0.0.1:{http_port}/"
        with pytest.raises((urllib.error.URLError, ConnectionError)):
            urllib.request.urlopen(f"http://127.0.0.1:{http_port}/$discovery/rest?version=v1", timeout=10)
        with grpc.insecure_channel(server.target) as channel, pytest.raises(grpc.RpcError) as plain:
            health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(), timeout=3)
        assert plain.value.code() in (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED)
    finally:
        stop(server)

    log = server.log()
    assert log.count(f"TLS: clients trust {ca} ") == 2, log  # each worker, the same CA (made once, by the parent)
    assert log.count("TLS: made a local CA") == 1, log
    assert "PRIVATE KEY" not in log
    for key in ("ca.key", "server.key"):
        body = "".join((ca.parent / key).read_text().splitlines()[1:-1])
        assert body[:40] not in log.replace("\n", "")


def _certificate(subject: str, key, issuer: x509.Certificate | None = None, issuer_key=None,
                 sans=()) -> x509.Certificate:
    now = dt.datetime.now(dt.UTC)
    name = x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME, subject)])
    builder = (x509.CertificateBuilder().subject_name(name).issuer_name(issuer.subject if issuer else name)
               .public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=30))
               .add_extension(x509.BasicConstraints(ca=issuer is None, path_length=None), critical=True))
    if sans:
        builder = builder.add_extension(x509.SubjectAlternativeName(list(sans)), critical=False)
    return builder.sign(issuer_key or key, hashes.SHA256())


def test_operator_certificate_and_key(tmp_path):
    """`CHATSVC_TLS_CERT` / `CHATSVC_TLS_KEY`: an RSA certificate of another CA, made here; --public-url still
    decides the published URL."""
    official_python()
    ca_key, key = rsa.generate_private_key(65537, 2048), rsa.generate_private_key(65537, 2048)
    ca = _certificate("test CA", ca_key)
    leaf = _certificate("localhost", key, ca, ca_key,
                        sans=(x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))))
    ca_file, cert_file, key_file = tmp_path / "ca.pem", tmp_path / "cert.pem", tmp_path / "key.pem"
    ca_file.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    cert_file.write_bytes(leaf.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                                           serialization.NoEncryption()))
    key_file.chmod(0o600)
    database_url = f"sqlite+aiosqlite:///{tmp_path / 'chatsvc.db'}"
    server = ServerProcess(database_url, tmp_path / "serve.log",
                           env={"CHATSVC_TLS_CERT": str(cert_file), "CHATSVC_TLS_KEY": str(key_file)},
                           args=("--public-url", "https://chat.example.test:8443"))
    http_port = int(server.media_url.rsplit(":", 1)[1])
    try:
        wait_serving_tls(server, ca_file)
        token = mint_token(database_url, "alice@example.com")
        over_grpc = run_client("grpc", f"localhost:{server.port}", token, GRPC_DEFAULT_SSL_ROOTS_FILE_PATH=str(ca_file))
        assert over_grpc["ok"] and over_grpc["text"] == "over TLS (grpc)", over_grpc
        assert discovery_root(f"https://localhost:{http_port}", ca_file) == "https://chat.example.test:8443/"
    finally:
        stop(server)
    log = server.log()
    assert f"TLS: certificate {cert_file} for localhost, 127.0.0.1" in log, log
    assert "PRIVATE KEY" not in log and not (tmp_path / "data" / "tls").exists()
