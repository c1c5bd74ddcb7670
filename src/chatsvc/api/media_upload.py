"""Reads an upload request of Google's media upload protocol: its file name, content type and a stream of
its bytes. Two of the protocol's forms are served: a simple upload (`uploadType=media`: the body is the
file; the name comes in the `filename` query parameter) and a multipart upload (`uploadType=multipart`: a
multipart/related body whose first part is the JSON metadata, `{"filename": ...}`, and whose second part is
the file with its own Content-Type).

The metadata part is read as the message type the caller names: Chat's UploadAttachmentRequest by default, or
another (the campaign upload's UploadAttachmentMetadata, chatsvc.http.uploads)."""
from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass

from aiohttp import BodyPartReader, MultipartReader, web
from google.chat.v1 import attachment_pb2
from google.protobuf import json_format
from google.protobuf.message import Message

from chatsvc.api.multipart_lines import multipart_reader
from chatsvc.domain.errors import InvalidArgument
from chatsvc.domain.media import too_large

CHUNK = 1 << 16
MAX_METADATA = 64 * 1024
_PROTOCOLS = {"media": "media", "raw": "media", "multipart": "multipart"}


@dataclass
class Upload:
    filename: str
    content_type: str
    chunks: AsyncIterator[bytes]
    metadata: Message | None = None  # a multipart upload's JSON part; None for a simple upload


def _protocol(request: web.Request) -> str:
    asked = request.query.get("uploadType") or request.headers.get("X-Goog-Upload-Protocol", "")
    if not asked:
        return "multipart" if request.content_type.startswith("multipart/") else "media"
    if asked.lower() == "resumable":
        raise InvalidArgument.field("uploadType", "resumable uploads are not supported by this server; use "
                                                  "`media` (simple) or `multipart`")
    if asked.lower() not in _PROTOCOLS:
        raise InvalidArgument.field("uploadType", "must be `media` or `multipart`")
    return _PROTOCOLS[asked.lower()]


async def read_upload(request: web.Request, max_bytes: int,
                      metadata_type: type[Message] = attachment_pb2.UploadAttachmentRequest) -> Upload:
    """The upload's parts, a multipart upload's metadata read as a `metadata_type`. Nothing of the file is read
    yet: `chunks` reads it as it is consumed."""
    protocol = _protocol(request)
    envelope = MAX_METADATA + 4096 if protocol == "multipart" else 0
    if request.content_length is not None and request.content_length > max_bytes + envelope:
        raise too_large(max_bytes)  # said so up front: refused before a byte is read
    if protocol == "media":
        return Upload(request.query.get("filename", ""), request.headers.get("Content-Type", ""),
                      request.content.iter_chunked(CHUNK))
    return await _multipart(request, metadata_type)


async def _multipart(request: web.Request, metadata_type: type[Message]) -> Upload:
    if not request.content_type.startswith("multipart/"):
        raise InvalidArgument.field("Content-Type", "a multipart upload is sent as multipart/related")
    try:
        reader = multipart_reader(request.headers, request.content)  # CRLF or bare-LF lines, as Google takes
        metadata = await reader.next()
    except (ValueError, AssertionError) as error:
        raise InvalidArgument.field("Content-Type", f"the multipart body cannot be read: {error}") from None
    if not isinstance(metadata, BodyPartReader):
        raise InvalidArgument.field("metadata", "the first part must be the JSON metadata")
    fields = await _metadata(metadata, metadata_type)
    try:
        media = await reader.next()
    except ValueError as error:  # a damaged body: no boundary where the metadata part ends
        raise InvalidArgument.field("media", f"the multipart body cannot be read: {error}") from None
    if not isinstance(media, BodyPartReader):
        raise InvalidArgument.field("media", "the second part must be the file")
    if media.headers.get("Content-Encoding"):
        raise InvalidArgument.field("media", "a Content-Encoding on the file's part is not supported")
    named = fields.filename if "filename" in fields.DESCRIPTOR.fields_by_name else ""
    filename = named or request.query.get("filename", "")
    return Upload(filename, media.headers.get("Content-Type", ""), _part_chunks(reader, media), fields)


async def _metadata(part: BodyPartReader, metadata_type: type[Message]) -> Message:
    raw = bytearray()
    try:
        while chunk := await part.read_chunk(CHUNK):
            raw += part.decode(chunk)  # ValueError for a damaged part (bad base64, say)
            if len(raw) > MAX_METADATA:
                raise InvalidArgument.field("metadata", f"must be at most {MAX_METADATA} bytes")
        return json_format.ParseDict(json.loads(raw or b"{}"), metadata_type())
    except (ValueError, json_format.ParseError) as error:
        raise InvalidArgument.field("metadata", f"is not an {metadata_type.DESCRIPTOR.name} in JSON: {error}") \
            from None


async def _part_chunks(reader: MultipartReader, part: BodyPartReader) -> AsyncIterator[bytes]:
    # Raising here makes the blob store discard what it wrote.
    try:
        while chunk := await part.read_chunk(CHUNK):
            yield part.decode(chunk)
        extra = await reader.next()
    except ValueError as error:  # a damaged body: a missing boundary, bad base64
        raise InvalidArgument.field("media", f"the multipart body cannot be read: {error}") from None
    if extra is not None:
        raise InvalidArgument.field("media", "a multipart upload has exactly two parts: metadata, then the file")
