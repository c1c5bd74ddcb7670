"""REST: every RPC with an http option, at its path and verb, as chat.googleapis.com serves it.

Routes come from the services' descriptors (chatsvc.http.bindings), never from a list written here. A call is
made into a request message (chatsvc.http.transcode) and handed to LocalCalls, which runs it through the same
gate as a gRPC call; the response is written as proto3 JSON with Google's system parameters (`alt`,
`prettyPrint`, `fields`, `$.xgafv`, `key`, `quotaUser`, `access_token`) and errors in Google's envelope.
"""
from __future__ import annotations

import itertools
import json
import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import parse_qsl

import grpc
from aiohttp import web
from google.protobuf import message_factory
from google.protobuf.descriptor import ServiceDescriptor
from google.protobuf.message import Message

from chatsvc.api import http_errors
from chatsvc.api.interceptors import Undecodable
from chatsvc.api.local_calls import CallFailed, LocalCalls
from chatsvc.api.status import grpc_code
from chatsvc.domain.errors import DomainError, InvalidArgument, NotFound, Unimplemented
from chatsvc.domain.media import PayloadTooLarge
from chatsvc.http import partial_response, transcode
from chatsvc.http.bindings import Binding, service_bindings
from chatsvc.http.path_template import PathTemplate

log = logging.getLogger("chatsvc.calls")
JSON = "application/json; charset=UTF-8"
# Google's system parameters; each may also be written with a leading `$`.
_SYSTEM = {"alt", "prettyPrint", "fields", "$.xgafv", ".xgafv", "key", "quotaUser", "access_token", "oauth_token",
           "callback", "upload_protocol", "uploadType", "userIp"}
_METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE"}


@dataclass(frozen=True)
class Route:
    binding: Binding
    request_class: type[Message]
    full_method: str = field(init=False)  # made once: every call of the route logs and dispatches by it

    def __post_init__(self):
        object.__setattr__(self, "full_method", self.binding.full_method)


class RestRoutes:
    """The routes of several services, indexed by what a path shows before any matching: its HTTP method, its
    `:verb`, how many segments it has and its first two (literal in every template), so a request tries one or
    two templates instead of all of its method's."""

    def __init__(self, services: list[ServiceDescriptor]):
        self._by_shape: dict[tuple, list[Route]] = {}
        self._loose: dict[tuple[str, str | None], list[Route]] = {}  # templates without such a shape
        self._verbs: set[str] = set()
        self.all: list[Route] = []
        for service in services:
            for binding in service_bindings(service):
                if binding.method.client_streaming or binding.method.server_streaming:
                    continue  # HTTP/JSON carries one message each way; uploads have their media path
                route = Route(binding, message_factory.GetMessageClass(binding.method.input_type))
                shape = _shape(binding.template)
                if shape is None:
                    self._loose.setdefault((binding.http_method, binding.template.verb), []).append(route)
                else:
                    self._by_shape.setdefault((binding.http_method, binding.template.verb, *shape), []).append(route)
                if binding.template.verb:
                    self._verbs.add(binding.template.verb)
                self.all.append(route)

    def find(self, http_method: str, raw_path: str) -> tuple[Route, dict[str, str]]:
        """The route and the path's variables; NotFound (404) when no route has this path, MethodNotAllowed
        (405) when routes have it for other methods only."""
        if raw_path.startswith("/"):
            parts, verb = self._split(raw_path)
            found = self._match(http_method, verb, parts)
            if found:
                return found
            allowed = sorted(other for other in _METHODS - {http_method} if self._match(other, verb, parts))
            if allowed:
                raise MethodNotAllowed(http_method, raw_path, allowed)
        raise NotFound(f"The requested URL {raw_path} was not found on this server.", reason="URL_NOT_FOUND")

    def _split(self, raw_path: str) -> tuple[list[str], str | None]:
        """The path's segments and its verb. A `:verb` of ours ends the path: only routes with that verb may take
        it, so no variable swallows it."""
        body = raw_path[1:]
        colon = body.rfind(":")
        if colon > body.rfind("/") and body[colon + 1:] in self._verbs:
            return body[:colon].split("/"), body[colon + 1:]
        return body.split("/"), None

    def _match(self, http_method: str, verb: str | None, parts: list[str]):
        candidates = self._by_shape.get((http_method, verb, len(parts), parts[0], parts[1]), ()) \
            if len(parts) > 1 else ()
        for routes in (candidates, self._loose.get((http_method, verb), ())):
            for route in routes:
                values = route.binding.template.match_parts(parts)
                if values is not None:
                    return route, values
        return None


def _shape(template: PathTemplate) -> tuple[int, str, str] | None:
    """(segment count, first segment, second segment) of a template of fixed length beginning with two literals."""
    segments = template.segments
    if len(segments) < 2 or segments[-1].multi or segments[0].literal is None or segments[1].literal is None:
        return None
    return len(segments), segments[0].literal, segments[1].literal


class MethodNotAllowed(Unimplemented):
    """The path exists for other methods only."""

    http_status = 405

    def __init__(self, http_method: str, raw_path: str, allowed: list[str]):
        super().__init__(f"The method {http_method} is not allowed for {raw_path}.", reason="METHOD_NOT_ALLOWED")
        self.allowed = allowed  # for the Allow header HTTP requires on a 405


@dataclass(frozen=True)
class Output:
    enums_as_numbers: bool
    pretty: bool
    proto: bool
    fields: str


def system_parameters(request: web.Request, extra: Iterable[tuple[str, str]] = ()
                      ) -> tuple[list[tuple[str, str]], dict[str, str]]:
    """(the request's own parameters, the system parameters by their plain names), from the query string and
    `extra` (a method-overridden POST's form body)."""
    own, system = [], {}
    for key, value in itertools.chain(request.query.items(), extra):
        plain = key[1:] if key.startswith("$") and key[1:] in _SYSTEM else key
        if plain in _SYSTEM:
            if plain in system:
                raise InvalidArgument.field(plain, "is given more than once")
            system[plain] = value
        else:
            own.append((key, value))
    return own, system


_PLAIN = Output(enums_as_numbers=False, pretty=True, proto=False, fields="")


def output_options(system: dict[str, str]) -> Output:
    if not system:
        return _PLAIN  # most calls send no system parameter
    alt = system.get("alt", "json").replace(" ", "")
    if alt not in ("json", "json;enum-encoding=int", "proto"):
        raise InvalidArgument.field("alt", f"`{alt}` is not a response format this method has: `json`, "
                                           "`json;enum-encoding=int` or `proto`")
    pretty = system.get("prettyPrint", "true")
    if pretty not in ("true", "false"):
        raise InvalidArgument.field("prettyPrint", "must be `true` or `false`")
    if system.get("xgafv", system.get(".xgafv", "2")) not in ("1", "2"):
        raise InvalidArgument.field("$.xgafv", "must be `1` or `2`")
    if "callback" in system:
        raise InvalidArgument.field("callback", "JSONP responses are not served; call with CORS or from a server")
    return Output(alt.endswith("enum-encoding=int"), pretty == "true", alt == "proto", system.get("fields", ""))


def call_metadata(request: web.Request, system: dict[str, str]) -> list[tuple[str, str]]:
    """The call's metadata: its Authorization header(s), else the token Google also takes as a parameter."""
    metadata = [("authorization", value) for value in request.headers.getall("Authorization", ())]
    token = system.get("access_token") or system.get("oauth_token")
    if token:
        metadata.append(("authorization", f"Bearer {token}"))
    return metadata


def _is_json(content_type: str) -> bool:
    kind = content_type.split(";", 1)[0].strip().lower()
    return kind == "application/json" or kind.endswith("+json")


class RestApi:
    def __init__(self, routes: RestRoutes, calls: LocalCalls, max_body_bytes: int):
        self.routes = routes
        self._calls = calls
        self._max_body = max_body_bytes

    async def handle(self, request: web.Request) -> web.StreamResponse:
        started = time.perf_counter()
        http_method = request.method
        override = request.headers.get("X-HTTP-Method-Override")
        if override and http_method == "POST":
            http_method = override.strip().upper()
        overridden = http_method != request.method
        raw_path = request.raw_path.split("?", 1)[0]
        label = f"REST {http_method} {raw_path}"
        try:
            route, values = self.routes.find(http_method, raw_path)
            label = route.full_method
            form = await self._overridden_form(request) if overridden else ()
            own, system = system_parameters(request, form)
            output = output_options(system)
            selection = selection_for(output.fields, route) if output.fields else None
            message = await self._request_message(request, route, values, own)
            response = await self._calls.unary(route.full_method, message, call_metadata(request, system))
        except CallFailed as failed:  # logged by the gate, like every call that reached it
            return http_errors.status_response(failed.code, failed.status)
        except DomainError as error:
            response = http_errors.domain_error(error, label)
            if isinstance(error, MethodNotAllowed):
                response.headers["Allow"] = ", ".join(error.allowed)
            return log_refused(response, grpc_code(error), label, started)
        except Exception:
            log.exception("unexpected error in %s", label)
            return log_refused(http_errors.internal_error(label), grpc.StatusCode.INTERNAL, label, started)
        return encode(route.binding, response, output, selection)

    async def _request_message(self, request: web.Request, route: Route, values: dict[str, str],
                               own: list[tuple[str, str]]):
        """The request message, or an Undecodable carrying why it could not be made: the gate refuses it after
        authenticating the caller, so a caller without a valid token learns nothing from a bad request."""
        message = route.request_class()
        try:
            if route.binding.body:
                transcode.parse_body(route.binding, message, await self._body(request))
            elif request.can_read_body and (await request.content.read(1)):
                raise InvalidArgument.field("body", f"{route.binding.http_method} {route.binding.template.text} "
                                                    "takes no body")
            transcode.apply_query(route.binding, message, own)
            transcode.set_path_values(message, values)
        except InvalidArgument as error:
            return Undecodable(error)
        except web.RequestPayloadError:  # a body its Content-Encoding (gzip, deflate) or chunking cannot decode
            return Undecodable(InvalidArgument.field("body", "cannot be decoded as its Content-Encoding and "
                                                             "Transfer-Encoding say"))
        return message

    async def _overridden_form(self, request: web.Request) -> list[tuple[str, str]]:
        """The parameters a POST overridden to another method carries as a form body: Google's clients send a GET
        whose URL would be too long (over 2,048 characters) this way, and Google reads the form as the query."""
        kind = request.headers.get("Content-Type", "").split(";", 1)[0].strip().lower()
        if kind != "application/x-www-form-urlencoded":
            return []
        body = await self._read_bounded(request)
        try:
            return parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
        except UnicodeDecodeError:
            raise InvalidArgument.field("body", "a form body is UTF-8 text") from None

    async def _body(self, request: web.Request) -> bytes:
        if request.can_read_body and not _is_json(request.headers.get("Content-Type", "application/json")):
            raise InvalidArgument.field("Content-Type", "a request body is sent as application/json")
        return await self._read_bounded(request)

    async def _read_bounded(self, request: web.Request) -> bytes:
        if request.content_length is not None and request.content_length > self._max_body:
            raise _too_large(self._max_body)
        body = bytearray()
        async for chunk in request.content.iter_chunked(1 << 16):
            body += chunk
            if len(body) > self._max_body:
                raise _too_large(self._max_body)
        return bytes(body)


def _too_large(limit: int) -> DomainError:
    return PayloadTooLarge(f"The request body is larger than the limit of {limit} bytes.", reason="BODY_TOO_LARGE")


def selection_for(fields: str, route: Route):
    selection = partial_response.parse(fields)
    output = route.binding.method.output_type
    if route.binding.response_body:
        field = output.fields_by_name[route.binding.response_body]
        if field.message_type is None:
            raise InvalidArgument.field("fields", "this method's response is a single value: nothing to select")
        output = field.message_type
    return partial_response.check(selection, output, fields)


def encode(binding: Binding, response: Message, output: Output, selection) -> web.Response:
    """A call's response as the caller asked for it: proto3 JSON (fields selected, enums by name or number,
    indented or not), or the binary message for `alt=proto`."""
    if output.proto:
        return web.Response(body=response.SerializeToString(), content_type="application/x-protobuf")
    value = transcode.response_value(binding, response, enums_as_numbers=output.enums_as_numbers)
    if selection is not None:
        value = partial_response.apply(selection, value)
    text = json.dumps(value, ensure_ascii=False, indent=2 if output.pretty else None,
                      separators=None if output.pretty else (",", ":"))
    return web.Response(text=text + "\n", headers={"Content-Type": JSON})


def log_refused(response: web.Response, code: grpc.StatusCode, label: str, started: float) -> web.Response:
    """The log line of a request refused before it became a call (the gate logs the others), in its format."""
    log.info(json.dumps({"method": label, "status": code.name,
                         "duration_ms": round((time.perf_counter() - started) * 1000, 3), "principal": "-"}))
    return response
