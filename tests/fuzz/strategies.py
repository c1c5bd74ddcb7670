"""Hypothesis strategies that build hostile requests for any RPC from its request message's descriptor.

Strings come from the world's real resource names and page tokens, mutations of them, each list RPC's
filter vocabulary mixed with garbage, unicode edge cases and oversized values; enums may be out of range,
update masks name real, nested and made-up paths. Besides well-formed messages, a request may be sent as
raw bytes: several members of a oneof on the wire at once, or a valid encoding with bytes flipped,
inserted or deleted (which may be no valid message at all)."""
from __future__ import annotations

import re
import time
from functools import cache

from google.api import resource_pb2
from hypothesis import strategies as st

from tests.fuzz.calls import SERVICES
from tests.fuzz.templates import template
from tests.fuzz.world import World, is_repeated

MAX_DEPTH = 3  # nested messages deeper than this stay unset (cards nest without end)
BIG = 100_000  # an oversized string: far above every documented limit, far below gRPC's 4 MB

EDGE_STRINGS = [
    "", " ", "  \t\n", "\x00", "a\x00b", "\u0301", "e\u0301\u0301\u0301", "\u202eevil\u202c",
    "\u200f\u05e9\u05dc\u05d5\u05dd", "\u0627\u0644\u0633\u0644\u0627\u0645", "🙂", "👨\u200d👩\u200d👧\u200d👦",
    "🏳️\u200d🌈", "\ufeff", "\uffff", "\U0010ffff", "𝕏𝕪𝕫", "İı", "ß", "..", "../..", "./", "%2F", "%2e%2e",
    "%00", "*", "-", "me", "'", '"', "\\", "'; --", "%", "_", "null", "NaN", "0", "-1", "9" * 40,
    "\u2028", "ﬀ", "Å", "A\u030a",
]
# Each list or search RPC's filter / query vocabulary (fields, operators, values), from its grammar.
FILTER_WORDS = {
    "ListMemberships": ["member.type", "role", '"HUMAN"', '"BOT"', '"ROLE_MEMBER"', '"ROLE_MANAGER"',
                        '"ROLE_ASSISTANT_MANAGER"', "=", "!=", "AND", "OR"],
    "ListReactions": ["emoji.unicode", "emoji.custom_emoji.uid", "user.name", '"🙂"', '"users/me"', "=", "AND",
                      "OR"],
    "ListMessages": ["create_time", "thread.name", '"2023-01-01T00:00:00Z"', ">", "<", ">=", "<=", "=", "AND"],
    "ListSpaceEvents": ["start_time", "end_time", "event_types", '"google.workspace.chat.message.v1.created"',
                        '"2023-01-01T00:00:00+00:00"', ":", ">", "<", "AND", "OR", "(", ")"],
    "ListSectionItems": ["space", '"spaces/AAAA"', "=", "AND", "NOT"],
    "SearchMessages": ["keywords", "sender.name", "space.name", "space.display_name", "space.space_type",
                       "has_link", "attachment", "unread", "create_time", "annotations.user_mentions.user.name",
                       '"SPACE"', '"DIRECT_MESSAGE"', "true", "false", "=", ":", "AND", "OR", "NOT", "(", ")"],
    "SearchSpaces": ["customer", '"customers/my_customer"', "space_type", '"SPACE"', "display_name", "HAS",
                     "external_user_allowed", "space_history_state", '"HISTORY_ON"', "create_time",
                     "last_active_time", "membership_count.joined_direct_human_user_count", "=", ">", ":",
                     "AND", "OR", "NOT", "true", "1"],
    "ListSpaces": ["space_type", '"SPACE"', '"GROUP_CHAT"', '"DIRECT_MESSAGE"', "=", "OR", "AND"],
    "ListContacts": ["tag", "list", '"vip"', '"brands/x/lists/y"', "="],
}
GENERIC_FILTER_WORDS = ["=", "!=", ":", "<", ">", "AND", "OR", "NOT", "(", ")", "-", '""', '"', "*", "name",
                        "create_time", '"2023-13-45T99:99:99Z"', "1e999", "\\", "'", "%", "_"]
ORDER_WORDS = ["create_time", "last_active_time", "membership_count.joined_direct_human_user_count",
               "relevance", "asc", "desc", "ASC", "DESC", ","]
INT32 = [0, 1, -1, 2, 7, 100, 1000, 1001, 2**31 - 1, -(2**31)]
INT64 = [*INT32, 2**63 - 1, -(2**63), 253402300800, -62135596801]
UINT = [0, 1, 2**32 - 1]


SANE_WORDS = ["Hello", "fuzz", "vip", "Buyers", "c1@example.com", "fuzz-member@example.com", "🙂", "Subject",
              "<p>Hi</p>", "https://example.com", "brand-1", "request-1"]


def _resource_patterns() -> dict[str, list[str]]:
    """Every resource type the services' messages declare (google.api.resource) -> its name patterns."""
    found: dict[str, list[str]] = {}
    seen: set[str] = set()

    def visit(message) -> None:
        if message.full_name in seen:
            return
        seen.add(message.full_name)
        options = message.GetOptions()
        if options.HasExtension(resource_pb2.resource):
            resource = options.Extensions[resource_pb2.resource]
            found.setdefault(resource.type, []).extend(resource.pattern)
        for field in message.fields:
            if field.message_type is not None:
                visit(field.message_type)

    for service in SERVICES:
        for method in service.methods:
            visit(method.input_type)
            visit(method.output_type)
    return found


def _pattern_regex(pattern: str) -> str:
    return re.sub(r"\{[^}]+\}", "[^/]+", pattern)


@cache
def name_patterns(field) -> tuple[str, ...]:
    """The patterns a real value of a string field follows, from its google.api.resource_reference: the
    referenced type's patterns, or for a `child_type` the patterns of the child's parent."""
    options = field.GetOptions()
    if not options.HasExtension(resource_pb2.resource_reference):
        return ()
    reference = options.Extensions[resource_pb2.resource_reference]
    patterns = _resource_patterns()
    if reference.type:
        return tuple(patterns.get(reference.type, []))
    return tuple(p.rsplit("/", 2)[0] for p in patterns.get(reference.child_type, []) if "/" in p)


@cache
def name_regex(field) -> re.Pattern | None:
    wanted = [_pattern_regex(p) for p in name_patterns(field)]
    return re.compile("^(" + "|".join(wanted) + ")$") if wanted else None


def fitting_names(field, world: World) -> list[str]:
    """Real names for `field`: the pool's names of the right shape, and names built from its patterns with
    ids the pool holds for each collection (`users/{user}/availability` from `users/123`)."""
    regex = name_regex(field)
    if regex is None:
        return []
    found = [n for n in world.names if regex.match(n)]
    ids: dict[str, set[str]] = {"users": {"me"}}
    for name in world.names:
        parts = name.split("/")
        for collection, value in zip(parts[::2], parts[1::2], strict=False):
            ids.setdefault(collection, set()).add(value)
    for pattern in name_patterns(field):
        parts = pattern.split("/")
        choices = [sorted(ids.get(parts[i - 1], ())) if part.startswith("{") else [part]
                   for i, part in enumerate(parts)]
        if all(choices):
            found.append("/".join(c[0] for c in choices))
            found.append("/".join(c[-1] for c in choices))
    return sorted(set(found))


def _words(draw, words: list[str]) -> str:
    tokens = draw(st.lists(st.one_of(st.sampled_from(words), st.sampled_from(EDGE_STRINGS), st.text(max_size=8)),
                           min_size=1, max_size=9))
    return draw(st.sampled_from([" ", "", "  "])).join(tokens)


@st.composite
def filter_text(draw, method: str, world: World) -> str:
    words = FILTER_WORDS.get(method, []) + GENERIC_FILTER_WORDS
    if world.names:
        words = words + [f'"{draw(st.sampled_from(world.names))}"']
    if draw(st.booleans()):  # shaped like the grammar: field op value, joined
        words_only = FILTER_WORDS.get(method) or GENERIC_FILTER_WORDS
        clauses = draw(st.lists(st.tuples(st.sampled_from(words_only), st.sampled_from(["=", ":", ">", "<", "!="]),
                                          st.sampled_from(words)), min_size=1, max_size=4))
        glue = draw(st.sampled_from([" AND ", " OR ", " ", " AND NOT "]))
        return glue.join(" ".join(clause) for clause in clauses)
    return _words(draw, words)


def _truncate(draw, value: str) -> str:
    return value[:draw(st.integers(0, max(len(value) - 1, 0)))]


def _insert(draw, value: str, extra: str) -> str:
    at = draw(st.integers(0, len(value)))
    return value[:at] + extra + value[at:]


@st.composite
def mutated(draw, value: str) -> str:
    """`value` changed in one or two of the ways names and tokens get mangled."""
    for _ in range(draw(st.integers(1, 2))):
        how = draw(st.sampled_from(["truncate", "segment", "dotdot", "escape", "case", "space", "edge", "long",
                                    "slashes", "drop_head", "flip"]))
        if how == "truncate":
            value = _truncate(draw, value)
        elif how == "segment":
            value += "/" + draw(st.sampled_from(["x", "", "messages", "..", "*", "-", "members/me"]))
        elif how == "dotdot":
            value = value.replace("/", "/../", 1) if draw(st.booleans()) else value + "/.."
        elif how == "escape":
            value = value.replace("/", draw(st.sampled_from(["%2F", "%2f", "\\", "//"])))
        elif how == "case":
            value = draw(st.sampled_from([value.upper(), value.lower(), value.swapcase(), value.title()]))
        elif how == "space":
            value = draw(st.sampled_from([" ", "\t", "\n", "\u00a0", "\u3000"])) + value + " "
        elif how == "edge":
            value = _insert(draw, value, draw(st.sampled_from(EDGE_STRINGS)))
        elif how == "long":
            value = value + "a" * draw(st.sampled_from([300, 5000, BIG]))
        elif how == "slashes":
            value = "/" + value.replace("/", "//")
        elif how == "drop_head":
            value = value.partition("/")[2]
        elif value:  # flip one character
            at = draw(st.integers(0, len(value) - 1))
            value = value[:at] + chr((ord(value[at]) ^ draw(st.integers(1, 127))) or 1) + value[at + 1:]
    return value


def _pooled(pool: list[str]):
    return st.sampled_from(pool) if pool else st.just("")


def string_value(field, method: str, world: World, sane: bool):
    name = field.name
    fitting = fitting_names(field, world)
    if sane:
        if name in ("filter", "query"):
            return st.one_of(st.just(""), filter_text(method, world))
        if name == "order_by":
            return st.sampled_from(["", "create_time desc", "create_time asc"])
        if name == "page_token":
            return st.one_of(st.just(""), _pooled(world.page_tokens))
        if fitting:
            return st.sampled_from(fitting)
        if name in ("name", "parent") or name.endswith(("_name", "user", "space", "message")):
            return _pooled(world.names)
        return st.sampled_from(SANE_WORDS)
    garbage = st.one_of(st.sampled_from(EDGE_STRINGS), st.text(max_size=40),
                        st.sampled_from(["a", "é", "🙂", "\x00"]).flatmap(lambda c: st.just(c * BIG)))
    names = _pooled(world.names)
    if name in ("filter", "query"):
        return st.one_of(filter_text(method, world), garbage)
    if name == "order_by":
        return st.one_of(st.lists(st.sampled_from(ORDER_WORDS), max_size=4).map(" ".join), garbage)
    if name == "page_token":
        return st.one_of(_pooled(world.page_tokens), _pooled(world.page_tokens).flatmap(mutated), garbage,
                         st.binary(max_size=60).map(lambda b: b.hex()))
    if fitting:
        return st.one_of(st.sampled_from(fitting), st.sampled_from(fitting).flatmap(mutated), names, garbage)
    return st.one_of(names, names, names.flatmap(mutated), garbage)


def _sane_scalar(field, method: str, world: World):
    t = field.type
    if t == field.TYPE_STRING:
        return string_value(field, method, world, sane=True)
    if t == field.TYPE_BYTES:
        return st.binary(max_size=16)
    if t == field.TYPE_BOOL:
        return st.booleans()
    if t == field.TYPE_ENUM:
        known = [v.number for v in field.enum_type.values]
        return st.sampled_from([n for n in known if n] or known)
    if t in (field.TYPE_FLOAT, field.TYPE_DOUBLE):
        return st.floats(0, 100)
    return st.integers(0, 50)


def _scalar(field, method: str, world: World, sane: bool = False):
    if sane:
        return _sane_scalar(field, method, world)
    t = field.type
    if t == field.TYPE_STRING:
        return string_value(field, method, world, sane=False)
    if t == field.TYPE_BYTES:
        return st.one_of(st.binary(max_size=64), st.sampled_from([b"\x00" * BIG, b"\xff" * 1024]))
    if t == field.TYPE_BOOL:
        return st.booleans()
    if t == field.TYPE_ENUM:
        known = [v.number for v in field.enum_type.values]
        return st.one_of(st.sampled_from(known), st.sampled_from([-1, max(known) + 1, 999, 2**31 - 1]))
    if t in (field.TYPE_FLOAT, field.TYPE_DOUBLE):
        return st.floats(allow_nan=True, allow_infinity=True, width=32 if t == field.TYPE_FLOAT else 64)
    if t in (field.TYPE_INT64, field.TYPE_SINT64, field.TYPE_SFIXED64):
        return st.one_of(st.sampled_from(INT64), st.integers(-(2**63), 2**63 - 1))
    if t in (field.TYPE_UINT64, field.TYPE_FIXED64):
        return st.one_of(st.sampled_from(UINT + [2**64 - 1]), st.integers(0, 2**64 - 1))
    if t in (field.TYPE_UINT32, field.TYPE_FIXED32):
        return st.one_of(st.sampled_from(UINT), st.integers(0, 2**32 - 1))
    return st.one_of(st.sampled_from(INT32), st.integers(-(2**31), 2**31 - 1))


def _mask_paths(draw, resource, sane: bool) -> list[str]:
    real = [f.name for f in resource.fields] if resource is not None else []
    nested = [f"{f.name}.{g.name}" for f in (resource.fields if resource is not None else [])
              if f.type == f.TYPE_MESSAGE for g in f.message_type.fields[:3]]
    camel = ["".join(w.title() if i else w for i, w in enumerate(p.split("_"))) for p in real]
    if sane and real:
        return draw(st.lists(st.sampled_from(real), min_size=1, max_size=3, unique=True))
    choices = real + real + nested + camel + ["*", "", ".", "name", "bogus", "a.b.c", "update_time", "create_time"]
    return draw(st.lists(st.one_of(st.sampled_from(choices), st.sampled_from(EDGE_STRINGS)), max_size=5))


def _fill_message(draw, message, method: str, world: World, depth: int, resource=None, sane: bool = False,
                  sparse: bool = False) -> None:
    """Sets a random subset of `message`'s fields, recursively."""
    descriptor = message.DESCRIPTOR
    if descriptor.full_name == "google.protobuf.FieldMask":
        message.paths.extend(_mask_paths(draw, resource, sane))
        return
    if sane and descriptor.full_name == "google.protobuf.Timestamp":
        message.seconds = int(time.time()) + draw(st.integers(-86400 * 30, 86400 * 30))
        return
    if descriptor.full_name in ("google.protobuf.Timestamp", "google.protobuf.Duration"):
        message.seconds = draw(st.one_of(st.sampled_from(INT64), st.integers(-(2**40), 2**40)))
        message.nanos = draw(st.sampled_from([0, 1, 999_999_999, 1_000_000_000, -1, 2**31 - 1]))
        return
    # The request's resource (its first message field that is not a mask): what an update mask should name.
    resource = next((f.message_type for f in descriptor.fields if f.type == f.TYPE_MESSAGE
                     and f.message_type.full_name != "google.protobuf.FieldMask"), resource) if depth == 0 else resource
    keep_one_in = 6 if sparse else 2 if depth == 0 else (3 if sane else 4)
    for field in descriptor.fields:
        required_name = (sane and not sparse and depth <= 1 and field.type == field.TYPE_STRING
                         and name_regex(field) is not None)
        if not required_name and draw(st.integers(0, keep_one_in - 1)) != 0:
            continue
        if field.type == field.TYPE_MESSAGE:
            if depth >= MAX_DEPTH:
                continue
            target = getattr(message, field.name)
            if field.message_type.GetOptions().map_entry:
                value_field = field.message_type.fields_by_name["value"]
                for _ in range(draw(st.integers(0, 2))):
                    key = draw(st.sampled_from(EDGE_STRINGS + ["k"]))
                    if value_field.type == value_field.TYPE_MESSAGE:
                        _fill_message(draw, target[key], method, world, depth + 1, resource, sane)
                    else:
                        _set(target, key, draw(_scalar(value_field, method, world, sane)))
            elif is_repeated(field):
                for _ in range(draw(st.integers(0, 3))):
                    _fill_message(draw, target.add(), method, world, depth + 1, resource, sane)
            else:
                target.SetInParent()
                _fill_message(draw, target, method, world, depth + 1, resource, sane, sparse)
        elif is_repeated(field):
            longest = 3 if sane else draw(st.sampled_from([3, 3, 60]))
            values = draw(st.lists(_scalar(field, method, world, sane), max_size=longest))
            for value in values:
                _append(getattr(message, field.name), value)
        else:
            _setattr(message, field.name, draw(_scalar(field, method, world, sane)))


def _setattr(message, name, value) -> None:
    try:
        setattr(message, name, value)
    except ValueError:  # a closed enum refuses unknown numbers: send a known one instead
        setattr(message, name, 0)


def _append(repeated, value) -> None:
    try:
        repeated.append(value)
    except ValueError:
        pass


def _set(mapping, key, value) -> None:
    try:
        mapping[key] = value
    except ValueError:
        pass


@st.composite
def request_message(draw, request_class, method: str, world: World, admin: bool = False, sane: bool = False):
    """A request with a random subset of fields set: hostile values, or (`sane`) values close to real ones,
    which get past validation and reach the storage layer."""
    message = request_class()
    _fill_message(draw, message, method, world, 0, sane=sane)
    if admin and "use_admin_access" in request_class.DESCRIPTOR.fields_by_name and draw(st.booleans()):
        message.use_admin_access = True
    return message


def _oneof_clash(draw, request_class, method: str, world: World, base) -> bytes:
    """`base` followed on the wire by one message per member of each oneof it has (top level and one level
    down): a parser keeps the last, a careless one might keep several."""
    wire = base.SerializeToString()
    holders = [(None, base)] + [(f, getattr(base, f.name)) for f in base.DESCRIPTOR.fields
                                if f.type == f.TYPE_MESSAGE and not is_repeated(f)]
    for outer, holder in holders:
        for oneof in holder.DESCRIPTOR.oneofs:
            for member in draw(st.permutations(list(oneof.fields))):
                single = type(holder)()
                if member.type == member.TYPE_MESSAGE:
                    getattr(single, member.name).SetInParent()
                    _fill_message(draw, getattr(single, member.name), method, world, MAX_DEPTH - 1)
                elif is_repeated(member):
                    continue
                else:
                    _setattr(single, member.name, draw(_scalar(member, method, world)))
                wire += _wrap(outer, single.SerializeToString())
    return wire


def _wrap(outer, inner: bytes) -> bytes:
    """`inner` as it appears in the request: as is, or as the request's message field `outer`."""
    if outer is None:
        return inner
    return _varint((outer.number << 3) | 2) + _varint(len(inner)) + inner


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def _mutate_bytes(draw, wire: bytes) -> bytes:
    data = bytearray(wire)
    for _ in range(draw(st.integers(1, 5))):
        how = draw(st.sampled_from(["flip", "insert", "delete", "truncate", "duplicate", "bad_utf8"]))
        at = draw(st.integers(0, len(data)))
        if how == "flip" and data:
            at = min(at, len(data) - 1)
            data[at] ^= draw(st.integers(1, 255))
        elif how == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=8))
        elif how == "delete":
            del data[at:at + draw(st.integers(1, 8))]
        elif how == "truncate":
            del data[at:]
        elif how == "duplicate":
            data += data[at:at + draw(st.integers(1, 32))]
        elif how == "bad_utf8":  # a length-delimited field 1 holding invalid UTF-8
            junk = draw(st.sampled_from([b"\xff\xfe", b"\xc0\xaf", b"\xed\xa0\x80", b"a\x80b"]))
            data += _varint((draw(st.integers(1, 9)) << 3) | 2) + _varint(len(junk)) + junk
    return bytes(data)


@st.composite
def request_bytes(draw, request_class, method: str, world: World, admin: bool = False) -> bytes:
    """One request on the wire: a valid request with a few fields changed (for the RPCs with a template), a
    plausible or hostile message, a oneof clash, or mutated bytes (of a valid request, when there is one)."""
    valid = template(method, world)
    modes = ["sane", "sane", "message", "message", "oneof_clash", "raw"] + (["template"] * 3 if valid else [])
    mode = draw(st.sampled_from(modes))
    if mode == "template" or (valid is not None and mode == "raw" and draw(st.booleans())):
        change = request_class()
        _fill_message(draw, change, method, world, 0, sane=draw(st.booleans()), sparse=True)
        valid.MergeFrom(change)
        if admin and "use_admin_access" in request_class.DESCRIPTOR.fields_by_name and draw(st.booleans()):
            valid.use_admin_access = True
        return valid.SerializeToString() if mode == "template" else _mutate_bytes(draw, valid.SerializeToString())
    message = draw(request_message(request_class, method, world, admin, sane=mode == "sane"))
    if mode == "oneof_clash":
        return _oneof_clash(draw, request_class, method, world, message)
    if mode == "raw":
        return _mutate_bytes(draw, message.SerializeToString())
    return message.SerializeToString()
