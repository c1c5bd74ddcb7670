"""Helpers of the attachment, media and custom emoji tests: HTTP calls to the media endpoint, a space with
members and a Chat app, and small valid images."""
from __future__ import annotations

import json
import struct
import urllib.parse
import uuid
import zlib
from pathlib import Path

import aiohttp
from google.chat.v1 import attachment_pb2, membership_pb2, message_pb2, user_pb2

from tests import helpers
from tests.helpers import USER_SCOPES, user

BOT_SCOPES = ("chat.bot",)


def bearer(md) -> dict:
    """HTTP headers carrying the token of gRPC call metadata."""
    return {"Authorization": dict(md)["authorization"]}


async def http(method: str, url: str, *, headers=None, data=None) -> tuple[int, dict, bytes]:
    """One HTTP call: (status, headers, body)."""
    async with aiohttp.ClientSession() as session, session.request(method, url, headers=headers, data=data) as r:
        return r.status, dict(r.headers), await r.read()


def upload_url(server, space_name: str, **query) -> str:
    return f"{server.media_url}/upload/v1/{space_name}/attachments:upload?{urllib.parse.urlencode(query)}"


async def upload(server, md, space_name: str, data: bytes = b"hello", filename: str = "hello.txt",
                 content_type: str = "text/plain") -> tuple[int, dict]:
    """A simple upload: (HTTP status, JSON body)."""
    status, _, body = await http("POST", upload_url(server, space_name, uploadType="media", filename=filename),
                                 headers={**bearer(md), "Content-Type": content_type}, data=data)
    return status, json.loads(body)


async def upload_token(server, md, space_name: str, data: bytes = b"hello", filename: str = "hello.txt",
                       content_type: str = "text/plain") -> str:
    status, body = await upload(server, md, space_name, data, filename, content_type)
    assert status == 200, body
    return body["attachmentDataRef"]["attachmentUploadToken"]


def with_tokens(*tokens: str, text: str = "") -> message_pb2.Message:
    return message_pb2.Message(text=text, attachment=[attachment_pb2.Attachment(
        attachment_data_ref=attachment_pb2.AttachmentDataRef(attachment_upload_token=t)) for t in tokens])


def post(server, md, space_name: str, message: message_pb2.Message):
    return server.chat.CreateMessage(message_pb2.CreateMessageRequest(parent=space_name, message=message),
                                     metadata=md)


async def download(server, md, resource_name: str, *, alt: str = "media", headers=None, method: str = "GET"):
    url = f"{server.media_url}/v1/media/{resource_name}" + (f"?alt={alt}" if alt else "")
    return await http(method, url, headers={**(bearer(md) if md else {}), **(headers or {})})


def blob_files(server) -> list[Path]:
    """Every file in the server's blob store (in-progress uploads included)."""
    root = Path(server.data_dir)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


async def media_room(server):
    """alice's space with bob as a member and the Chat app media-bot added: (space, alice, bob, bot)."""
    alice, bob = user(server, "alice@example.com"), user(server, "bob@example.com")
    space = await helpers.new_space(server, alice, display_name=f"Media {uuid.uuid4().hex[:8]}")
    for who, md in (("users/bob@example.com", alice),
                    ("users/app", server.md(user="alice@example.com", app="media-bot",
                                            scopes=(*USER_SCOPES, "chat.memberships.app")))):
        await server.chat.CreateMembership(membership_pb2.CreateMembershipRequest(
            parent=space.name, membership=membership_pb2.Membership(member=user_pb2.User(name=who))), metadata=md)
    return space, alice, bob, server.md(app="media-bot", scopes=BOT_SCOPES)


# --- images -------------------------------------------------------------------------------------------------

def png(width: int = 64, height: int | None = None) -> bytes:
    """A valid, blank PNG of that size."""
    height = width if height is None else height

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\0" + b"\0" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def gif(side: int = 64) -> bytes:
    return b"GIF89a" + struct.pack("<HH", side, side) + b"\x00\x00\x00" + b",\x00\x00\x00\x00" + b"\x3b"


def jpeg(side: int = 64) -> bytes:
    """A JPEG header (SOI, APP0, SOF0) carrying the size, then EOI: enough for the server's checks."""
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    sof0 = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, side, side, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + app0 + sof0 + b"\xff\xd9"
