"""The HTTP media endpoint: simple and multipart uploads, downloads (whole, ranges, HEAD, the Media
resource), bearer tokens and scopes, membership, size limits with nothing left behind, Google's JSON errors."""
import asyncio
import base64
import json
import os
import uuid

import aiohttp
import pytest

from tests.api.media_support import (
    bearer,
    blob_files,
    download,
    http,
    media_room,
    post,
    upload,
    upload_token,
    upload_url,
    with_tokens,
)
from tests.conftest import serving


@pytest.fixture
async def room(server):
    return await media_room(server)


def error_of(body: bytes) -> dict:
    """Google's JSON error: {"error": {"code", "message", "status", "details"}}."""
    error = json.loads(body)["error"]
    assert set(error) == {"code", "message", "status", "details"}, error
    return error


def info_of(error: dict) -> dict:
    [info] = [d for d in error["details"] if d["@type"].endswith("google.rpc.ErrorInfo")]
    assert info["domain"] == "chat.googleapis.com"
    return info


def fields_of(error: dict) -> list[str]:
    [bad] = [d for d in error["details"] if d["@type"].endswith("google.rpc.BadRequest")]
    return [v["field"] for v in bad["fieldViolations"]]


async def attached(server, md, space_name, token):
    return (await post(server, md, space_name, with_tokens(token))).attachment[0]


async def test_simple_upload_then_download_byte_identical(server, room):
    space, alice, bob, bot = room
    data = os.urandom(700_000)
    status, body = await upload(server, alice, space.name, data, "photo.PNG", "application/octet-stream")
    assert status == 200 and set(body) == {"attachmentDataRef"}
    assert set(body["attachmentDataRef"]) == {"attachmentUploadToken"}  # camelCase JSON, as Google's
    attachment = await attached(server, alice, space.name, body["attachmentDataRef"]["attachmentUploadToken"])
    assert attachment.content_type == "image/png"  # a generic declared type: the extension decides

    for md in (bob, bot, alice):  # members and the space's app, with their download scopes
        status, headers, got = await download(server, md, attachment.attachment_data_ref.resource_name)
        assert (status, got == data) == (200, True)
    assert headers["Content-Type"] == "image/png" and headers["Content-Length"] == str(len(data))
    assert headers["Content-Disposition"] == "attachment; filename*=UTF-8''photo.PNG"
    assert headers["X-Content-Type-Options"] == "nosniff"
    readonly = server.md(user="bob@example.com", scopes=("chat.messages.readonly",))
    assert (await download(server, readonly, attachment.name))[0] == 200


async def test_ranges_head_and_the_media_resource(server, room):
    space, alice, bob, _ = room
    data = bytes(range(256)) * 4
    attachment = await attached(server, alice, space.name, await upload_token(server, alice, space.name, data))
    name = attachment.name

    status, headers, body = await download(server, bob, name, headers={"Range": "bytes=500-999"})
    assert (status, body, headers["Content-Range"]) == (206, data[500:1000], f"bytes 500-999/{len(data)}")
    assert (await download(server, bob, name, headers={"Range": "bytes=1000-"}))[2] == data[1000:]
    assert (await download(server, bob, name, headers={"Range": "bytes=-24"}))[2] == data[-24:]
    assert (await download(server, bob, name, headers={"Range": "bytes=1000-5000"}))[2] == data[1000:]
    status, headers, _ = await download(server, bob, name, headers={"Range": "bytes=5000-"})
    assert (status, headers["Content-Range"]) == (416, f"bytes */{len(data)}")
    assert (await download(server, bob, name, headers={"Range": "lines=1-2"}))[2] == data  # not bytes: ignored

    status, headers, body = await download(server, bob, name, method="HEAD")
    assert (status, body, headers["Content-Length"]) == (200, b"", str(len(data)))
    status, _, body = await download(server, bob, name, alt="")  # no alt=media: the Media resource
    assert (status, json.loads(body)) == (200, {"resourceName": name})


async def test_multipart_upload(server, room):
    space, alice, bob, _ = room
    data = os.urandom(200_000)
    with aiohttp.MultipartWriter("related") as parts:
        parts.append_json({"filename": "data.bin"})
        parts.append(data, {"Content-Type": "application/x-custom"})
    status, _, body = await http("POST", upload_url(server, space.name, uploadType="multipart"),
                                 headers=bearer(alice), data=parts)
    assert status == 200, body
    attachment = await attached(server, alice, space.name,
                                json.loads(body)["attachmentDataRef"]["attachmentUploadToken"])
    assert (attachment.content_name, attachment.content_type) == ("data.bin", "application/x-custom")
    assert (await download(server, bob, attachment.name))[2] == data

    # A base64-encoded file part (the protocol allows it) arrives decoded.
    body = (b"--b\r\nContent-Type: application/json\r\n\r\n{\"filename\": \"b64.txt\"}\r\n"
            b"--b\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            + base64.encodebytes(data) + b"\r\n--b--\r\n")
    status, _, response = await http("POST", upload_url(server, space.name, uploadType="multipart"),
                                     headers={**bearer(alice), "Content-Type": "multipart/related; boundary=b"},
                                     data=body)
    assert status == 200, response
    attachment = await attached(server, alice, space.name,
                                json.loads(response)["attachmentDataRef"]["attachmentUploadToken"])
    assert (await download(server, bob, attachment.name))[2] == data


async def test_multipart_errors_leave_nothing_behind(server, room):
    space, alice, _, _ = room
    url = upload_url(server, space.name, uploadType="multipart")
    cases = []
    with aiohttp.MultipartWriter("related") as only_metadata:
        only_metadata.append_json({"filename": "a.txt"})
    cases.append((only_metadata, "media"))
    with aiohttp.MultipartWriter("related") as three:
        three.append_json({"filename": "a.txt"})
        three.append(b"file", {"Content-Type": "text/plain"})
        three.append(b"extra", {"Content-Type": "text/plain"})
    cases.append((three, "media"))
    with aiohttp.MultipartWriter("related") as unknown_field:
        unknown_field.append_json({"filename": "a.txt", "colour": "red"})
        unknown_field.append(b"file", {"Content-Type": "text/plain"})
    cases.append((unknown_field, "metadata"))
    with aiohttp.MultipartWriter("related") as no_name:
        no_name.append_json({})
        no_name.append(b"file", {"Content-Type": "text/plain"})
    cases.append((no_name, "filename"))
    for parts, field in cases:
        status, _, body = await http("POST", url, headers=bearer(alice), data=parts)
        error = error_of(body)
        assert (status, error["status"], fields_of(error)) == (400, "INVALID_ARGUMENT", [field]), error
    status, _, body = await http("POST", url, headers={**bearer(alice), "Content-Type": "text/plain"}, data=b"x")
    assert status == 400 and fields_of(error_of(body)) == ["Content-Type"]
    assert blob_files(server) == []


async def test_bearer_tokens_and_scopes(server, room):
    space, alice, _, bot = room
    url = upload_url(server, space.name, uploadType="media", filename="a.txt")
    attachment = await attached(server, alice, space.name, await upload_token(server, alice, space.name))

    for headers in ({}, {"Authorization": "Basic eA=="}, {"Authorization": "Bearer garbage"}):
        for status, response_headers, body in (await http("POST", url, headers=headers, data=b"x"),
                                               await download(server, None, attachment.name, headers=headers)):
            error = error_of(body)
            assert (status, error["code"], error["status"]) == (401, 401, "UNAUTHENTICATED")
            assert response_headers["WWW-Authenticate"] == "Bearer"
            assert "garbage" not in body.decode()
    # The same reasons as over gRPC: no header is a missing credential; another scheme, or a second
    # Authorization header beside a good one, an invalid one.
    good = bearer(alice)["Authorization"]
    for headers, reason in (({}, "CREDENTIALS_MISSING"), ({"Authorization": "Basic eA=="}, "INVALID_TOKEN"),
                            ([("Authorization", good), ("Authorization", "Bearer garbage")], "INVALID_TOKEN")):
        download_url = f"{server.media_url}/v1/media/{attachment.name}?alt=media"
        for _, _, body in (await http("POST", url, headers=headers, data=b"x"),
                           await http("GET", download_url, headers=headers)):
            assert info_of(error_of(body))["reason"] == reason, (headers, body)
    expired = server.md(user="alice@example.com", scopes=("chat.messages",), ttl=-60)
    assert info_of(error_of((await download(server, expired, attachment.name))[2]))["reason"] == "EXPIRED_TOKEN"

    refusals = [
        (await http("POST", url, headers=bearer(bot), data=b"x"), "APP_AUTHENTICATION_NOT_SUPPORTED"),
        (await http("POST", url, headers=bearer(server.md(user="alice@example.com", scopes=("chat.spaces",))),
                    data=b"x"), "ACCESS_TOKEN_SCOPE_INSUFFICIENT"),
        (await download(server, server.md(user="alice@example.com", scopes=("chat.messages.create",)),
                        attachment.name), "ACCESS_TOKEN_SCOPE_INSUFFICIENT"),
        (await download(server, server.md(app="media-bot", scopes=("chat.app.messages.readonly",)),
                        attachment.name), "ACCESS_TOKEN_SCOPE_INSUFFICIENT"),
    ]
    for (status, _, body), reason in refusals:
        error = error_of(body)
        assert (status, error["status"], info_of(error)["reason"]) == (403, "PERMISSION_DENIED", reason)
    # Every scope UploadAttachment takes uploads (chat.import: import-mode spaces only, so refused here).
    for scope in ("chat.messages", "chat.messages.create"):
        assert (await upload(server, server.md(user="alice@example.com", scopes=(scope,)), space.name))[0] == 200
    status, body = await upload(server, server.md(user="alice@example.com", scopes=("chat.import",)), space.name)
    assert status == 403 and body["error"]["status"] == "PERMISSION_DENIED"


async def test_upload_errors(server, room):
    space, alice, _, _ = room
    cases = [
        (upload_url(server, space.name, uploadType="media"), "filename", "INVALID_ARGUMENT"),
        (upload_url(server, space.name, uploadType="media", filename="run.bat"), "filename", "FILE_TYPE_BLOCKED"),
        (upload_url(server, space.name, uploadType="resumable", filename="a.txt"), "uploadType", "INVALID_ARGUMENT"),
        (upload_url(server, space.name, uploadType="chunks", filename="a.txt"), "uploadType", "INVALID_ARGUMENT"),
    ]
    for url, field, reason in cases:
        status, _, body = await http("POST", url, headers={**bearer(alice), "Content-Type": "text/plain"}, data=b"x")
        error = error_of(body)
        assert (status, error["code"], fields_of(error), info_of(error)["reason"]) == (400, 400, [field], reason)
        assert info_of(error)["metadata"]["method"] == "chat.media.upload"
    status, _, body = await http("POST", upload_url(server, space.name, filename="a.txt"),
                                 headers={**bearer(alice), "Content-Type": "not a type"}, data=b"x")
    assert status == 400 and fields_of(error_of(body)) == ["content_type"]
    # Not a route of the endpoint.
    status, _, body = await http("GET", f"{server.media_url}/v1/elsewhere", headers=bearer(alice))
    assert (status, error_of(body)["status"]) == (404, "NOT_FOUND")
    status, _, body = await http("GET", upload_url(server, space.name), headers=bearer(alice))
    assert status == 405 and error_of(body)["code"] == 405
    assert blob_files(server) == []


async def test_a_non_member_learns_nothing(server, room):
    space, alice, _, _ = room
    attachment = await attached(server, alice, space.name, await upload_token(server, alice, space.name))
    carol = server.md(user="carol@example.com", scopes=("chat.messages",))
    outsider_bot = server.md(app="outsider-bot", scopes=("chat.bot",))

    status, hidden = await upload(server, carol, space.name)
    _, missing = await upload(server, carol, "spaces/AAAAnothere1")
    assert status == 404 and hidden["error"]["status"] == "NOT_FOUND"
    assert info_of(hidden["error"])["reason"] == info_of(missing["error"])["reason"] == "SPACE_NOT_FOUND"
    for md in (carol, outsider_bot):
        status, _, body = await download(server, md, attachment.name)
        assert (status, info_of(error_of(body))["reason"]) == (404, "SPACE_NOT_FOUND")
    files = blob_files(server)
    assert len(files) == 1  # alice's; the refused uploads stored nothing


@pytest.fixture
async def small_server(database_url):
    """A server refusing uploads above 64 KiB."""
    async with serving(database_url, max_upload_bytes=64 * 1024) as harness:
        yield harness


async def test_size_limit_is_413_and_leaves_nothing_behind(small_server):
    server = small_server
    alice = server.md(user="alice@example.com", scopes=("chat.spaces", "chat.messages"))
    space = await _space(server, alice)
    url = upload_url(server, space.name, uploadType="media", filename="big.bin")

    async def chunked(size):  # no Content-Length: the limit is met while streaming
        for _ in range(size // 4096):
            yield b"\0" * 4096

    assert (await upload(server, alice, space.name, b"\0" * 64 * 1024, "exact.bin"))[0] == 200
    for data in (chunked(64 * 1024 + 4096), b"\0" * (64 * 1024 + 1)):
        status, _, body = await http("POST", url, headers=bearer(alice), data=data)
        error = error_of(body)
        assert (status, error["code"], info_of(error)["reason"]) == (413, 413, "UPLOAD_TOO_LARGE"), error
    with aiohttp.MultipartWriter("related") as parts:
        parts.append_json({"filename": "big.bin"})
        parts.append(chunked(128 * 1024), {"Content-Type": "application/octet-stream"})
    status, _, body = await http("POST", upload_url(server, space.name, uploadType="multipart"),
                                 headers=bearer(alice), data=parts)
    assert status == 413, body
    assert [f.name for f in blob_files(server)] == [_only_blob(server).name]  # the one upload that fit


async def test_the_default_limit_is_googles_200_mb(server, room):
    """Said up front by Content-Length, an upload over 200 MB is refused before a byte of it is read."""
    space, alice, _, _ = room
    host, port = server.media_url.removeprefix("http://").split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    path = upload_url(server, space.name, uploadType="media", filename="huge.bin").removeprefix(server.media_url)
    writer.write(f"POST {path} HTTP/1.1\r\nHost: {host}\r\n{next(iter(bearer(alice)))}: "
                 f"{bearer(alice)['Authorization']}\r\nContent-Length: {200 * 1024 * 1024 + 1}\r\n\r\n".encode())
    await writer.drain()
    status_line = await asyncio.wait_for(reader.readline(), 10)
    writer.close()
    assert status_line.split()[1] == b"413"
    assert blob_files(server) == []


def _only_blob(server):
    [blob] = [f for f in blob_files(server) if ".incoming" not in f.parts]
    return blob


async def _space(server, md):
    from tests import helpers

    return await helpers.new_space(server, md, display_name=f"Limits {uuid.uuid4().hex[:8]}")


async def test_an_upload_body_its_content_encoding_cannot_decode_is_a_400(server, room):
    # aiohttp raises while the body streams; that is the sender's fault, never a 500.
    space, alice, _, _ = room
    status, _, body = await http("POST", upload_url(server, space.name, uploadType="media", filename="a.txt"),
                                 headers={**bearer(alice), "Content-Type": "text/plain", "Content-Encoding": "gzip"},
                                 data=b"not gzip at all" * 100)
    error = json.loads(body)["error"]
    assert (status, error["status"], error["details"][0]["reason"]) == (400, "INVALID_ARGUMENT", "INVALID_ARGUMENT")
    assert blob_files(server) == []
