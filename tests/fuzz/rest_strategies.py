"""Hypothesis strategies for the REST leg: a request message as the gRPC leg makes them (strategies.py,
templates.py), turned into the HTTP request Google's clients would send for it (tests/http/rest_calls.py),
then, most of the time, damaged in one or two of the ways HTTP/JSON can be damaged:

- the body: malformed JSON (cut, garbage, invalid UTF-8, not an object, deeply nested), unknown fields at the
  top or inside, values of the wrong JSON type, enum names that do not exist, a huge value or a body over the
  server's limit, the wrong content type;
- the query: unknown parameters, repeated singular ones, bad booleans and numbers, parameters for fields the
  path or body binds, message and map fields as parameters, bad enum names, many parameters;
- the path: extra, missing and empty segments, dot segments, unknown `:verb`s, garbage in variables, weird
  percent-encodings (`%`, `%ZZ`, `%00`, `%2F`, overlong UTF-8, `%252F`);
- system parameters (`alt`, `prettyPrint`, `fields`, `$.xgafv`, `callback`, `key`, `access_token`, ...);
- the method (another verb, X-HTTP-Method-Override), the Authorization header, and Content-Encoding (a gzip
  or deflate body, or one that does not decode as its encoding says).

Everything stays inside what an HTTP server parses before it reaches the application (a request line under
8 KiB, no raw control characters): a request the HTTP parser itself refuses never reaches chatsvc's code.
"""
from __future__ import annotations

import gzip
import json
import urllib.parse
import zlib
from dataclasses import dataclass, field

from google.protobuf import json_format
from hypothesis import strategies as st

from tests.fuzz.calls import Rpc
from tests.fuzz.strategies import EDGE_STRINGS, _fill_message, fitting_names, request_message
from tests.fuzz.templates import template
from tests.fuzz.world import World
from tests.http.rest_calls import HttpRequest, _segment_fits, build, render_path, rules_of

MAX_BODY = 8 * 1024 * 1024  # the server's default limit (CHATSVC_MAX_RECEIVE_MESSAGE_BYTES)
MAX_TARGET = 6000  # characters of path and query: under the HTTP parser's 8 KiB request line
PERCENT = ["%", "%2", "%ZZ", "%zz", "%00", "%2F", "%2f", "%252F", "%C0%AF", "%FF", "%FF%FE", "%E2%80%AE", "%ED%A0%80",
           "%u0041", "%7B", "%7D", "%3A", "%3a", "%20", "%0A", "%0D%0A", "+", "%2E%2E", "%F0%9F%99%82", "%5C"]
WRONG_VALUES = [None, True, False, 0, -1, 1.5, 1e308, -1e308, 2**64, "", "x", "NaN", "Infinity", "-0", "1e400",
                "99999999999999999999999", [], [1, "a"], {}, {"a": 1}, "\u0000", "🙂" * 50, "2023-13-45T99:99:99Z"]
SYSTEM = [("alt", "xml"), ("alt", "proto"), ("alt", "json;enum-encoding=int"), ("alt", ""), ("$alt", "json"),
          ("alt", "media"), ("prettyPrint", "maybe"), ("prettyPrint", "false"), ("$prettyPrint", "true"),
          ("$.xgafv", "3"), ("$.xgafv", "1"), (".xgafv", "x"), ("callback", "cb"), ("key", "AIza-garbage"),
          ("quotaUser", "q"), ("access_token", "garbage"), ("oauth_token", ""), ("upload_protocol", "raw"),
          ("uploadType", "media"), ("userIp", "1.2.3.4"), ("fields", "")]
FIELDS = ["*", "name", "name,displayName", "bogus", "a((", "(", ")", ",", "a/b/c", "nextPageToken,*", "name()",
          "🙂", "%", "a" * 2000, "a(" * 40 + "a" + ")" * 40, "*(name)", "name/name", " name , * ", "a,,b"]
CONTENT_TYPES = ["text/plain", "multipart/form-data; boundary=x", "application/json; charset=latin-1", "",
                 "application/x-www-form-urlencoded", "application/merge-patch+json", "application/x-protobuf",
                 "APPLICATION/JSON", "application/json;;;", "*/*"]
METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"]
MUTATIONS = ["malformed_json", "unknown_field", "wrong_type", "bad_enum", "bad_query", "garbage_path", "percent",
             "huge", "system", "content_type", "method", "auth", "encoding"]
# (Not a list such as `gzip, deflate`: aiohttp's HTTP parser refuses that itself, before chatsvc sees the request.)
ENCODINGS = ["gzip", "deflate", "x-gzip", "identity", "bogus", ""]


@dataclass
class Sent:
    """One HTTP request as it goes on the wire."""

    http_method: str
    target: str  # percent-encoded path and query
    headers: list[tuple[str, str]]
    body: bytes | None
    content_type: str | None = "application/json"
    mutations: list[str] = field(default_factory=list)
    routed: bool = True  # the path's values fit the method's binding (else the URL may name another method)
    fresh: bool = False  # sent on a connection of its own (the server may close it: a body it cannot decode)

    @property
    def strict_answer(self) -> bool:
        """A success must parse as the method's response message: the request still names the method's
        route and asks for the default representation."""
        return self.routed and not {"garbage_path", "percent", "method", "system"} & set(self.mutations)

    def text(self) -> str:
        """What the request carried, to tell a message quoting it from a leak."""
        body = self.body[:200_000].decode("utf-8", "replace") if self.body else ""
        return (urllib.parse.unquote(self.target) + " " + body + " " + " ".join(v for _, v in self.headers)).lower()


def _message(draw, rpc: Rpc, world: World, admin: bool):
    name = rpc.method.name
    valid = template(name, world)
    mode = draw(st.sampled_from(["sane", "sane", "message"] + (["template"] * 2 if valid is not None else [])))
    if mode == "template":
        change = rpc.request_class()
        _fill_message(draw, change, name, world, 0, sane=draw(st.booleans()), sparse=True)
        valid.MergeFrom(change)
        return valid
    return draw(request_message(rpc.request_class, name, world, admin, sane=mode == "sane"))


def _value(message, dotted: str):
    for part in dotted.split("."):
        message = getattr(message, part)
    return message


def _fit_path(draw, rpc: Rpc, message, world: World) -> None:
    """Mostly, a path variable whose value no route of the method takes gets a real name that fits (else
    nearly every request would be the router's 404, and never reach the method)."""
    for name, pattern in rules_of(rpc.method)[0].variables:
        *parents, leaf = name.split(".")
        holder = message
        for part in parents:
            holder = getattr(holder, part)
        value = getattr(holder, leaf)
        if _segment_fits(pattern, value) or draw(st.integers(0, 3)) == 0:
            continue
        fitting = [n for n in world.names + fitting_names(holder.DESCRIPTOR.fields_by_name[leaf], world)
                   if _segment_fits(pattern, n)]
        if fitting:
            setattr(holder, leaf, draw(st.sampled_from(sorted(set(fitting)))))


def _built(rpc: Rpc, message) -> tuple[HttpRequest, object]:
    """The HTTP request of `message` (or, when a value has no JSON form, such as an out-of-range time, of an
    empty request), and the message it was made from."""
    try:
        made = build(rpc.path, message, strict=False)
    except (ValueError, TypeError, json_format.Error):
        message = rpc.request_class()
        made = build(rpc.path, message, strict=False)
    if len(made.target) > MAX_TARGET:  # keep under the request line limit: long values travel in the body
        made.query = [(k, v[:200]) for k, v in made.query]
        if len(made.target) > MAX_TARGET:
            made.path, made.query = made.path[:MAX_TARGET // 2], made.query[:20]
    return made, message


def _body_document(made: HttpRequest):
    if made.body is None:
        return None
    try:
        return json.loads(made.body)
    except ValueError:
        return None


def _paths_in(document, prefix=()) -> list[tuple]:
    """Every place in a JSON document a value sits at (dict keys and list indexes)."""
    found = []
    if isinstance(document, dict):
        for key, value in document.items():
            found.append((*prefix, key))
            found.extend(_paths_in(value, (*prefix, key)))
    elif isinstance(document, list):
        for index, value in enumerate(document[:5]):
            found.append((*prefix, index))
            found.extend(_paths_in(value, (*prefix, index)))
    return found


def _set_at(document, path: tuple, value):
    target = document
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value


def _mutate_body(draw, made: HttpRequest, how: str) -> bytes | None:
    document = _body_document(made)
    if how == "malformed_json":
        raw = made.body or b"{}"
        choice = draw(st.sampled_from(["cut", "garbage", "utf8", "array", "scalar", "null", "trailing", "nested",
                                       "nested_object", "duplicate", "nan", "empty_key", "bom"]))
        return {
            "cut": lambda: raw[:draw(st.integers(0, max(len(raw) - 1, 0)))],
            "garbage": lambda: draw(st.binary(min_size=1, max_size=64)),
            "utf8": lambda: raw[:-1] + b'"\xc0\xaf\xff"}' if raw.endswith(b"}") else b'{"x": "\xff"}',
            "array": lambda: b"[" + raw + b"]",
            "scalar": lambda: draw(st.sampled_from([b"1", b'"text"', b"true", b"1e999"])),
            "null": lambda: b"null",
            "trailing": lambda: raw + b" {}",
            "nested": lambda: b"[" * 5000 + b"]" * 5000,
            "nested_object": lambda: b'{"a":' * 3000 + b"1" + b"}" * 3000,
            "duplicate": lambda: raw[:-1] + b', "name": 1, "name": "x"}' if raw.endswith(b"}") and len(raw) > 2
            else b'{"name": 1, "name": 2}',
            "nan": lambda: b'{"pageSize": NaN, "x": Infinity}',
            "empty_key": lambda: b'{"": 1}',
            "bom": lambda: b"\xef\xbb\xbf" + raw,
        }[choice]()
    if not isinstance(document, dict):
        document = {}
    if how == "unknown_field":
        places = [p for p in _paths_in(document) if isinstance(_value_at(document, p), dict)]
        place = draw(st.sampled_from([(), *places]))
        key = draw(st.sampled_from(["bogusField", "bogus_field", "@type", "__proto__", "", "name.x", "🙂"]))
        (_value_at(document, place) if place else document)[key] = draw(st.sampled_from(WRONG_VALUES))
    elif how in ("wrong_type", "bad_enum"):
        places = _paths_in(document)
        if places:
            place = draw(st.sampled_from(places))
            value = draw(st.sampled_from(["NOT_AN_ENUM", "unspecified", "1.5", "-1", "", "ROLE_MANAGER " * 3])) \
                if how == "bad_enum" else draw(st.sampled_from(WRONG_VALUES))
            _set_at(document, place, value)
        else:
            document[draw(st.sampled_from(["name", "parent", "pageSize", "filter", "updateMask"]))] = \
                draw(st.sampled_from(WRONG_VALUES))
    elif how == "huge":
        if draw(st.booleans()):
            return b'{"x": "' + b"a" * (MAX_BODY + 1) + b'"}'
        document[draw(st.sampled_from(["text", "displayName", "name", "bogus"]))] = "🙂" * 250_000
    return json.dumps(document, ensure_ascii=draw(st.booleans())).encode()


def _value_at(document, path: tuple):
    for step in path:
        document = document[step]
    return document


def _mutate_query(draw, made: HttpRequest) -> None:
    query = made.query
    how = draw(st.sampled_from(["unknown", "repeat", "bool", "number", "bound", "message", "enum", "empty_key",
                                "many", "nested_repeated", "dots", "camel_and_snake"]))
    if how == "unknown":
        query.append((draw(st.sampled_from(["bogus", "page_sizee", "a.b.c", "$bogus", "__proto__"])), "1"))
    elif how == "repeat":
        query.extend([(draw(st.sampled_from(["pageSize", "filter", "name", "updateMask", "useAdminAccess"])), "1")]
                     * 2)
    elif how == "bool":
        query.append((draw(st.sampled_from(["useAdminAccess", "showDeleted", "force", "allowMissing"])),
                      draw(st.sampled_from(["yes", "1", "TRUE", "", "true ", "null"]))))
    elif how == "number":
        query.append((draw(st.sampled_from(["pageSize", "sortOrder"])),
                      draw(st.sampled_from(["-1", "1e3", "0x10", "1_000", "9" * 30, "", " 1", "1.0", "NaN"]))))
    elif how == "bound":  # a field that the path or the body binds
        query.append((draw(st.sampled_from(["name", "parent", "space.name", "message.text", "space", "message"])),
                      "spaces/AAAA"))
    elif how == "message":
        query.append((draw(st.sampled_from(["space", "message", "updateMask.paths", "customStatus", "attachment"])),
                      "x"))
    elif how == "enum":
        query.append((draw(st.sampled_from(["messageReplyOption", "view", "relativePosition", "provider",
                                            "space.spaceType"])),
                      draw(st.sampled_from(["NOT_AN_ENUM", "-1", "999", "2147483648", "", "reply_message_or_fail"]))))
    elif how == "empty_key":
        query.append(("", draw(st.sampled_from(["", "x"]))))
    elif how == "many":
        query.extend((f"bogus{i}", "x") for i in range(draw(st.sampled_from([50, 400]))))
    elif how == "nested_repeated":
        query.append((draw(st.sampled_from(["memberships.member.name", "recipients.email", "contacts.emails"])), "x"))
    elif how == "dots":
        query.append((draw(st.sampled_from([".", "..", "a.", ".a", "space..name", "space.name."])), "x"))
    else:
        query.extend([("pageSize", "1"), ("page_size", "2")])


def _mutate_path(draw, path: str) -> str:
    how = draw(st.sampled_from(["append", "drop", "double", "dots", "verb", "colon", "garbage", "upper", "long",
                                "empty", "root", "encoded_slash", "trailing_slash"]))
    head, _, tail = path.rpartition("/")
    return {
        "append": lambda: path + "/" + draw(st.sampled_from(["x", "messages", "..", "-", "members/me", ":x"])),
        "drop": lambda: head or "/",
        "double": lambda: path.replace("/", "//", draw(st.integers(1, 3))),
        "dots": lambda: path.replace("/v1/", draw(st.sampled_from(["/v1/../", "/v1/./", "/v2/", "/../v1/"])), 1),
        "verb": lambda: path + ":" + draw(st.sampled_from(["bogus", "search", "move", "", "setup", "completeImport"])),
        "colon": lambda: path.replace(":", draw(st.sampled_from(["%3A", "::", "/:"])), 1) if ":" in path
        else path + ":",
        "garbage": lambda: head + "/" + urllib.parse.quote(draw(st.sampled_from(EDGE_STRINGS) | st.text(max_size=30)),
                                                           safe=""),
        "upper": lambda: path.upper(),
        "long": lambda: path + "/" + "a" * draw(st.sampled_from([300, 3000])),
        "empty": lambda: "",
        "root": lambda: "/",
        "encoded_slash": lambda: path.replace("/", "%2F", draw(st.integers(1, 4))),
        "trailing_slash": lambda: path + "/",
    }[how]()


def _insert_percent(draw, text: str) -> str:
    at = draw(st.integers(0, len(text)))
    return text[:at] + draw(st.sampled_from(PERCENT)) + text[at:]


def _mutate_auth(draw, headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
    how = draw(st.sampled_from(["none", "garbage", "two", "scheme", "empty", "lower"]))
    if how == "none":
        return []
    if how == "garbage":
        token = draw(st.sampled_from(["x", "a.b.c", "e30.e30.", "%00", ".", "a" * 4000]))
        return [("Authorization", "Bearer " + token)]
    if how == "two":
        return headers + [("Authorization", "Bearer second")]
    if how == "scheme":
        return [("Authorization", draw(st.sampled_from(["Basic YTpi", "Token x", "Bearer", "bearer  x"])))]
    if how == "empty":
        return [("Authorization", "")]
    return [(k.lower(), v) for k, v in headers]


@st.composite
def rest_request(draw, rpc: Rpc, world: World, headers: list[tuple[str, str]], admin: bool = False) -> Sent:
    """One HTTP request for `rpc`: well formed, or with one or two REST-specific mutations."""
    message = _message(draw, rpc, world, admin)
    _fit_path(draw, rpc, message, world)
    made, message = _built(rpc, message)
    mutations = draw(st.one_of(st.just([]), st.lists(st.sampled_from(MUTATIONS), min_size=1, max_size=2,
                                                      unique=True)))
    routed = render_path(made.rule, message) == made.path and all(
        _segment_fits(pattern, str(_value(message, name))) for name, pattern in made.rule.variables)
    sent = Sent(made.http_method, "", list(headers), made.body, mutations=list(mutations), routed=routed)
    path = made.path
    for how in mutations:
        if how in ("malformed_json", "unknown_field", "wrong_type", "bad_enum", "huge"):
            if how in ("unknown_field", "wrong_type", "bad_enum") and sent.body is None and draw(st.booleans()):
                _mutate_query(draw, made)  # no body to damage: the query's values instead
            else:
                sent.body = _mutate_body(draw, made, how)
        elif how == "bad_query":
            _mutate_query(draw, made)
        elif how == "garbage_path":
            path = _mutate_path(draw, path)
        elif how == "percent":
            pass  # below, once the target is written
        elif how == "system":
            for _ in range(draw(st.integers(1, 3))):
                key, value = draw(st.sampled_from(SYSTEM))
                if key == "fields" or draw(st.integers(0, 3)) == 0:
                    key, value = "fields", draw(st.sampled_from(FIELDS))
                made.query.append((key, value))
        elif how == "content_type":
            sent.content_type = draw(st.sampled_from(CONTENT_TYPES))
            if sent.body is None:
                sent.body = b"{}"
        elif how == "method":
            other = draw(st.sampled_from(METHODS))
            if draw(st.booleans()):
                sent.headers.append(("X-HTTP-Method-Override", draw(st.sampled_from([*METHODS, "BOGUS", ""]))))
                other = "POST"
            sent.http_method = other
        elif how == "auth":
            sent.headers = _mutate_auth(draw, sent.headers)
        elif how == "encoding":
            encoding = draw(st.sampled_from(ENCODINGS))
            body = sent.body if sent.body is not None else b"{}"
            sent.body = draw(st.sampled_from([body, gzip.compress(body), zlib.compress(body), body[:-1] + b"\x00",
                                              gzip.compress(body)[:-4]]))
            sent.headers.append(("Content-Encoding", encoding))
            sent.fresh = True
    query = "&".join(f"{urllib.parse.quote(k, safe='$.')}={urllib.parse.quote(v, safe='')}" for k, v in made.query)
    if "percent" in mutations:  # a raw escape, good or bad, in the path or in the query
        if query and draw(st.booleans()):
            query = _insert_percent(draw, query)
        else:
            path = _insert_percent(draw, path or "/")
    sent.target = "/" + (path or "").lstrip("/") + ("?" + query if query else "")  # the origin-form: `/...`
    if len(sent.target) > MAX_TARGET + 2000:
        sent.target = sent.target[:MAX_TARGET]
    return sent
