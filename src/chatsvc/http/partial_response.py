"""The `fields` system parameter: a partial response keeps only the fields selected.

    fields := selection ("," selection)* ;  selection := name ("/" name)* ["(" fields ")"] ;  name := * | IDENT

`a,b/c,d(e,f)` keeps `a`, `c` inside `b`, and `e` and `f` inside `d`; a selection inside a repeated field
applies to each element. Names are checked against the response message (JSON or proto spelling), so a typo
is INVALID_ARGUMENT rather than a silently empty answer; `*` keeps everything at its level.
"""
from __future__ import annotations

import re

from google.protobuf.descriptor import Descriptor, FieldDescriptor

from chatsvc.domain.errors import InvalidArgument

Selection = dict[str, "Selection | None"]  # name -> what to keep inside it (None: all of it)
MAX_DEPTH = 32  # far deeper than any response message
_TOKEN = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*|\*|[,/()])")
# Messages that proto3 JSON writes as a single value: nothing can be selected inside them.
_SCALAR_MESSAGES = {"google.protobuf.Timestamp", "google.protobuf.Duration", "google.protobuf.FieldMask",
                    "google.protobuf.Struct", "google.protobuf.Value", "google.protobuf.ListValue",
                    "google.protobuf.Any"} | {f"google.protobuf.{kind}Value" for kind in (
                        "Double", "Float", "Int64", "UInt64", "Int32", "UInt32", "Bool", "String", "Bytes")}


def _refuse(fields: str, why: str) -> InvalidArgument:
    return InvalidArgument.field("fields", f"invalid field selection `{fields}`: {why}")


def parse(fields: str) -> Selection:
    tokens, position = [], 0
    while position < len(fields):
        if fields[position:].strip() == "":
            break
        found = _TOKEN.match(fields, position)
        if not found:
            raise _refuse(fields, f"unexpected character at {position}")
        tokens.append(found.group(1))
        position = found.end()
    selection, rest = _selections(tokens, fields, 0)
    if rest:
        raise _refuse(fields, f"unexpected `{rest[0]}`")
    return selection


def _selections(tokens: list[str], fields: str, depth: int) -> tuple[Selection, list[str]]:
    if depth > MAX_DEPTH:  # each `(` recurses: a hostile selection must not exhaust the stack
        raise _refuse(fields, f"more than {MAX_DEPTH} levels of `(`")
    out: Selection = {}
    while True:
        if not tokens or tokens[0] in ",/()":
            raise _refuse(fields, "a field name is missing")
        path = [tokens.pop(0)]
        while tokens and tokens[0] == "/":
            tokens.pop(0)
            if not tokens or tokens[0] in ",/()":
                raise _refuse(fields, "a field name is missing after `/`")
            path.append(tokens.pop(0))
        inner: Selection | None = None
        if tokens and tokens[0] == "(":
            inner, tokens = _selections(tokens[1:], fields, depth + 1)
            if not tokens or tokens[0] != ")":
                raise _refuse(fields, "`(` is not closed")
            tokens = tokens[1:]
        _merge(out, path, inner)
        if not tokens or tokens[0] != ",":
            return out, tokens
        tokens.pop(0)


def _merge(out: Selection, path: list[str], inner: Selection | None) -> None:
    for name in path[:-1]:
        if name in out and out[name] is None:
            return  # already kept whole
        out = out.setdefault(name, {})
    last = path[-1]
    if inner is None or (last in out and out[last] is None):
        out[last] = None
    else:
        existing = out.setdefault(last, {})
        for key, value in inner.items():
            _merge(existing, [key], value)


def check(selection: Selection, message: Descriptor, fields: str) -> Selection:
    """`selection` with every name as the response's JSON spells it (`display_name` -> `displayName`), or
    INVALID_ARGUMENT naming the first selected name that `message` does not have."""
    checked: Selection = {}
    for name, inner in selection.items():
        if name == "*":
            checked[name] = inner
            continue
        field = _field(message, name)
        if field is None:
            raise _refuse(fields, f"`{message.name}` has no field `{name}`")
        if inner is not None:
            target = field.message_type
            if field.type != FieldDescriptor.TYPE_MESSAGE or target.full_name in _SCALAR_MESSAGES:
                raise _refuse(fields, f"`{name}` has no fields to select")
            if not target.GetOptions().map_entry:  # a map's keys are data, not fields
                inner = check(inner, target, fields)
        _merge(checked, [field.json_name], inner)
    return checked


def _field(message: Descriptor, name: str) -> FieldDescriptor | None:
    for field in message.fields:
        if name in (field.json_name, field.name):
            return field
    return None


def apply(selection: Selection, value):
    """`value` (a JSON object, or a list of them) with only the selected fields."""
    if isinstance(value, list):
        return [apply(selection, item) for item in value]
    if not isinstance(value, dict) or "*" in selection and selection["*"] is None:
        return value
    kept = {}
    for key, item in value.items():
        inner = selection.get(key, selection.get("*", False))
        if inner is False:
            continue
        kept[key] = item if inner is None else apply(inner, item)
    return kept
