#!/usr/bin/env bash
# Regenerates generated/ from protos/ with the pinned grpcio-tools: Python messages, gRPC stubs, type
# stubs, and a self-contained descriptor set (every import included) for reflection-less tools and other
# languages. The output is deterministic, so `git diff generated/` after this is empty unless protos/ moved.
set -euo pipefail
py=${PYTHON:-.venv/bin/python}
out=${1:-generated}
includes=$("$py" - <<'PY'
import os, grpc_tools
import google.api.annotations_pb2 as a
print(os.path.dirname(os.path.dirname(os.path.dirname(a.__file__))))  # googleapis-common-protos protos
print(os.path.join(os.path.dirname(grpc_tools.__file__), "_proto"))           # google/protobuf/*.proto
PY
)
args=(-Iprotos)
while read -r dir; do args+=("-I$dir"); done <<<"$includes"
rm -rf "$out/google" "$out/chatsvc" "$out/descriptor_set.binpb"
mkdir -p "$out"
mapfile -t files < <(cd protos && find . -name '*.proto' | sed 's|^\./||' | LC_ALL=C sort)
"$py" -m grpc_tools.protoc "${args[@]}" \
  --python_out="$out" --pyi_out="$out" --grpc_python_out="$out" \
  --descriptor_set_out="$out/descriptor_set.binpb" --include_imports --include_source_info \
  "${files[@]}"
