"""Client-streamed uploads over HTTP: Google's media upload protocol at the path of the method's google.api.http
binding.

HTTP/JSON carries one message each way, so a client-streaming upload RPC (CampaignService.UploadAttachment:
first a metadata message, then `chunk`s of bytes) is served the way Google serves its own media uploads, at the
binding's path (`POST /upload/v1/{metadata.parent=users/*}/emailFiles`; routes come from chatsvc.http.bindings,
never from a path written here):

- simple, `?uploadType=media`: the body is the file; the metadata's fields come from the query string (`origin`,
  `filename`, `mimeType`, by their JSON or proto names), the media type else from Content-Type;
- multipart, `?uploadType=multipart`: a multipart/related body, first part the metadata as JSON, second the
  file (whose Content-Type stands for a `mimeType` the metadata leaves out).

The path's variables win over both. The call is made through LocalCalls.client_stream, the gate gRPC calls pass
(token, scopes, rate limits, deadline, log line): the metadata message first, then each chunk as it arrives
from the socket, never the whole file in memory. The request is read only once the gate has admitted the
caller, so a caller without a valid token learns nothing about its request. The answer is the RPC's response
as JSON (with REST's `alt`, `prettyPrint`, `fields`), errors in Google's envelope: an upload over its limit
is 413.
"""
from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from functools import partial

import grpc
from aiohttp import web
from google.protobuf import json_format, message_factory
from google.protobuf.descriptor import FieldDescriptor, ServiceDescriptor
from google.protobuf.message import Message

from chatsvc.api import http_errors
from chatsvc.api.local_calls import CallFailed, LocalCalls
from chatsvc.api.media_http import SELF_LOGGED
from chatsvc.api.media_upload import read_upload
from chatsvc.api.status import grpc_code
from chatsvc.domain.errors import DomainError, InvalidArgument, NotFound
from chatsvc.http import transcode
from chatsvc.http.bindings import Binding, service_bindings
from chatsvc.http.path_template import PathTemplate
from chatsvc.http.rest import (
    Route,
    call_metadata,
    encode,
    log_refused,
    output_options,
    selection_for,
    system_parameters,
)

F = FieldDescriptor
log = logging.getLogger("chatsvc.calls")


@dataclass(frozen=True)
class StreamedUpload:
    """A client-streaming method served as a media upload at one of its bindings."""
    binding: Binding
    request_class: type[Message]
    metadata_field: FieldDescriptor  # the message field the first request carries (`metadata`)
    chunk_field: FieldDescriptor  # the bytes field every later request carries (`chunk`)
    route_name: str  # `rest.<method>[.bN]`: a route whose calls the gate logs (chatsvc.api.media_http)


def streamed_uploads(services: Sequence[ServiceDescriptor]) -> list[StreamedUpload]:
    """Every binding of a client-streaming (unary response) method of `services`. The metadata field is the one
    holding the path's variables (as discovery describes the upload's JSON part); the chunk field the bytes field
    of the same oneof. Any other shape is a bug in a .proto file, refused at start-up."""
    found = []
    for service in services:
        for index, binding in enumerate(service_bindings(service)):
            method = binding.method
            if not method.client_streaming or method.server_streaming:
                continue
            request = method.input_type
            heads = {variable.field_path.split(".", 1)[0] for variable in binding.template.variables}
            if len(heads) != 1:
                raise ValueError(f"{method.full_name}: a streamed upload's path names fields of one metadata message")
            metadata = request.fields_by_name.get(heads.pop())
            oneof = metadata.containing_oneof if metadata is not None else None
            chunks = [f for f in oneof.fields if f.type == F.TYPE_BYTES] if oneof is not None else []
            if metadata is None or metadata.type != F.TYPE_MESSAGE or len(chunks) != 1:
                raise ValueError(f"{method.full_name}: a streamed upload's request is a oneof of the metadata "
                                 "message (holding the path's variables) and one bytes field")
            name = f"{SELF_LOGGED}.{method.full_name}" + ("" if binding.primary else f".b{index}")
            found.append(StreamedUpload(binding, message_factory.GetMessageClass(request), metadata, chunks[0], name))
    return found


def route_path(template: PathTemplate) -> str:
    """The aiohttp path of a template: its literals, a `{sN:...}` pattern per wildcard segment, its verb. The
    variables' values are taken from the raw path by the template itself (PathTemplate.match)."""
    parts = [segment.literal if segment.literal is not None else
             f"{{s{index}:{'.+' if segment.multi else '[^/]+'}}}"
             for index, segment in enumerate(template.segments)]
    return "/" + "/".join(parts) + (f":{template.verb}" if template.verb else "")


class StreamedUploads:
    """The upload routes of `uploads`, calling through `calls`. `max_bytes`: a Content-Length above it (plus a
    multipart upload's room for its metadata) is refused before the body is read; the method's own limits
    (a campaign file's mail service) apply to the bytes as they stream."""

    def __init__(self, uploads: list[StreamedUpload], calls: LocalCalls, max_bytes: int):
        self.uploads = uploads
        self._calls = calls
        self._max_bytes = max_bytes

    def routes(self) -> list[web.RouteDef]:
        routes = []
        for upload in self.uploads:
            path = route_path(upload.binding.template)
            routes.append(web.route(upload.binding.http_method, path, partial(self.handle, upload),
                                    name=upload.route_name))
            if path.startswith("/upload/"):  # the path discovery names for calls without media: none exist
                routes.append(web.route(upload.binding.http_method, path.removeprefix("/upload"),
                                        partial(self.without_media, upload)))
        return routes

    async def without_media(self, upload: StreamedUpload, request: web.Request) -> web.StreamResponse:
        error = InvalidArgument.field("uploadType", f"{upload.binding.method.name} takes a file: send it to "
                                                    f"/upload{request.path} with uploadType=media or multipart")
        error.metadata["method"] = upload.binding.full_method
        raise error

    async def handle(self, upload: StreamedUpload, request: web.Request) -> web.StreamResponse:
        started = time.perf_counter()
        label = upload.binding.full_method
        requests = None
        try:
            raw_path = request.raw_path.split("?", 1)[0]
            values = upload.binding.template.match(raw_path)
            if values is None:  # aiohttp matched a decoded path the raw one does not (`%2F` in a segment)
                raise NotFound(f"The requested URL {raw_path} was not found on this server.", reason="URL_NOT_FOUND")
            own, system = system_parameters(request)
            output = output_options(system)
            route = Route(upload.binding, upload.request_class)
            selection = selection_for(output.fields, route) if output.fields else None
            requests = self._requests(upload, request, values, own)
            response = await self._calls.client_stream(label, requests, call_metadata(request, system))
        except CallFailed as failed:  # logged by the gate, like every call that reached it
            return http_errors.status_response(failed.code, failed.status)
        except DomainError as error:
            return log_refused(http_errors.domain_error(error, label), grpc_code(error), label, started)
        except Exception:
            log.exception("unexpected error in %s", label)
            return log_refused(http_errors.internal_error(label), grpc.StatusCode.INTERNAL, label, started)
        finally:
            if requests is not None:
                await requests.aclose()  # a call refused early leaves the rest of the body unread
        return encode(upload.binding, response, output, selection)

    async def _requests(self, upload: StreamedUpload, request: web.Request, values: dict[str, str],
                        params: list[tuple[str, str]]) -> AsyncIterator[Message]:
        """The call's stream of requests, read from the HTTP request as the servicer asks for them: the metadata
        message, then one per chunk of the body."""
        first = upload.request_class()
        metadata = getattr(first, upload.metadata_field.name)
        metadata.SetInParent()
        _query_metadata(upload, metadata, params)
        try:
            sent = await read_upload(request, self._max_bytes, type(metadata))
        except web.RequestPayloadError:  # a body its Content-Encoding (gzip, deflate) or chunking cannot decode
            raise _undecodable() from None
        if sent.metadata is not None:  # multipart: the JSON part over the query string
            metadata.MergeFrom(sent.metadata)
        transcode.set_path_values(first, values)  # the path wins over both
        fields = metadata.DESCRIPTOR.fields_by_name
        if "mime_type" in fields and not metadata.mime_type:
            metadata.mime_type = sent.content_type.split(";", 1)[0].strip()
        yield first
        try:
            async for chunk in sent.chunks:
                yield upload.request_class(**{upload.chunk_field.name: chunk})
        except (ConnectionError, EOFError) as error:  # the client went away mid-body
            raise InvalidArgument.field("media", f"the upload ended before its body did ({error or 'closed'})",
                                        reason="UPLOAD_INCOMPLETE") from None
        except web.RequestPayloadError:
            raise _undecodable() from None


def _undecodable() -> InvalidArgument:
    return InvalidArgument.field("body", "cannot be decoded as its Content-Encoding and Transfer-Encoding say")


def _query_metadata(upload: StreamedUpload, metadata: Message, params: list[tuple[str, str]]) -> None:
    """The metadata's own scalar fields from the query string (`origin=ORIGIN_GMAIL`, `mimeType=...`); a field the
    path binds, or a name the metadata does not have, is refused as REST refuses it."""
    prefix = upload.metadata_field.name + "."
    bound = {v.field_path.removeprefix(prefix) for v in upload.binding.template.variables}
    seen: set[str] = set()
    for key, value in params:
        field = metadata.DESCRIPTOR.fields_by_name.get(key) or next(
            (f for f in metadata.DESCRIPTOR.fields if f.json_name == key), None)
        if field is None or field.type == F.TYPE_MESSAGE or field.is_repeated:
            raise transcode.invalid_json(f'Unknown name "{key}": Cannot bind query parameter. Field \'{key}\' '
                                         f'could not be found in {metadata.DESCRIPTOR.name}.', key)
        if field.name in bound:
            raise transcode.invalid_json(f'Unknown name "{key}": Cannot bind query parameter. Field \'{key}\' is '
                                         'bound by the path.', key)
        if field.name in seen:
            raise transcode.invalid_json(f'Cannot bind query parameter "{key}": it is not repeated but was given '
                                         'more than once.', key)
        seen.add(field.name)
        if field.type == F.TYPE_ENUM and value.lstrip("-").isdigit():
            parsed: object = int(value)
        elif field.type == F.TYPE_BOOL:
            parsed = {"true": True, "false": False}.get(value, value)
        else:
            parsed = value
        try:
            json_format.ParseDict({field.json_name: parsed}, metadata)
        except (json_format.ParseError, ValueError, TypeError) as error:
            raise transcode.invalid_json(f"Invalid value at '{key}': {str(error).split(chr(10), 1)[0]}", key) \
                from None

