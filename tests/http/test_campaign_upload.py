"""The campaign upload (CampaignService.UploadAttachment, client streaming) over HTTP: Google's media upload
protocol at the path of its google.api.http binding, simple and multipart, through the gate gRPC calls pass
(token, scopes, rate limits, deadline, log line), the bytes streamed into the blob store as they arrive; errors in
Google's envelope. Raw HTTP throughout, plus google-api-python-client built from the served discovery document."""
from __future__ import annotations

import asyncio
import hashlib
import io
import json
import logging
import os
import time
import urllib.parse
from email.generator import BytesGenerator
from email.mime.multipart import MIMEMultipart
from email.mime.nonmultipart import MIMENonMultipart
from pathlib import Path

import aiohttp
import pytest
from aiohttp import MultipartReader

from chatsvc.api.multipart_lines import LenientDelimiters
from chatsvc.campaigns.v1 import campaign_pb2
from chatsvc.domain.email_files import ORIGIN_LIMITS
from chatsvc.http.discovery import OWN_SERVICES
from chatsvc.http.uploads import streamed_uploads
from tests.api.media_support import bearer as media_bearer
from tests.api.media_support import download, media_room, with_tokens
from tests.api.media_support import post as media_post
from tests.campaigns.support import MB, campaign_server, create, make_brand
from tests.helpers import official_python

METHOD = "/chatsvc.campaigns.v1.CampaignService/UploadAttachment"
SCOPES = ("chatsvc.campaigns",)
AGENT = "agent@example.com"


@pytest.fixture
async def harness(database_url):
    async with campaign_server(database_url) as harness:
        yield harness


def bearer(harness, email: str = AGENT, scopes=SCOPES) -> dict:
    return {"Authorization": f"Bearer {harness.token(user=email, scopes=scopes)}"}


def upload_url(harness, owner: str = "users/me", /, **query) -> str:
    """The upload's URL for `owner`'s files (the query may hold a `parent` of its own)."""
    [upload] = streamed_uploads(OWN_SERVICES)  # the method's binding, its variable filled in
    assert upload.binding.full_method == METHOD
    path = upload.binding.template.text.replace("{metadata.parent=users/*}", owner)
    assert path == f"/upload/v1/{owner}/emailFiles"
    return f"{harness.media_url}{path}" + (f"?{urllib.parse.urlencode(query)}" if query else "")


async def post(url: str, *, headers=None, data=None, method: str = "POST") -> tuple[int, dict, bytes]:
    async with aiohttp.ClientSession() as session, session.request(method, url, headers=headers, data=data) as r:
        return r.status, dict(r.headers), await r.read()


def multipart(metadata, data: bytes, content_type: str = "", boundary: str = "b0und4ry-x", parts=None) -> tuple:
    """(headers, body) of a multipart/related upload: the metadata (a dict as JSON, or raw bytes), then the file."""
    meta = metadata if isinstance(metadata, bytes) else json.dumps(metadata).encode()
    file_headers = f"Content-Type: {content_type}\r\n" if content_type else ""
    chunks = parts if parts is not None else [
        b"Content-Type: application/json; charset=UTF-8\r\n\r\n" + meta,
        file_headers.encode() + b"\r\n" + data]
    body = b"".join(f"--{boundary}\r\n".encode() + part + b"\r\n" for part in chunks) + f"--{boundary}--\r\n".encode()
    return {"Content-Type": f"multipart/related; boundary={boundary}"}, body


def error_of(status: int, body: bytes) -> dict:
    """Google's envelope: {"error": {"code": HTTP status, "message", "status", "details"}}; with the ErrorInfo
    reason and BadRequest fields pulled out."""
    error = json.loads(body)["error"]
    assert set(error) == {"code", "message", "status", "details"} and error["code"] == status, error
    [info] = [d for d in error["details"] if d["@type"].endswith("google.rpc.ErrorInfo")]
    assert info["metadata"]["method"] == METHOD, info
    bad = [d for d in error["details"] if d["@type"].endswith("google.rpc.BadRequest")]
    error["reason"] = info["reason"]
    error["fields"] = [v["field"] for v in bad[0]["fieldViolations"]] if bad else []
    return error


def email_blobs(harness) -> list[Path]:
    """Every campaign file the blob store holds, and every upload still in progress."""
    root = Path(harness.data_dir)
    return sorted(p for p in root.rglob("*") if p.is_file() and ("email-files" in p.parts or ".incoming" in p.parts))


def blob_of(harness, name: str) -> bytes:
    return (Path(harness.data_dir) / "email-files" / name.rsplit("/", 1)[1]).read_bytes()


def gate_lines(caplog) -> list[dict]:
    return [json.loads(r.getMessage()) for r in caplog.records if r.name == "chatsvc.calls"]


async def attach(harness, *names: str) -> campaign_pb2.EmailCampaign:
    """A campaign of AGENT's with these files attached, made over gRPC."""
    made = await make_brand(harness, "admin@example.com", members=[AGENT])
    return await create(harness, made.name, AGENT,
                        attachments=[campaign_pb2.EmailAttachment(file=name) for name in names])


async def test_simple_upload_round_trip(harness, caplog):
    data = os.urandom(300_000)
    with caplog.at_level(logging.INFO, logger="chatsvc.calls"):
        status, headers, body = await post(
            upload_url(harness, uploadType="media", origin="ORIGIN_GMAIL", filename="report.pdf",
                       mimeType="application/pdf"),
            headers={**bearer(harness), "Content-Type": "application/octet-stream"}, data=data)
    assert status == 200, body
    assert headers["Content-Type"].startswith("application/json")
    sent = json.loads(body)
    assert set(sent) == {"name", "filename", "mimeType", "sizeBytes", "origin", "createTime"}  # proto3 JSON
    assert (sent["filename"], sent["mimeType"], sent["sizeBytes"], sent["origin"]) == (
        "report.pdf", "application/pdf", str(len(data)), "ORIGIN_GMAIL")
    assert sent["name"].startswith("users/") and "/emailFiles/" in sent["name"]
    assert blob_of(harness, sent["name"]) == data
    # The gate wrote the call's one log line, as for a gRPC call; the HTTP layer wrote none of its own.
    [line] = gate_lines(caplog)
    assert (line["method"], line["status"], line["principal"]) == (METHOD, "OK", AGENT)

    # Origin by number, the media type from Content-Type (parameters dropped), REST's output parameters.
    status, _, body = await post(
        upload_url(harness, uploadType="media", origin=str(campaign_pb2.ORIGIN_MAILGUN), filename="notes.txt",
                   alt="json;enum-encoding=int", prettyPrint="false", fields="name,origin,mimeType"),
        headers={**bearer(harness), "Content-Type": "text/plain; charset=utf-8"}, data=b"plain")
    assert status == 200, body
    assert b"\n " not in body.strip()  # not pretty-printed
    notes = json.loads(body)
    assert set(notes) == {"name", "origin", "mimeType"}
    assert (notes["origin"], notes["mimeType"]) == (campaign_pb2.ORIGIN_MAILGUN, "text/plain")

    # The uploaded files are campaign attachments, over gRPC.
    campaign = await attach(harness, sent["name"], notes["name"])
    assert [(a.file, a.filename) for a in campaign.attachments] == [
        (sent["name"], "report.pdf"), (notes["name"], "notes.txt")]


async def test_multipart_upload_round_trip(harness):
    data = os.urandom(200_000) + b"\r\n--b0und4ry-x"  # a boundary-like line inside the file is data
    headers, body = multipart({"origin": "ORIGIN_OUTLOOK", "filename": "deck.pdf"}, data, "application/pdf",
                              boundary="b0und4ry-xy")
    status, _, reply = await post(upload_url(harness, uploadType="multipart"), headers={**bearer(harness), **headers},
                                  data=body)
    assert status == 200, reply
    deck = json.loads(reply)
    assert (deck["filename"], deck["mimeType"], deck["sizeBytes"], deck["origin"]) == (
        "deck.pdf", "application/pdf", str(len(data)), "ORIGIN_OUTLOOK")
    assert blob_of(harness, deck["name"]) == data

    # The JSON part's mimeType wins over the file part's Content-Type; proto field names work too; without
    # `uploadType` a multipart/related body is a multipart upload; `parent` in the JSON yields to the path.
    headers, body = multipart({"origin": "ORIGIN_GMAIL", "filename": "logo.png", "mime_type": "image/png",
                               "parent": "users/someone-else@example.com"}, b"\x89PNG", "application/octet-stream")
    status, _, reply = await post(upload_url(harness), headers={**bearer(harness), **headers}, data=body)
    assert status == 200, reply
    logo = json.loads(reply)
    assert (logo["filename"], logo["mimeType"], logo["sizeBytes"]) == ("logo.png", "image/png", "4")
    assert logo["name"].split("/")[1] == deck["name"].split("/")[1]  # the caller's, as the path says

    campaign = await attach(harness, deck["name"], logo["name"])
    assert [a.file for a in campaign.attachments] == [deck["name"], logo["name"]]


async def test_missing_or_wrong_token(harness, caplog):
    url = upload_url(harness, uploadType="media", origin="ORIGIN_GMAIL", filename="a.txt")
    with caplog.at_level(logging.INFO, logger="chatsvc.calls"):
        status, headers, body = await post(url, data=b"hello")
    error = error_of(status, body)
    assert (status, error["status"], error["reason"]) == (401, "UNAUTHENTICATED", "CREDENTIALS_MISSING")
    assert headers["WWW-Authenticate"] == "Bearer"
    assert [(line["method"], line["status"]) for line in gate_lines(caplog)] == [(METHOD, "UNAUTHENTICATED")]
    # A caller without a valid token learns nothing about its request, not even that its origin is wrong.
    status, _, body = await post(upload_url(harness, uploadType="media", origin="ORIGIN_FAX"), data=b"x",
                                 headers={"Authorization": "Bearer not-a-token"})
    assert (status, error_of(status, body)["status"]) == (401, "UNAUTHENTICATED")
    # The token works as the access_token parameter too, as Google takes it.
    token = harness.token(user=AGENT, scopes=SCOPES)
    status, _, body = await post(upload_url(harness, uploadType="media", origin="ORIGIN_GMAIL", filename="a.txt",
                                            access_token=token), data=b"hello")
    assert status == 200, body
    # The scope table of the gRPC method: a Chat token is not a campaigns token.
    status, _, body = await post(url, data=b"hello", headers=bearer(harness, scopes=("chat.messages",)))
    error = error_of(status, body)
    assert (status, error["reason"]) == (403, "ACCESS_TOKEN_SCOPE_INSUFFICIENT")
    assert len(email_blobs(harness)) == 1


async def test_bad_requests_are_400_and_leave_nothing(harness):
    def simple(**query):
        return upload_url(harness, uploadType="media", **query)

    cases = [
        (simple(filename="a.txt"), "metadata.origin"),  # no origin
        (simple(origin="9", filename="a.txt"), "metadata.origin"),
        (simple(origin="ORIGIN_FAX", filename="a.txt"), "origin"),  # not an Origin
        (simple(origin="ORIGIN_GMAIL"), "metadata.filename"),
        (simple(origin="ORIGIN_GMAIL", filename="dir/a.txt"), "metadata.filename"),
        (simple(origin="ORIGIN_GMAIL", filename="a.txt", mimeType="not a type"), "metadata.mime_type"),
        (simple(origin="ORIGIN_GMAIL", filename="a.txt", colour="red"), "colour"),
        (simple(origin="ORIGIN_GMAIL", filename="a.txt", parent="users/x"), "parent"),
        (upload_url(harness, uploadType="resumable", origin="ORIGIN_GMAIL", filename="a.txt"), "uploadType"),
        (upload_url(harness, "users/me", uploadType="media", origin="ORIGIN_GMAIL", filename="a.txt",
                    alt="xml"), "alt"),
    ]
    for url, field in cases:
        status, _, body = await post(url, headers=bearer(harness), data=b"hello")
        assert status == 400, (url, body)
        error = error_of(status, body)
        assert error["status"] == "INVALID_ARGUMENT" and error["fields"] == [field], (url, error)

    def multi(*args, **kwargs):
        headers, body = multipart(*args, **kwargs)
        return {**bearer(harness), **headers}, body

    parts = [
        (multi(b"{not json", b"x"), "metadata"),
        (multi({"origin": "ORIGIN_GMAIL", "filename": "a.txt", "colour": "red"}, b"x"), "metadata"),
        (multi({"origin": "ORIGIN_GMAIL"}, b"x"), "metadata.filename"),
        (multi({}, b"", parts=[b"Content-Type: application/json\r\n\r\n{}"]), "media"),  # no file part
        (multi({}, b"", parts=[b"Content-Type: application/json\r\n\r\n"
                               b'{"origin": "ORIGIN_GMAIL", "filename": "a.txt"}',
                               b"\r\nfile", b"\r\nmore"]), "media"),  # a third part
        (({**bearer(harness), "Content-Type": "application/json"}, b"{}"), "Content-Type"),
        (multi({}, b"", boundary="bb", parts=[b"Content-Type: application/json\r\n\r\n{}\r\n--bbX\r\n\r\nfile"]),
         "media"),  # a damaged boundary after the metadata
        (multi({}, b"", parts=[b"Content-Type: application/json\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                               b"e30", b"\r\nfile"]), "metadata"),  # damaged base64
    ]
    for (headers, body), field in parts:
        status, _, reply = await post(upload_url(harness, uploadType="multipart"), headers=headers, data=body)
        error = error_of(status, reply)
        assert (status, error["fields"]) == (400, [field]), (body, error)
    assert email_blobs(harness) == []

    # Someone else's parent: NOT_FOUND, as over gRPC.
    status, _, body = await post(upload_url(harness, "users/other@example.com", uploadType="media",
                                            origin="ORIGIN_GMAIL", filename="a.txt"), headers=bearer(harness),
                                 data=b"x")
    assert (status, error_of(status, body)["status"]) == (404, "NOT_FOUND")
    # The path takes POST only; others are 405 in the same envelope, not a JSON route.
    status, _, body = await post(upload_url(harness), method="GET", headers=bearer(harness))
    assert status == 405 and json.loads(body)["error"]["code"] == 405
    assert email_blobs(harness) == []


async def test_over_the_origins_limit_is_413_and_leaves_nothing(harness):
    limit = ORIGIN_LIMITS[campaign_pb2.ORIGIN_MAILGUN]

    async def body(size: int):  # chunked: no Content-Length, so the limit is met while the bytes stream
        block = b"\0" * MB
        for start in range(0, size, MB):
            yield block[:min(MB, size - start)]

    url = upload_url(harness, uploadType="media", origin="ORIGIN_MAILGUN", filename="big.bin")
    status, _, reply = await post(url, headers=bearer(harness), data=body(limit + 1))
    error = error_of(status, reply)
    assert (status, error["status"], error["reason"]) == (413, "RESOURCE_EXHAUSTED", "UPLOAD_TOO_LARGE")
    assert email_blobs(harness) == []
    status, _, reply = await post(url, headers=bearer(harness), data=body(limit))  # exactly the limit
    assert status == 200 and json.loads(reply)["sizeBytes"] == str(limit), reply


async def raw_request(harness, head: str, body: bytes = b"", *, timeout: float = 15) -> tuple[int, dict]:
    """Sends `head` and `body` over a socket and reads the response without sending anything more: (status,
    the JSON body)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", harness.running.http.port)
    try:
        writer.write(head.encode() + b"\r\n" + body)
        await writer.drain()
        raw = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), timeout)
        lines = raw.decode().split("\r\n")
        fields = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
        reply = await asyncio.wait_for(reader.readexactly(int(fields["content-length"])), timeout)
        return int(lines[0].split()[1]), json.loads(reply)
    finally:
        writer.close()


def request_head(harness, query: str, length: int, token: str) -> str:
    return (f"POST /upload/v1/users/me/emailFiles?{query} HTTP/1.1\r\nHost: chatsvc\r\n"
            f"Authorization: Bearer {token}\r\nContent-Type: application/octet-stream\r\n"
            f"Content-Length: {length}\r\n")


async def test_a_content_length_over_every_limit_is_refused_before_the_body(harness):
    """30 MB declared, nothing of it sent: the answer comes at once (the gate admitted the caller first)."""
    token = harness.token(user=AGENT, scopes=SCOPES)
    status, reply = await raw_request(harness, request_head(
        harness, "uploadType=media&origin=ORIGIN_GMAIL&filename=a.bin", 30 * MB, token))
    assert (status, reply["error"]["status"], reply["error"]["details"][0]["reason"]) == (
        413, "RESOURCE_EXHAUSTED", "UPLOAD_TOO_LARGE")
    status, reply = await raw_request(harness, request_head(
        harness, "uploadType=media&origin=ORIGIN_GMAIL&filename=a.bin", 30 * MB, "forged"))
    assert status == 401  # without a valid token: nothing about the request
    assert email_blobs(harness) == []


async def test_a_large_file_streams_into_the_blob_store_as_it_arrives(harness):
    """25 MB (within Gmail's 26 MB): the client holds back the second half of the file until the first has
    reached the blob store. A server that read the whole body before calling the method would never see it, and
    this test would time out; so the bytes go from the socket to the disk in chunks. Then 30 MB, over every
    origin's limit, streamed without a Content-Length: 413, nothing left."""
    size, half = 25 * MB, 12 * MB
    block, sent = os.urandom(MB), hashlib.sha256()
    progress: list[int] = []

    async def body(total: int, hold_back: bool):
        for start in range(0, total, MB):
            if hold_back and start == half:
                deadline = time.monotonic() + 20
                while (written := sum(p.stat().st_size for p in email_blobs(harness))) < 8 * MB:
                    assert time.monotonic() < deadline, "the first half never reached the blob store"
                    await asyncio.sleep(0.02)
                progress.append(written)
            sent.update(block)
            yield block

    url = upload_url(harness, uploadType="media", origin="ORIGIN_GMAIL", filename="video.mp4")
    status, _, reply = await post(url, headers=bearer(harness), data=body(size, True))
    assert status == 200, reply
    uploaded = json.loads(reply)
    assert progress and 8 * MB <= progress[0] <= half
    assert (uploaded["sizeBytes"], uploaded["mimeType"]) == (str(size), "application/octet-stream")
    stored = hashlib.sha256(blob_of(harness, uploaded["name"])).digest()
    assert stored == sent.digest()

    status, _, reply = await post(url, headers=bearer(harness), data=body(30 * MB, False))
    assert (status, error_of(status, reply)["reason"]) == (413, "UPLOAD_TOO_LARGE")
    assert email_blobs(harness) == [Path(harness.data_dir) / "email-files" / uploaded["name"].rsplit("/", 1)[1]]


async def test_rate_limits_and_the_deadline_of_the_gate(database_url):
    """The gate's per-caller rate limit and the server's deadline hold for uploads over HTTP as over gRPC."""
    async with campaign_server(database_url, rate_limit_per_minute=2, rate_limit_burst=2,
                               call_timeout_seconds=0.5) as harness:
        token = harness.token(user=AGENT, scopes=SCOPES)
        # A client that stops sending halfway: the call is stopped at the deadline, the partial file dropped.
        began = time.monotonic()
        status, reply = await raw_request(harness, request_head(
            harness, "uploadType=media&origin=ORIGIN_GMAIL&filename=a.bin", 1000, token), b"x" * 10)
        assert (status, reply["error"]["status"], reply["error"]["details"][0]["reason"]) == (
            504, "DEADLINE_EXCEEDED", "SERVER_DEADLINE_EXCEEDED")
        assert 0.5 <= time.monotonic() - began < 5
        assert email_blobs(harness) == []
        url = upload_url(harness, uploadType="media", origin="ORIGIN_GMAIL", filename="a.txt")
        status, _, reply = await post(url, headers={"Authorization": f"Bearer {token}"}, data=b"ok")
        assert status == 200, reply
        status, _, reply = await post(url, headers={"Authorization": f"Bearer {token}"}, data=b"too many")
        error = error_of(status, reply)
        assert (status, error["status"]) == (429, "RESOURCE_EXHAUSTED") and error["reason"] != "UPLOAD_TOO_LARGE"
        assert {d["@type"].rsplit(".", 1)[1] for d in error["details"]} >= {"QuotaFailure", "RetryInfo"}


async def test_a_client_that_goes_away_leaves_nothing(harness, caplog):
    token = harness.token(user=AGENT, scopes=SCOPES)
    with caplog.at_level(logging.INFO, logger="chatsvc.calls"):
        reader, writer = await asyncio.open_connection("127.0.0.1", harness.running.http.port)
        writer.write(request_head(harness, "uploadType=media&origin=ORIGIN_GMAIL&filename=a.bin", 10 * MB,
                                  token).encode() + b"\r\n" + b"x" * (2 * MB))
        await writer.drain()
        deadline = time.monotonic() + 10
        while not email_blobs(harness):  # the upload is under way
            assert time.monotonic() < deadline
            await asyncio.sleep(0.02)
        writer.close()
        while not gate_lines(caplog):
            assert time.monotonic() < deadline
            await asyncio.sleep(0.02)
    assert [(line["method"], line["status"]) for line in gate_lines(caplog)] == [(METHOD, "INVALID_ARGUMENT")]
    assert email_blobs(harness) == []


DISCOVERY_CLIENT = r"""
import io, json, sys
import httplib2
from googleapiclient.discovery import build
from googleapiclient.http import MediaIoBaseUpload

root, token = sys.argv[1], sys.argv[2]
client = build("chatsvccampaigns", "v1", http=httplib2.Http(), static_discovery=False,
               discoveryServiceUrl=root + "/discovery/v1/apis/{api}/{apiVersion}/rest")
request = client.media().upload(parent="users/me", body={"origin": "ORIGIN_OUTLOOK", "filename": "notes.txt"},
                                media_body=MediaIoBaseUpload(io.BytesIO(b"hello from discovery"),
                                                             mimetype="text/plain"))
request.headers["authorization"] = "Bearer " + token
print(json.dumps({"uri": request.uri, "response": request.execute()}))
"""


async def test_discovery_advertises_this_upload(harness):
    """The served discovery document's media upload path and request schema are the ones served here:
    google-api-python-client, built from it, uploads a file (multipart) to the live server."""
    status, _, body = await post(f"{harness.media_url}/discovery/v1/apis/chatsvccampaigns/v1/rest", method="GET")
    assert status == 200
    document = json.loads(body)
    method = document["resources"]["media"]["methods"]["upload"]
    assert method["httpMethod"] == "POST" and method["request"] == {"$ref": "UploadAttachmentMetadata"}
    advertised = method["mediaUpload"]["protocols"]["simple"]
    assert advertised["multipart"] is True and int(method["mediaUpload"]["maxSize"]) == max(ORIGIN_LIMITS.values())
    url = document["rootUrl"] + advertised["path"].lstrip("/").replace("{+parent}", "users/me")
    assert url == upload_url(harness)
    headers, data = multipart({"origin": "ORIGIN_GMAIL", "filename": "a.txt"}, b"hello", "text/plain")
    status, _, reply = await post(url + "?uploadType=multipart", headers={**bearer(harness), **headers}, data=data)
    assert status == 200, reply

    proc = await asyncio.create_subprocess_exec(
        official_python(), "-I", "-c", DISCOVERY_CLIENT, harness.media_url, harness.token(user=AGENT, scopes=SCOPES),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(proc.communicate(), 120)
    assert proc.returncode == 0, err.decode()
    result = json.loads(out)
    assert result["uri"].startswith(upload_url(harness) + "?") and "uploadType=multipart" in result["uri"]
    made = result["response"]
    assert (made["filename"], made["mimeType"], made["sizeBytes"], made["origin"]) == (
        "notes.txt", "text/plain", "20", "ORIGIN_OUTLOOK")
    assert blob_of(harness, made["name"]) == b"hello from discovery"
    campaign = await attach(harness, made["name"])
    assert campaign.attachments[0].filename == "notes.txt"



class _RawBytesGenerator(BytesGenerator):
    _write_lines = BytesGenerator.write  # google-api-python-client's: the payload's own line ends kept


def email_generator_body(metadata: dict, data: bytes, mimetype: str) -> tuple[dict, bytes]:
    """A multipart/related body as google-api-python-client builds it: Python's email generator, bare-LF lines."""
    root = MIMEMultipart("related")
    root._write_headers = lambda self: None  # as the client does: the parts only
    part = MIMENonMultipart("application", "json")
    part.set_payload(json.dumps(metadata))
    root.attach(part)
    part = MIMENonMultipart(*mimetype.split("/"))
    part["Content-Transfer-Encoding"] = "binary"
    part.set_payload(data)
    root.attach(part)
    out = io.BytesIO()
    _RawBytesGenerator(out, mangle_from_=False).flatten(root, unixfrom=False)
    body = out.getvalue()
    assert data in body and b"\r\n" not in body.replace(data, b"")
    return {"Content-Type": f'multipart/related; boundary="{root.get_boundary()}"'}, body


async def send_in_pieces(harness, path: str, headers: dict, body: bytes, piece: int = 7) -> tuple[int, dict]:
    """A POST over a socket, its body written a few bytes at a time (so delimiters arrive split)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", harness.running.http.port)
    try:
        head = "".join(f"{k}: {v}\r\n" for k, v in {**headers, "Content-Length": len(body)}.items())
        writer.write(f"POST {path} HTTP/1.1\r\nHost: chatsvc\r\n{head}\r\n".encode())
        for start in range(0, len(body), piece):
            writer.write(body[start:start + piece])
            await writer.drain()
            await asyncio.sleep(0)
        raw = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 15)
        lines = raw.decode().split("\r\n")
        fields = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
        reply = await asyncio.wait_for(reader.readexactly(int(fields["content-length"])), 15)
        return int(lines[0].split()[1]), json.loads(reply)
    finally:
        writer.close()


async def test_bare_lf_multipart_as_googles_python_client_sends_it(harness):
    """Python's email generator ends lines with LF alone; Google's upload servers take it, so do both of ours
    (the campaign upload and Chat's media upload), whole or arriving a few bytes at a time."""
    data = b"line one\nline two\r\n--not-the-boundary\n" + os.urandom(300)
    headers, body = email_generator_body({"origin": "ORIGIN_GMAIL", "filename": "lf.txt"}, data, "text/plain")
    for piece in (len(body), 5):
        status, made = await send_in_pieces(
            harness, "/upload/v1/users/me/emailFiles?uploadType=multipart", {**bearer(harness), **headers}, body,
            piece)
        assert status == 200, made
        assert (made["filename"], made["mimeType"], made["sizeBytes"]) == ("lf.txt", "text/plain", str(len(data)))
        assert blob_of(harness, made["name"]) == data

    space, alice, bob, _ = await media_room(harness)
    headers, body = email_generator_body({"filename": "chat.bin"}, data, "application/x-custom")
    status, made = await send_in_pieces(harness, f"/upload/v1/{space.name}/attachments:upload?uploadType=multipart",
                                        {**media_bearer(alice), **headers}, body, 5)
    assert status == 200, made
    message = await media_post(harness, alice, space.name,
                               with_tokens(made["attachmentDataRef"]["attachmentUploadToken"]))
    assert (message.attachment[0].content_name, message.attachment[0].content_type) == (
        "chat.bin", "application/x-custom")
    assert (await download(harness, bob, message.attachment[0].attachment_data_ref.resource_name))[2] == data


class _Chunks:
    """A source handing out `body` in pieces of `size` bytes (what StreamReader.readany would)."""

    def __init__(self, body: bytes, size: int):
        self._pieces = [body[i:i + size] for i in range(0, len(body), size)]

    async def readany(self) -> bytes:
        return self._pieces.pop(0) if self._pieces else b""


@pytest.mark.parametrize("newline", [b"\r\n", b"\n"])
async def test_lenient_delimiters_whatever_the_chunking(newline):
    """Every chunk size from 1 byte up: the parts come out the same, a CRLF body exactly as aiohttp reads it,
    with look-alikes of the delimiter inside the data left alone."""
    boundary = b"bnd"
    data = b"x\r\n--bn\n--bndx\r--bnd" + newline + b"--bn"  # near-delimiters only: none is `<newline>--bnd<end>`
    data = data.replace(b"\n--bndx", b"\n--bn-x")  # (a bare-LF `\n--bnd` would be a delimiter by definition)
    body = (b"--bnd" + newline + b"Content-Type: application/json" + newline + newline + b'{"a": 1}' + newline +
            b"--bnd" + newline + b"Content-Type: text/plain" + newline + newline + data + newline +
            b"--bnd--" + newline)
    for size in range(1, len(body) + 1):
        reader = MultipartReader({"Content-Type": "multipart/related; boundary=bnd"},
                                 LenientDelimiters(_Chunks(body, size), boundary))
        parts = []
        while (part := await reader.next()) is not None:
            content = bytearray()
            while chunk := await part.read_chunk(8):
                content += chunk
            parts.append((part.headers["Content-Type"], bytes(content)))
        assert parts == [("application/json", b'{"a": 1}'), ("text/plain", data)], size


SIMPLE_DISCOVERY_CLIENT = r"""
import io, json, sys
import httplib2
from googleapiclient.discovery import build
from googleapiclient.http import MediaIoBaseUpload

root, token = sys.argv[1], sys.argv[2]
client = build("chatsvccampaigns", "v1", http=httplib2.Http(), static_discovery=False,
               discoveryServiceUrl=root + "/discovery/v1/apis/{api}/{apiVersion}/rest")
request = client.media().upload(parent="users/me", origin="ORIGIN_GMAIL", filename="plain.txt",
                                media_body=MediaIoBaseUpload(io.BytesIO(b"simple upload"), mimetype="text/plain"))
request.headers["authorization"] = "Bearer " + token
print(json.dumps({"uri": request.uri, "response": request.execute()}))
"""


async def test_a_client_built_from_discovery_sends_a_simple_upload(harness):
    """Discovery lists the metadata's fields as query parameters, so a simple upload (no JSON part) is
    possible from a generated client; the same path without `/upload` names the method but takes no call."""
    proc = await asyncio.create_subprocess_exec(
        official_python(), "-I", "-c", SIMPLE_DISCOVERY_CLIENT, harness.media_url,
        harness.token(user=AGENT, scopes=SCOPES), stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(proc.communicate(), 120)
    assert proc.returncode == 0, err.decode()
    result = json.loads(out)
    assert "uploadType=media" in result["uri"] and "origin=ORIGIN_GMAIL" in result["uri"]
    made = result["response"]
    assert (made["filename"], made["origin"], made["sizeBytes"]) == ("plain.txt", "ORIGIN_GMAIL", "13")
    assert blob_of(harness, made["name"]) == b"simple upload"

    plain = upload_url(harness).replace("/upload/v1/", "/v1/")
    status, _, body = await post(plain, headers={**bearer(harness), "Content-Type": "application/json"},
                                 data=b'{"origin": "ORIGIN_GMAIL", "filename": "x.txt"}')
    error = error_of(400, body)
    assert error["status"] == "INVALID_ARGUMENT" and "/upload/v1/users/me/emailFiles" in error["message"]
