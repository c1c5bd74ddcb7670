"""Conformance: our compiled google.chat.v1 / google.apps.card.v1 descriptors against Google's official client.

Ours come from generated/descriptor_set.binpb, the official ones from dump_official.py run under the
official client's own interpreter (CHATSVC_OFFICIAL_PYTHON, default .venv-official/bin/python). Both
sides are loaded into private DescriptorPools, never protobuf's default pool: both define google.chat.v1.

Compared in both directions, by full name only (proto-plus registers its files as
google/apps/chat_v1/types/x.proto, ours are google/chat/v1/x.proto):
  messages (nested included, map entries), fields (number, type, type name, label, containing oneof,
  proto3 optional, presence, json_name), enums and enum values, and the RPCs of ChatService (input,
  output, streaming, HTTP verb/path/body with additional bindings).
"""

from __future__ import annotations

import base64
import copy
import functools
import json
import os
import subprocess
from pathlib import Path

import pytest
from google.api import annotations_pb2, http_pb2  # registers the google.api.http extension in the default pool
from google.protobuf import descriptor_pb2, descriptor_pool

from tests.helpers import official_python

REPO = Path(__file__).resolve().parents[2]
OURS = REPO / "generated" / "descriptor_set.binpb"
DUMP_SCRIPT = Path(__file__).resolve().parent / "dump_official.py"
PACKAGES = ("google.chat.v1", "google.apps.card.v1")

# What google-apps-chat 0.10.7 / google-apps-card 0.7.1 define. Checked on both sides, so that an empty or
# truncated comparison cannot pass; a new pin of the official client changes these on purpose.
EXPECTED_RPCS = 52
EXPECTED_COUNTS = {
    "google.chat.v1": {"message": 163, "enum": 33},
    "google.apps.card.v1": {"message": 43, "enum": 23},
}

_FIELD_TYPE_NAMES = descriptor_pb2.FieldDescriptorProto.Type


# --------------------------------------------------------------------------------------------------------
# Model: a flat {key: {attribute: value}} view of one side, keyed by kind and full name.


def load_pool(fds: descriptor_pb2.FileDescriptorSet) -> descriptor_pool.DescriptorPool:
    """A private pool holding every file of the set (files must come after their imports)."""
    pool = descriptor_pool.DescriptorPool()
    for file in fds.file:
        pool.Add(file)
    return pool


def _http_bindings(method_options: descriptor_pb2.MethodOptions) -> tuple[tuple[str, str, str], ...]:
    # Re-parse with the default pool's MethodOptions, where google/api/annotations.proto registered the
    # `google.api.http` extension (the private pool's copy of google/api is not the one the parser knows).
    options = descriptor_pb2.MethodOptions.FromString(method_options.SerializeToString())
    if not options.HasExtension(annotations_pb2.http):
        return ()
    rule = options.Extensions[annotations_pb2.http]

    def one(r: http_pb2.HttpRule) -> tuple[str, str, str]:
        kind = r.WhichOneof("pattern")
        if kind == "custom":
            return (r.custom.kind.upper(), r.custom.path, r.body)
        return ((kind or "").upper(), getattr(r, kind) if kind else "", r.body)

    return (one(rule), *(one(b) for b in rule.additional_bindings))


def _official_field_name(name: str, json_name: str) -> str:
    # proto-plus artefact: a field whose name is a Python keyword or builtin (type, from, ...) is registered
    # as `type_` while its json_name stays `type`. Google's .proto (and ours) use the real name; json_name is
    # compared separately, so the stripped name loses nothing.
    if name.endswith("_") and not json_name.endswith("_"):
        return name[:-1]
    return name


def describe(
    fds: descriptor_pb2.FileDescriptorSet, *, official: bool = False, rpcs: list[dict] | None = None
) -> dict[str, dict]:
    """Flattens the google.chat.v1 / google.apps.card.v1 part of a descriptor set into comparable records.

    `rpcs`: for the official side, the RPC list from dump_official.py (proto-plus files carry no service);
    for ours the services are read from the descriptors themselves, with their google.api.http options.
    """
    pool = load_pool(fds)
    model: dict[str, dict] = {}
    field_name = _official_field_name if official else (lambda name, _json: name)

    def enum(e) -> None:
        model[f"enum {e.full_name}"] = {}
        for v in e.values:
            model[f"enum value {e.full_name}.{v.name}"] = {"number": v.number}

    def message(m) -> None:
        as_proto = descriptor_pb2.DescriptorProto()
        m.CopyToProto(as_proto)
        proto3_optional = {f.name: f.proto3_optional for f in as_proto.field}
        model[f"message {m.full_name}"] = {"map_entry": m.GetOptions().map_entry}
        for f in m.fields:
            ref = f.message_type or f.enum_type
            model[f"field {m.full_name}.{field_name(f.name, f.json_name)}"] = {
                "number": f.number,
                "type": _FIELD_TYPE_NAMES.Name(f.type),
                "type_name": ref.full_name if ref is not None else "",
                "label": "repeated" if f.is_repeated else "required" if f.is_required else "optional",
                "oneof": f.containing_oneof.name if f.containing_oneof is not None else "",
                "proto3_optional": proto3_optional[f.name],
                "has_presence": f.has_presence,
                "json_name": f.json_name,
            }
        for nested in m.nested_types:
            message(nested)
        for e in m.enum_types:
            enum(e)

    for file_proto in fds.file:
        if file_proto.package not in PACKAGES:
            continue
        file = pool.FindFileByName(file_proto.name)
        for m in file.message_types_by_name.values():
            message(m)
        for e in file.enum_types_by_name.values():
            enum(e)
        if rpcs is None:
            for service in file.services_by_name.values():
                service_proto = descriptor_pb2.ServiceDescriptorProto()
                service.CopyToProto(service_proto)
                for method in service_proto.method:
                    model[f"rpc {service.full_name}.{method.name}"] = {
                        "input": method.input_type.lstrip("."),
                        "output": method.output_type.lstrip("."),
                        "client_streaming": method.client_streaming,
                        "server_streaming": method.server_streaming,
                        "http": _http_bindings(method.options),
                    }

    for rpc in rpcs or ():
        if rpc.get("rest_only"):
            model[f"rpc ?.{rpc['name']}"] = {"rest_only": True}
            continue
        model[f"rpc {rpc['service']}.{rpc['name']}"] = {
            "input": rpc["input"],
            "output": rpc["output"],
            "client_streaming": rpc["client_streaming"],
            "server_streaming": rpc["server_streaming"],
            "http": tuple((b["method"], b["uri"], b["body"]) for b in rpc["http"]),
        }
    return model


def compare(official: dict[str, dict], ours: dict[str, dict]) -> list[str]:
    """Every difference, one line each: missing, extra, and differing attributes."""
    diffs = []
    for key in sorted(official.keys() - ours.keys()):
        diffs.append(f"missing in ours: {key} {official[key]}")
    for key in sorted(ours.keys() - official.keys()):
        diffs.append(f"extra in ours (not in official): {key} {ours[key]}")
    for key in sorted(official.keys() & ours.keys()):
        a, b = official[key], ours[key]
        for attr in sorted(a.keys() | b.keys()):
            if a.get(attr) != b.get(attr):
                diffs.append(f"differs: {key}: {attr}: official={a.get(attr)!r} ours={b.get(attr)!r}")
    return diffs


def counts(model: dict[str, dict]) -> dict[str, dict[str, int]]:
    out = {p: {"message": 0, "enum": 0} for p in PACKAGES}
    for key in model:
        kind, _, name = key.partition(" ")
        if kind in ("message", "enum"):
            package = next((p for p in PACKAGES if name.startswith(p + ".")), None)
            if package is not None:
                out[package][kind] += 1
    return out


def rpc_count(model: dict[str, dict]) -> int:
    return sum(1 for key in model if key.startswith("rpc "))


# --------------------------------------------------------------------------------------------------------
# Fixtures


def read_ours() -> descriptor_pb2.FileDescriptorSet:
    return descriptor_pb2.FileDescriptorSet.FromString(OURS.read_bytes())


@functools.cache
def _run_official_dump(python: str) -> dict:
    # -I: isolated mode, so neither this repo's generated/ nor PYTHONPATH can shadow the official packages.
    proc = subprocess.run(
        [python, "-I", str(DUMP_SCRIPT)], capture_output=True, text=True, timeout=300, cwd=DUMP_SCRIPT.parent
    )
    if proc.returncode != 0:
        pytest.fail(f"{DUMP_SCRIPT.name} failed under {python}:\n{proc.stderr}", pytrace=False)
    return json.loads(proc.stdout)


def official_dump() -> dict:
    """Runs dump_official.py once under the official client's interpreter. Called from the tests' bodies (not
    a fixture), so that a missing interpreter is a test failure rather than a setup error."""
    return _run_official_dump(official_python())


@functools.cache
def _official_model(python_key: str) -> dict[str, dict]:
    dump = official_dump()
    fds = descriptor_pb2.FileDescriptorSet.FromString(base64.b64decode(dump["file_descriptor_set"]))
    return describe(fds, official=True, rpcs=dump["rpcs"])


def official_model() -> dict[str, dict]:
    return _official_model(os.environ.get("CHATSVC_OFFICIAL_PYTHON", ""))


@functools.cache
def our_model() -> dict[str, dict]:
    return describe(read_ours())


# --------------------------------------------------------------------------------------------------------
# Tests


def test_official_versions():
    versions = official_dump()["versions"]
    assert versions["google-apps-chat"] == "0.10.7"
    assert versions["google-apps-card"] == "0.7.1"


def test_counts():
    assert rpc_count(official_model()) == EXPECTED_RPCS
    assert rpc_count(our_model()) == EXPECTED_RPCS
    assert counts(official_model()) == EXPECTED_COUNTS
    assert counts(our_model()) == EXPECTED_COUNTS


def test_descriptors_match_official():
    diffs = compare(official_model(), our_model())
    assert not diffs, f"{len(diffs)} difference(s) between the official client and ours:\n" + "\n".join(diffs)


# --------------------------------------------------------------------------------------------------------
# The comparer itself must be able to fail.


def _find_message(fds, full_name: str) -> descriptor_pb2.DescriptorProto:
    for file in fds.file:
        for m in file.message_type:
            if f"{file.package}.{m.name}" == full_name:
                return m
    raise KeyError(full_name)


def test_comparer_reports_every_alteration():
    pristine = read_ours()
    altered = copy.deepcopy(pristine)

    # 1. a changed field number
    message = _find_message(altered, "google.chat.v1.Message")
    text = next(f for f in message.field if f.name == "text")
    old_number = text.number
    text.number = 999
    # 2. a missing enum value
    space = _find_message(altered, "google.chat.v1.Space")
    space_type = next(e for e in space.enum_type if e.name == "SpaceType")
    group_chat = next(v for v in space_type.value if v.name == "GROUP_CHAT")
    space_type.value.remove(group_chat)
    # 3. a changed HTTP path
    service = next(s for f in altered.file for s in f.service if s.name == "ChatService")
    get_message = next(m for m in service.method if m.name == "GetMessage")
    options = descriptor_pb2.MethodOptions.FromString(get_message.options.SerializeToString())
    options.Extensions[annotations_pb2.http].get = "/v1/{name=spaces/*/messages/*}/altered"
    get_message.options.ParseFromString(options.SerializeToString())

    diffs = compare(describe(pristine), describe(altered))

    assert f"differs: field google.chat.v1.Message.text: number: official={old_number} ours=999" in diffs
    assert any(d.startswith("missing in ours: enum value google.chat.v1.Space.SpaceType.GROUP_CHAT ") for d in diffs)
    assert any(d.startswith("differs: rpc google.chat.v1.ChatService.GetMessage: http: ") for d in diffs)
    assert len(diffs) == 3, "\n".join(diffs)
    assert compare(describe(pristine), describe(pristine)) == []


def test_official_field_name_normalisation():
    assert _official_field_name("type_", "type") == "type"
    assert _official_field_name("name", "name") == "name"
    assert _official_field_name("odd_", "odd_") == "odd_"  # json_name keeps the underscore: a real name
