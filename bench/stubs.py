"""The benchmark's own services' Python stubs (echo.proto, ceiling.proto), generated at run time
(grpc_tools.protoc) into a cache directory keyed by the protos' content, so nothing generated lands in the
repository."""
from __future__ import annotations

import hashlib
import importlib
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
PROTOS = (BENCH / "echo.proto", BENCH / "ceiling.proto")
CACHE = BENCH / ".cache"


def stubs_dir() -> Path:
    """Generates the stubs if needed; returns the directory to put on sys.path."""
    digest = hashlib.sha256(b"".join(proto.read_bytes() for proto in PROTOS)).hexdigest()[:16]
    out = CACHE / f"stubs-{digest}"
    if not all((out / f"{proto.stem}_pb2_grpc.py").exists() for proto in PROTOS):
        from grpc_tools import protoc

        out.mkdir(parents=True, exist_ok=True)
        status = protoc.main(["protoc", f"-I{BENCH}", f"--python_out={out}", f"--grpc_python_out={out}",
                              *map(str, PROTOS)])
        if status != 0:
            raise RuntimeError(f"protoc failed on {', '.join(map(str, PROTOS))} (exit {status})")
    return out


def _import(stem: str):
    path = str(stubs_dir())
    if path not in sys.path:
        sys.path.insert(0, path)
    return importlib.import_module(f"{stem}_pb2"), importlib.import_module(f"{stem}_pb2_grpc")


def import_echo():
    """(echo_pb2, echo_pb2_grpc)."""
    return _import("echo")


def import_ceiling():
    """(ceiling_pb2, ceiling_pb2_grpc)."""
    return _import("ceiling")
