"""A test-side REST caller: any RPC of the four services as an HTTP/JSON request, built the way Google's REST
clients build it, sent over a real socket.

Given a method's full gRPC name and its request message, `build` makes the HTTP request from the method's
http binding (the primary one, or the first additional one whose path fits the request, as for a Microsoft
credential): path variables from the message (a variable spanning segments keeps `/`, reserved expansion as
RFC 6570 `{+name}`; a single-segment variable is percent-encoded whole), the body as the binding's `body` says
(the path's fields left out of it), and every other set field as a query parameter: lowerCamelCase, dotted for
nested fields, repeated fields repeated, enums by name, FieldMask / Timestamp / Duration / wrappers in their
JSON form. `RestClient.call` sends it with the caller's `authorization` metadata as headers and returns the
response parsed back into the response message (json_format, unknown fields refused), or raises `RestError`:
the HTTP status, Google's envelope, and the envelope as a google.rpc.Status with its details unpacked. A
RestError quacks like grpc.aio.AioRpcError (`code()`, `details()`, `trailing_metadata()` with the status in
`grpc-status-details-bin`), so tests.helpers.rpc_error_details and error_reason read it unchanged.

Nothing here is imported from chatsvc.http: the expectations (Google's HTTP mapping of canonical codes, the
envelope's shape) are written down independently of the server's code.
"""
from __future__ import annotations

import base64
import json
import re
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass, field

import aiohttp
import grpc
import yarl
from google.api import annotations_pb2
from google.chat.v1 import chat_service_pb2
from google.protobuf import descriptor_pool, json_format, message_factory
from google.protobuf.descriptor import FieldDescriptor, MethodDescriptor
from google.protobuf.message import Message
from google.rpc import error_details_pb2, status_pb2

from chatsvc.campaigns.v1 import campaign_service_pb2
from chatsvc.credentials.v1 import credential_service_pb2
from chatsvc.directory.v1 import directory_service_pb2
from chatsvc.webhooks.v1 import webhook_service_pb2

SERVICES = [  # imported so that method_of finds their methods in the default pool
    chat_service_pb2.DESCRIPTOR.services_by_name["ChatService"],
    credential_service_pb2.DESCRIPTOR.services_by_name["CredentialService"],
    directory_service_pb2.DESCRIPTOR.services_by_name["DirectoryService"],
    campaign_service_pb2.DESCRIPTOR.services_by_name["CampaignService"],
    webhook_service_pb2.DESCRIPTOR.services_by_name["WebhookService"],
]

# Google's mapping of canonical codes to HTTP statuses (google/rpc/code.proto).
GOOGLE_HTTP = {
    grpc.StatusCode.OK: 200, grpc.StatusCode.CANCELLED: 499, grpc.StatusCode.UNKNOWN: 500,
    grpc.StatusCode.INVALID_ARGUMENT: 400, grpc.StatusCode.DEADLINE_EXCEEDED: 504, grpc.StatusCode.NOT_FOUND: 404,
    grpc.StatusCode.ALREADY_EXISTS: 409, grpc.StatusCode.PERMISSION_DENIED: 403,
    grpc.StatusCode.UNAUTHENTICATED: 401, grpc.StatusCode.RESOURCE_EXHAUSTED: 429,
    grpc.StatusCode.FAILED_PRECONDITION: 400, grpc.StatusCode.ABORTED: 409, grpc.StatusCode.OUT_OF_RANGE: 400,
    grpc.StatusCode.UNIMPLEMENTED: 501, grpc.StatusCode.INTERNAL: 500, grpc.StatusCode.UNAVAILABLE: 503,
    grpc.StatusCode.DATA_LOSS: 500,
}
DETAIL_TYPES = (error_details_pb2.ErrorInfo, error_details_pb2.BadRequest, error_details_pb2.QuotaFailure,
                error_details_pb2.RetryInfo, error_details_pb2.PreconditionFailure, error_details_pb2.ResourceInfo,
                error_details_pb2.Help, error_details_pb2.LocalizedMessage, error_details_pb2.DebugInfo,
                error_details_pb2.RequestInfo)
# Messages whose proto3 JSON form is a single value, and so can stand in one query parameter.
_ONE_VALUE = {"google.protobuf.Timestamp", "google.protobuf.Duration", "google.protobuf.FieldMask"} | {
    f"google.protobuf.{kind}Value" for kind in ("Double", "Float", "Int64", "UInt64", "Int32", "UInt32", "Bool",
                                                "String", "Bytes")}
# RFC 6570 reserved expansion (`{+name}`): reserved characters stay as they are, except the two that would end
# the path (`?`, `#`) and `%`, which would start an escape.
_RESERVED_SAFE = "/:@!$&'()*+,;=[]"
F = FieldDescriptor


class Unrepresentable(ValueError):
    """A request that no HTTP request of this binding can carry (a message or map field outside the body)."""


# --- the method and its bindings -----------------------------------------------------------------------------------
def method_of(full_method: str) -> MethodDescriptor:
    """`/google.chat.v1.ChatService/GetSpace`, `google.chat.v1.ChatService/GetSpace` or `...ChatService.GetSpace`."""
    dotted = full_method.strip("/").replace("/", ".")
    return descriptor_pool.Default().FindMethodByName(dotted)


@dataclass(frozen=True)
class Rule:
    """One google.api.http binding, read from the descriptor here (independently of chatsvc.http.bindings)."""

    http_method: str
    path: str  # the template, `/v1/{name=spaces/*}`
    body: str
    response_body: str
    primary: bool

    @property
    def variables(self) -> list[tuple[str, str]]:
        """(field path, segments pattern) of each `{...}` in the template."""
        out, rest = [], self.path
        while "{" in rest:
            inner, rest = rest.split("{", 1)[1].split("}", 1)
            name, _, pattern = inner.partition("=")
            out.append((name, pattern or "*"))
        return out


def rules_of(method: MethodDescriptor) -> list[Rule]:
    options = method.GetOptions()
    if not options.HasExtension(annotations_pb2.http):
        return []
    top = options.Extensions[annotations_pb2.http]
    found = []
    for rule, primary in [(top, True), *((extra, False) for extra in top.additional_bindings)]:
        kind = rule.WhichOneof("pattern")
        http_method, path = (rule.custom.kind.upper(), rule.custom.path) if kind == "custom" else (
            kind.upper(), getattr(rule, kind))
        found.append(Rule(http_method, path, rule.body, rule.response_body, primary))
    return found


def _get_path(message: Message, dotted: str):
    value = message
    for name in dotted.split("."):
        value = getattr(value, name)
    return value


def _clear_path(message: Message, dotted: str) -> None:
    *parents, leaf = dotted.split(".")
    target = message
    for name in parents:
        if not target.HasField(name):
            return
        target = getattr(target, name)
    target.ClearField(leaf)


def _segment_fits(pattern: str, value: str) -> bool:
    wanted, parts = pattern.split("/"), value.split("/")
    if wanted and wanted[-1] == "**":
        return len(parts) >= len(wanted) and all(w in ("*", "**", p) for w, p in zip(wanted, parts, strict=False))
    return len(parts) == len(wanted) and all(p and w in ("*", p) for w, p in zip(wanted, parts, strict=True))


def choose_rule(method: MethodDescriptor, request: Message) -> Rule:
    """The primary binding, unless its path does not fit the request and an additional one does."""
    rules = rules_of(method)
    if not rules:
        raise Unrepresentable(f"{method.full_name} has no http binding")
    for rule in rules:
        if all(_segment_fits(pattern, str(_get_path(request, name))) for name, pattern in rule.variables):
            return rule
    return rules[0]


# --- building the HTTP request -------------------------------------------------------------------------------------
@dataclass
class HttpRequest:
    http_method: str
    path: str  # percent-encoded, as sent
    query: list[tuple[str, str]] = field(default_factory=list)
    body: bytes | None = None  # JSON, or None for a method without a body
    rule: Rule | None = None

    @property
    def target(self) -> str:
        """The path and query as they go on the request line."""
        if not self.query:
            return self.path
        return self.path + "?" + urllib.parse.urlencode(self.query, quote_via=urllib.parse.quote, safe="")


_VARIABLE = re.compile(r"\{([^}=]+)(?:=([^}]*))?\}")


def render_path(rule: Rule, request: Message) -> str:
    def expand(found: re.Match) -> str:
        name, pattern = found.group(1), found.group(2) or "*"
        value = str(_get_path(request, name))
        spans = "/" in pattern or "**" in pattern
        return urllib.parse.quote(value, safe=_RESERVED_SAFE if spans else "")
    return _VARIABLE.sub(expand, rule.path)


def _scalar_text(field_descriptor: FieldDescriptor, value) -> str:
    kind = field_descriptor.type
    if kind == F.TYPE_BOOL:
        return "true" if value else "false"
    if kind == F.TYPE_ENUM:
        known = field_descriptor.enum_type.values_by_number.get(value)
        return known.name if known else str(value)
    if kind == F.TYPE_BYTES:
        return base64.urlsafe_b64encode(value).decode()
    if kind in (F.TYPE_FLOAT, F.TYPE_DOUBLE):
        return {"nan": "NaN", "inf": "Infinity", "-inf": "-Infinity"}.get(repr(value), repr(value))
    return str(value)


def query_params(message: Message, skip: set[str], *, strict: bool = True, prefix: str = "",
                 json_prefix: str = "") -> list[tuple[str, str]]:
    """Every set field of `message` not in `skip` (proto paths) as query parameters."""
    params = []
    for descriptor, value in message.ListFields():
        path, key = prefix + descriptor.name, json_prefix + descriptor.json_name
        if path in skip:
            continue
        repeated = descriptor.is_repeated
        if descriptor.type == F.TYPE_MESSAGE:
            name = descriptor.message_type.full_name
            if descriptor.message_type.GetOptions().map_entry or (repeated and name not in _ONE_VALUE):
                if strict:
                    raise Unrepresentable(f"`{path}` cannot be a query parameter (a map or a repeated message)")
                continue
            if name in _ONE_VALUE:
                for item in (value if repeated else [value]):
                    try:
                        text = json_format.MessageToDict(item)
                    except (ValueError, TypeError, json_format.Error):  # out of range: no JSON form
                        if strict:
                            raise Unrepresentable(f"`{path}` has no JSON form") from None
                        continue
                    params.append((key, text if isinstance(text, str) else json.dumps(text)))
                continue
            params.extend(query_params(value, skip, strict=strict, prefix=path + ".", json_prefix=key + "."))
        else:
            params.extend((key, _scalar_text(descriptor, item)) for item in (value if repeated else [value]))
    return params


def _json_body(value) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode()


def build(full_method: str, request: Message, *, rule: Rule | None = None, strict: bool = True) -> HttpRequest:
    """The HTTP request of `request` by `rule` (default: the binding chosen by `choose_rule`)."""
    method = method_of(full_method)
    rule = rule or choose_rule(method, request)
    path = render_path(rule, request)
    path_fields = {name for name, _ in rule.variables}
    rest = type(request)()
    rest.CopyFrom(request)
    for name in path_fields:
        _clear_path(rest, name)
    body, query = None, []
    if rule.body == "*":
        body = _json_body(json_format.MessageToDict(rest))
    elif rule.body:
        descriptor = rest.DESCRIPTOR.fields_by_name[rule.body]
        whole = json_format.MessageToDict(rest)
        if descriptor.type == F.TYPE_MESSAGE and not descriptor.is_repeated:
            default = {}
        else:
            default = [] if descriptor.is_repeated else None
        body = _json_body(whole.get(descriptor.json_name, default))
        query = query_params(rest, {rule.body}, strict=strict)
    else:
        query = query_params(rest, set(), strict=strict)
    return HttpRequest(rule.http_method, path, query, body, rule)


# --- answers -------------------------------------------------------------------------------------------------------
class EnvelopeError(AssertionError):
    """An error answer that is not Google's envelope (or contradicts itself)."""


@dataclass
class RawResponse:
    status: int
    headers: dict
    body: bytes

    @property
    def content_type(self) -> str:
        return self.headers.get("Content-Type", "").split(";", 1)[0].strip().lower()


def envelope_problems(raw: RawResponse) -> list[str]:
    """What is wrong with an error answer as Google's envelope: `{"error": {"code": <the HTTP status>,
    "message": str, "status": <a canonical code's name>, "details": [<google.rpc details as JSON Any>, with an
    ErrorInfo]}}`, served as application/json."""
    if raw.content_type != "application/json":
        return [f"content type {raw.content_type!r}, not application/json"]
    try:
        document = json.loads(raw.body)
    except ValueError:
        return [f"body is not JSON: {raw.body[:200]!r}"]
    error = document.get("error") if isinstance(document, dict) else None
    if not isinstance(error, dict) or set(document) != {"error"}:
        return [f"no error envelope: {raw.body[:300]!r}"]
    found = []
    if error.get("code") != raw.status:
        found.append(f"envelope code {error.get('code')!r} is not the HTTP status {raw.status}")
    if not isinstance(error.get("message"), str):
        found.append("envelope without a message")
    name = error.get("status")
    if name not in grpc.StatusCode.__members__ or name == "OK":
        found.append(f"envelope status {name!r} is no canonical error code")
    details = error.get("details")
    if not isinstance(details, list):
        found.append("envelope without a details list")
    else:
        try:
            status = json_format.ParseDict({"details": details}, status_pb2.Status())
        except json_format.ParseError as parse_error:
            found.append(f"details are not google.rpc messages: {parse_error}")
        else:
            infos = [d for d in status.details if d.Is(error_details_pb2.ErrorInfo.DESCRIPTOR)]
            if len(infos) != 1:
                found.append(f"{len(infos)} ErrorInfo details, not one")
            else:
                info = error_details_pb2.ErrorInfo()
                infos[0].Unpack(info)
                if not info.reason or not info.domain:
                    found.append(f"ErrorInfo without reason or domain: {info}")
    extra = set(error) - {"code", "message", "status", "details"}
    if extra:
        found.append(f"unexpected envelope fields {sorted(extra)}")
    return found


class RestError(Exception):
    """A REST call that answered an error: the HTTP status and Google's envelope, readable as the
    google.rpc.Status it carries and as a grpc.aio.AioRpcError would be read."""

    def __init__(self, raw: RawResponse):
        problems = envelope_problems(raw)
        if problems:
            raise EnvelopeError(f"HTTP {raw.status}: {problems}")
        self.raw = raw
        self.http_status = raw.status
        self.envelope = json.loads(raw.body)["error"]
        self.status_code = grpc.StatusCode[self.envelope["status"]]
        self.status = json_format.ParseDict({"code": self.status_code.value[0], "message": self.envelope["message"],
                                             "details": self.envelope["details"]}, status_pb2.Status())
        super().__init__(f"HTTP {raw.status} {self.envelope['status']}: {self.envelope['message']}")

    # The grpc.aio.AioRpcError interface that tests read errors by.
    def code(self) -> grpc.StatusCode:
        return self.status_code

    def details(self) -> str:
        return self.status.message

    def trailing_metadata(self):
        return (("grpc-status-details-bin", self.status.SerializeToString()),)

    @property
    def detail_messages(self) -> dict[str, Message]:
        """The envelope's details by type name: {'ErrorInfo': msg, 'BadRequest': msg, ...}."""
        found = {}
        for detail in self.status.details:
            for kind in DETAIL_TYPES:
                if detail.Is(kind.DESCRIPTOR):
                    message = kind()
                    detail.Unpack(message)
                    found[kind.DESCRIPTOR.name] = message
        return found

    @property
    def error_info(self) -> error_details_pb2.ErrorInfo:
        return self.detail_messages["ErrorInfo"]

    @property
    def mapped_as_google_maps(self) -> bool:
        """The HTTP status is the one Google's mapping gives the canonical code."""
        return self.http_status == GOOGLE_HTTP[self.status_code]


def parse_response(method: MethodDescriptor, rule: Rule, raw: RawResponse) -> Message:
    """A 200 answer as the response message (JSON with unknown fields refused, or the binary form `alt=proto`
    asks for); RestError for anything else."""
    if raw.status != 200:
        raise RestError(raw)
    response = message_factory.GetMessageClass(method.output_type)()
    if raw.content_type == "application/x-protobuf" and not rule.response_body:  # alt=proto
        response.ParseFromString(raw.body)
        return response
    if raw.content_type != "application/json":
        raise EnvelopeError(f"a 200 answer of type {raw.content_type!r}")
    value = json.loads(raw.body)
    if rule.response_body:
        value = {response.DESCRIPTOR.fields_by_name[rule.response_body].json_name: value}
    json_format.ParseDict(value, response, ignore_unknown_fields=False)
    return response


def auth_headers(metadata: Sequence[tuple[str, str]] = (), token: str | None = None) -> list[tuple[str, str]]:
    headers = [("Authorization", value) for key, value in metadata if key.lower() == "authorization"]
    if token is not None:
        headers.append(("Authorization", f"Bearer {token}"))
    return headers


class RestClient:
    """Sends REST calls to one server's HTTP endpoint over one aiohttp session (opened on first use)."""

    def __init__(self, base_url: str, *, timeout: float = 30.0):
        self.base_url = base_url.rstrip("/")
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._session: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> RestClient:
        return self

    async def __aexit__(self, *exc) -> None:
        await self.close()

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    def _open(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=self._timeout, auto_decompress=True)
        return self._session

    async def send(self, http_method: str, target: str, *, headers: Sequence[tuple[str, str]] = (),
                   body: bytes | None = None, content_type: str | None = "application/json",
                   fresh: bool = False) -> RawResponse:
        """Sends one request as given: `target` is the percent-encoded path and query, sent unchanged.
        `fresh`: on a connection of its own, closed afterwards (for a request after which the server may close
        the connection, such as one whose body cannot be read to its end)."""
        all_headers = list(headers)
        if body is not None and content_type is not None and not any(k.lower() == "content-type"
                                                                     for k, _ in all_headers):
            all_headers.append(("Content-Type", content_type))
        url = yarl.URL(self.base_url + target, encoded=True)
        if fresh:
            async with aiohttp.ClientSession(timeout=self._timeout,
                                             connector=aiohttp.TCPConnector(force_close=True)) as session:
                return await _sent(session, http_method, url, all_headers, body)
        return await _sent(self._open(), http_method, url, all_headers, body)

    async def call(self, full_method: str, request: Message, *, metadata: Sequence[tuple[str, str]] = (),
                   token: str | None = None, rule: Rule | None = None,
                   params: Sequence[tuple[str, str]] = ()) -> Message:
        """The response of `request` sent over REST; RestError when it fails. `params`: extra query
        parameters (system parameters such as `alt`)."""
        method = method_of(full_method)
        made = build(full_method, request, rule=rule)
        made.query.extend(params)
        raw = await self.send(made.http_method, made.target, headers=auth_headers(metadata, token), body=made.body)
        return parse_response(method, made.rule, raw)


async def _sent(session: aiohttp.ClientSession, http_method: str, url: yarl.URL, headers, body) -> RawResponse:
    async with session.request(http_method, url, headers=headers, data=body, allow_redirects=False) as answer:
        if answer.headers.get("Content-Type", "").startswith("text/event-stream"):
            return RawResponse(answer.status, dict(answer.headers), await _first_event(answer))
        return RawResponse(answer.status, dict(answer.headers), await answer.read())


async def _first_event(answer: aiohttp.ClientResponse) -> bytes:
    """A server-sent event stream never ends by itself: its first frame that carries data (or all it sent before it
    ended), then we leave."""
    frame = b""
    while True:
        line = await answer.content.readline()
        if not line:
            return frame
        frame = b"" if frame.endswith(b"\n\n") and b"data:" not in frame else frame
        frame += line
        if frame.endswith(b"\n\n") and b"data:" in frame:
            return frame


async def call(base_url: str, full_method: str, request: Message, **kwargs) -> Message:
    """One call on a session of its own (RestClient.call's arguments)."""
    async with RestClient(base_url) as client:
        return await client.call(full_method, request, **kwargs)
