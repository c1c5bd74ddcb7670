"""Dumps what Google's official Python client knows about google.chat.v1 and google.apps.card.v1.

Runs under the official client's own interpreter (.venv-official, see the `official` extra in
pyproject.toml), never under .venv: the official packages register google.chat.v1 in protobuf's default
pool, which would collide with our generated modules.

Usage: dump_official.py [OUT]   (writes to stdout without OUT)

Output: one JSON document with
  file_descriptor_set  base64 of a serialized FileDescriptorSet: every google/apps/chat_v1/types/*.proto
                       and google/apps/card_v1/types/*.proto file as proto-plus registered it in the
                       default pool, plus their transitive imports, dependencies first;
  rpcs                 every RPC of the official gRPC transport: service, method name, request/response
                       message full names, streaming flags, and the HTTP bindings of the REST transport
                       (`_get_http_options()`, first entry = primary binding, the rest = additional_bindings);
  versions             the installed distributions the data came from.
"""

from __future__ import annotations

import base64
import importlib
import importlib.metadata
import json
import pkgutil
import sys

import google.apps.card_v1
import google.apps.card_v1.types
import google.apps.chat_v1
import google.apps.chat_v1.types
import grpc
from google.apps.chat_v1.services.chat_service.transports.grpc import ChatServiceGrpcTransport
from google.apps.chat_v1.services.chat_service.transports.rest_base import _BaseChatServiceRestTransport
from google.protobuf import descriptor_pb2, descriptor_pool

TYPES_PACKAGES = {
    # python package holding proto-plus modules -> file name prefix proto-plus registers them under
    google.apps.chat_v1.types: "google/apps/chat_v1/types/",
    google.apps.card_v1.types: "google/apps/card_v1/types/",
}


def _type_files() -> list[str]:
    """Imports every `types` module and returns the .proto file names they registered."""
    names = []
    for package, prefix in TYPES_PACKAGES.items():
        for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            if not module.__protobuf__.manifest:  # e.g. chat_v1/types/chat_service.py: the service only
                continue
            names.append(f"{prefix}{info.name}.proto")
    return names


def _file_descriptor_set(roots: list[str]) -> descriptor_pb2.FileDescriptorSet:
    """The root files and everything they import, each file after its dependencies."""
    pool = descriptor_pool.Default()
    out = descriptor_pb2.FileDescriptorSet()
    seen: set[str] = set()

    def visit(name: str) -> None:
        if name in seen:
            return
        seen.add(name)
        fd = pool.FindFileByName(name)  # KeyError here means proto-plus did not register the file
        for dep in fd.dependencies:
            visit(dep.name)
        fd.CopyToProto(out.file.add())

    for name in roots:
        visit(name)
    return out


class _RecordingChannel(grpc.Channel):
    """A channel that never connects: it records every stub the transport asks it for."""

    def __init__(self) -> None:
        self.stubs: list[tuple[str, str, object, object]] = []

    def _record(self, kind, method, request_serializer=None, response_deserializer=None, *args, **kwargs):
        self.stubs.append((kind, method, request_serializer, response_deserializer))

        def not_callable(*_a, **_k):
            raise RuntimeError("recording channel: no calls")

        return not_callable

    def unary_unary(self, method, *args, **kwargs):
        return self._record("unary_unary", method, *args, **kwargs)

    def unary_stream(self, method, *args, **kwargs):
        return self._record("unary_stream", method, *args, **kwargs)

    def stream_unary(self, method, *args, **kwargs):
        return self._record("stream_unary", method, *args, **kwargs)

    def stream_stream(self, method, *args, **kwargs):
        return self._record("stream_stream", method, *args, **kwargs)

    def subscribe(self, callback, try_to_connect=False):
        pass

    def unsubscribe(self, callback):
        pass

    def close(self):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def _message_full_name(fn) -> str:
    """Full name of the message behind a (de)serializer: proto-plus `X.serialize` / `X.deserialize` or
    a protobuf class's `X.FromString` / `X.SerializeToString`."""
    owner = getattr(fn, "__self__", None)
    if owner is None:
        raise ValueError(f"cannot tell which message {fn!r} belongs to")
    if hasattr(owner, "pb") and callable(owner.pb):  # proto-plus message class
        return owner.pb().DESCRIPTOR.full_name
    return owner.DESCRIPTOR.full_name


def _rpcs() -> list[dict]:
    recorder = _RecordingChannel()
    transport = ChatServiceGrpcTransport(channel=recorder)
    # The transport builds its stubs on an intercepting (logging) wrapper that only reaches the channel at
    # call time; point it at the recorder and ask again for every stub property.
    transport._logged_channel = recorder
    transport._stubs.clear()
    recorder.stubs.clear()
    for attr_name, attr in vars(ChatServiceGrpcTransport).items():
        if isinstance(attr, property):
            getattr(transport, attr_name)

    rpcs = []
    for kind, path, serializer, deserializer in recorder.stubs:
        service, _, method = path.lstrip("/").partition("/")
        base = getattr(_BaseChatServiceRestTransport, f"_Base{method}", None)
        http = base._get_http_options() if base is not None else None
        rpcs.append(
            {
                "service": service,
                "name": method,
                "input": _message_full_name(serializer),
                "output": _message_full_name(deserializer),
                "client_streaming": kind.startswith("stream_"),
                "server_streaming": kind.endswith("_stream"),
                "http": [
                    {"method": b["method"].upper(), "uri": b["uri"], "body": b.get("body", "")} for b in (http or [])
                ],
                "has_rest_binding": base is not None,
            }
        )
    rpcs.sort(key=lambda r: (r["service"], r["name"]))

    # REST methods the gRPC transport does not have would be missed above: report them as RPCs without types.
    grpc_names = {r["name"] for r in rpcs}
    for attr_name in sorted(vars(_BaseChatServiceRestTransport)):
        if attr_name.startswith("_Base") and attr_name[len("_Base") :] not in grpc_names:
            rpcs.append({"service": "?", "name": attr_name[len("_Base") :], "rest_only": True})
    return rpcs


def main(argv: list[str]) -> int:
    fds = _file_descriptor_set(_type_files())
    doc = {
        "versions": {
            dist: importlib.metadata.version(dist)
            for dist in ("google-apps-chat", "google-apps-card", "protobuf", "proto-plus")
        },
        "files": [f.name for f in fds.file],
        "file_descriptor_set": base64.b64encode(fds.SerializeToString(deterministic=True)).decode("ascii"),
        "rpcs": _rpcs(),
    }
    text = json.dumps(doc, indent=1, sort_keys=True) + "\n"
    if len(argv) > 1:
        with open(argv[1], "w", encoding="utf-8") as fh:
            fh.write(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
