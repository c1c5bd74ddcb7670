"""The echo service's Python stubs, generated at run time (grpc_tools.protoc) into a cache directory keyed by
the proto's content, so nothing generated lands in the repository."""
from __future__ import annotations

import hashlib
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
PROTO = BENCH / "echo.proto"
CACHE = BENCH / ".cache"


def stubs_dir() -> Path:
    """Generates the stubs if needed; returns the directory to put on sys.path."""
    digest = hashlib.sha256(PROTO.read_bytes()).hexdigest()[:16]
    out = CACHE / f"echo-stubs-{digest}"
    if not (out / "echo_pb2_grpc.py").exists():
        from grpc_tools import protoc

        out.mkdir(parents=True, exist_ok=True)
        status = protoc.main(["protoc", f"-I{BENCH}", f"--python_out={out}", f"--grpc_python_out={out}", str(PROTO)])
        if status != 0:
            raise RuntimeError(f"protoc failed on {PROTO} (exit {status})")
    return out


def import_echo():
    """(echo_pb2, echo_pb2_grpc)."""
    path = str(stubs_dir())
    if path not in sys.path:
        sys.path.insert(0, path)
    import echo_pb2
    import echo_pb2_grpc

    return echo_pb2, echo_pb2_grpc
