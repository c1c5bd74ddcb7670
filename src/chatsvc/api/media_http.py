"""The HTTP media endpoint, beside the gRPC server and in the same event loop: Google's media API paths.

    POST /upload/v1/spaces/{space}/attachments:upload   media.upload (simple and multipart uploads)
    GET  /v1/media/{resourceName=**}?alt=media          media.download (attachments; custom emoji images)

The same bearer tokens as the gRPC API; the upload takes UploadAttachment's scopes and kinds, the download
the scopes Google documents for media.download. Bytes stream between the socket and the blob store in
chunks, whatever the file's size. Errors are Google's JSON errors.
"""
from __future__ import annotations

import contextvars
import json
import logging
import re
import time
import urllib.parse
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from functools import partial

from aiohttp import web
from google.protobuf import json_format

from chatsvc.aip import names
from chatsvc.api import http_errors, oauth_callback
from chatsvc.api.attachments import upload_response
from chatsvc.api.media_upload import read_upload
from chatsvc.api.media_urls import MediaUrls
from chatsvc.auth.interceptor import authorize, bearer_token
from chatsvc.auth.scopes import APP, CHAT_RULES, USER, Rule
from chatsvc.auth.tokens import TokenService
from chatsvc.domain.attachments import Attachments
from chatsvc.domain.credentials import Credentials
from chatsvc.domain.custom_emojis import CustomEmojis
from chatsvc.domain.errors import DomainError, InvalidArgument, NotFound, Unauthenticated
from chatsvc.domain.principal import Principal

log = logging.getLogger("chatsvc.calls")
# Google's REST method ids, as the calls are named in logs and in ErrorInfo metadata.
UPLOAD = "chat.media.upload"
DOWNLOAD = "chat.media.download"
# Google's media.download scopes: chat.bot (app authentication), chat.messages(.readonly) (users).
DOWNLOAD_RULE = Rule(scopes=("chat.bot", "chat.messages", "chat.messages.readonly"), kinds=frozenset({USER, APP}))
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
_KEY = web.AppKey("media", object)
# The name of the routes whose requests write their own log line and errors (REST), alone or before a dot
# (`rest.<method>`: the streamed uploads of chatsvc.http.uploads).
SELF_LOGGED = "rest"
# Who is calling, for the request's log line (never a token).
_CALLER: contextvars.ContextVar[str] = contextvars.ContextVar("chatsvc_media_caller", default="-")


@dataclass
class _Media:
    tokens: TokenService
    attachments: Attachments
    emojis: CustomEmojis
    urls: MediaUrls


async def _principal(request: web.Request, rule: Rule, method: str) -> Principal:
    # Read exactly as the gRPC API reads its metadata: a second Authorization header or another scheme is an
    # invalid credential, not a missing one.
    token = bearer_token(("authorization", value) for value in request.headers.getall("Authorization", ()))
    if token is None:
        raise Unauthenticated("Request is missing a bearer token.", reason="CREDENTIALS_MISSING")
    principal = request.app[_KEY].tokens.verify(token)
    if principal.grant:  # an OAuth access token: refused once its grant is revoked
        await request.app[_KEY].tokens.check_grant(principal)
    _CALLER.set(principal.label)
    authorize(principal, rule, None, method)
    return principal


async def upload(request: web.Request) -> web.Response:
    media: _Media = request.app[_KEY]
    principal = await _principal(request, CHAT_RULES["UploadAttachment"], UPLOAD)
    space_id = names.space(f"spaces/{request.match_info['space']}", "parent")
    sent = await read_upload(request, media.attachments.max_bytes)
    uploaded = await media.attachments.upload(principal, space_id, sent.filename, sent.content_type, sent.chunks)
    return web.json_response(json_format.MessageToDict(upload_response(uploaded)))


@dataclass
class _Found:
    content_type: str
    size: int
    filename: str  # "" for an image shown inline
    content: Callable[[int, int], AsyncIterator[bytes]]  # (start, end) -> the bytes


async def download(request: web.Request) -> web.StreamResponse:
    media: _Media = request.app[_KEY]
    resource = request.match_info["resource"]
    if resource.startswith("customEmojis/"):
        emoji_id = resource.removeprefix("customEmojis/")
        query = request.query
        if not media.urls.emoji_image_valid(emoji_id, query.get("expires", ""), query.get("signature", "")):
            # Only the signed, unexpired URL GetCustomEmoji hands out opens an emoji image.
            raise NotFound(f"Media `{resource}` not found.", reason="MEDIA_NOT_FOUND")
        emoji = await media.emojis.image(emoji_id)
        found = _Found(emoji.content_type, emoji.size_bytes, "", partial(media.emojis.content, emoji))
    else:
        principal = await _principal(request, DOWNLOAD_RULE, DOWNLOAD)
        space_id, message_id, attachment_id = names.attachment(resource, "resourceName")
        attachment = await media.attachments.get(principal, space_id, message_id, attachment_id)
        found = _Found(attachment.content_type, attachment.size_bytes, attachment.content_name,
                       partial(media.attachments.content, attachment))
    if request.query.get("alt") != "media":  # without alt=media, the Media resource itself
        return web.json_response({"resourceName": resource})
    return await _stream(request, found)


async def _stream(request: web.Request, found: _Found) -> web.StreamResponse:
    """The bytes, or the one byte range asked for (Google: `Range: bytes=500-999`), chunk by chunk."""
    size = found.size
    start, end, status = 0, size, 200
    asked = _RANGE.match(request.headers.get("Range", "").strip())
    if asked and (asked.group(1) or asked.group(2)):
        first, last = asked.groups()
        if first:
            start, end = int(first), min(size, int(last) + 1) if last else size
        else:
            start = max(0, size - int(last))
        if start >= size or start >= end:
            return web.Response(status=416, headers={"Content-Range": f"bytes */{size}"})
        status = 206
    response = web.StreamResponse(status=status, headers={
        "Content-Type": found.content_type, "Content-Length": str(end - start), "Accept-Ranges": "bytes",
        "X-Content-Type-Options": "nosniff", "Cache-Control": "private, max-age=0",
        # Served from our origin, a file must not run as a page there: downloaded, or shown as an image.
        "Content-Disposition": "inline" if not found.filename else
        f"attachment; filename*=UTF-8''{urllib.parse.quote(found.filename, safe='')}",
        "Content-Security-Policy": "sandbox; default-src 'none'"})
    if status == 206:
        response.headers["Content-Range"] = f"bytes {start}-{end - 1}/{size}"
    chunks = found.content(start, end)
    try:
        first_chunk = await anext(chunks, b"")
    except FileNotFoundError:
        raise NotFound(f"Media `{request.match_info['resource']}` not found.", reason="MEDIA_NOT_FOUND") from None
    try:
        await response.prepare(request)
        if request.method != "HEAD":
            await response.write(first_chunk)
            async for chunk in chunks:
                await response.write(chunk)
        await response.write_eof()
    except ConnectionResetError:
        log.info("media download: the client went away")
    finally:
        await chunks.aclose()
    return response


@web.middleware
async def _errors_and_log(request: web.Request, handler):
    """One JSON log line per request, like the gRPC calls; every error as Google's JSON error."""
    started = time.perf_counter()
    resource = request.match_info.route.resource
    method = resource.name if resource is not None and resource.name else "http"
    if method == SELF_LOGGED or method.startswith(SELF_LOGGED + "."):  # the gate writes REST calls' lines
        try:
            return await handler(request)
        except web.HTTPException as error:
            return http_errors.http_error(error, method)
    _CALLER.set("-")
    try:
        response = await handler(request)
    except DomainError as error:
        response = http_errors.domain_error(error, method)
    except web.HTTPException as error:
        response = http_errors.http_error(error, method)
    except web.RequestPayloadError:  # a body its Content-Encoding (gzip, deflate) or chunking cannot decode
        response = http_errors.domain_error(InvalidArgument.field(
            "body", "cannot be decoded as its Content-Encoding and Transfer-Encoding say"), method)
    except Exception:
        log.exception("unexpected error in %s", method)
        response = http_errors.internal_error(method)
    log.info(json.dumps({"method": method, "status": response.status,
                         "duration_ms": round((time.perf_counter() - started) * 1000, 3),
                         "principal": _CALLER.get()}))
    return response


def media_app(tokens: TokenService, attachments: Attachments, emojis: CustomEmojis, urls: MediaUrls,
              credentials: Credentials | None = None, *, max_body_bytes: int = 1024 ** 2) -> web.Application:
    """The HTTP endpoint's application with its media and OAuth callback routes; chatsvc.http.server adds the
    rest."""
    app = web.Application(middlewares=[_errors_and_log], client_max_size=max_body_bytes)
    app[_KEY] = _Media(tokens, attachments, emojis, urls)
    # Route names are the calls' names in log lines and errors.
    app.router.add_post("/upload/v1/spaces/{space}/attachments:upload", upload, name=UPLOAD)
    app.router.add_get("/v1/media/{resource:.+}", download, name=DOWNLOAD)
    if credentials is not None:  # the OAuth consent flow returns here
        oauth_callback.add_callback_route(app, credentials)
    return app
