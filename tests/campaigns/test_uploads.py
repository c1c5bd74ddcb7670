"""UploadAttachment (client streaming) and attaching uploaded files to campaigns within the channel's limit."""
from __future__ import annotations

import os
from pathlib import Path

import grpc
import pytest

from chatsvc.campaigns.v1 import campaign_pb2, campaign_service_pb2
from tests.campaigns.support import MB, campaign_server, create, make_brand, md, stub, upload
from tests.helpers import failure, field_of

IA, RE = grpc.StatusCode.INVALID_ARGUMENT, grpc.StatusCode.RESOURCE_EXHAUSTED
Meta = campaign_service_pb2.UploadAttachmentMetadata
Req = campaign_service_pb2.UploadAttachmentRequest


@pytest.fixture
async def harness(database_url):
    async with campaign_server(database_url) as harness:
        yield harness


def stored_files(harness) -> list[Path]:
    """Every file the blob store holds, its in-progress uploads included."""
    return [p for p in Path(harness.data_dir).rglob("*") if p.is_file()]


def raw_upload(harness, messages, email="agent@example.com"):
    async def requests():
        for message in messages:
            yield message
    return stub(harness).UploadAttachment(requests(), metadata=md(harness, email))


async def test_upload_then_attach_to_a_campaign(harness):
    data = os.urandom(3 * MB + 17)
    uploaded = await upload(harness, "agent@example.com", data, filename="logo.png", mime_type="image/png",
                            chunk=256 * 1024)
    assert uploaded.name.startswith("users/") and "/emailFiles/" in uploaded.name
    assert (uploaded.filename, uploaded.mime_type, uploaded.size_bytes, uploaded.origin) == (
        "logo.png", "image/png", len(data), campaign_pb2.ORIGIN_GMAIL)
    blobs = [p for p in stored_files(harness) if p.read_bytes() == data]
    assert len(blobs) == 1 and "email-files" in str(blobs[0])
    generic = await upload(harness, "agent@example.com", b"x", origin=campaign_pb2.ORIGIN_MAILGUN, mime_type="")
    assert generic.mime_type == "application/octet-stream"
    made = await make_brand(harness, "admin@example.com", members=["agent@example.com"])
    file_id = uploaded.name.split("/")[3]
    campaign = await create(harness, made.name, "agent@example.com", attachments=[
        campaign_pb2.EmailAttachment(file=f"users/me/emailFiles/{file_id}", is_inline=True, content_id="logo"),
        campaign_pb2.EmailAttachment(file=generic.name, filename="renamed.bin")])
    assert [a.file for a in campaign.attachments] == [uploaded.name, generic.name]
    assert [a.filename for a in campaign.attachments] == ["logo.png", "renamed.bin"]
    # someone else's file cannot be attached
    details = await failure(create(harness, made.name, "admin@example.com", attachments=[
        campaign_pb2.EmailAttachment(file=f"users/me/emailFiles/{file_id}")]), IA)
    assert field_of(details) == ["email_campaign.attachments[0].file"]


async def test_an_upload_over_its_origins_limit_is_refused_and_leaves_nothing(harness):
    before = stored_files(harness)
    details = await failure(upload(harness, "agent@example.com", b"\0" * (15 * MB + 1),
                                   origin=campaign_pb2.ORIGIN_MAILGUN), RE)
    assert details["ErrorInfo"].reason == "UPLOAD_TOO_LARGE"
    assert stored_files(harness) == before
    exactly = await upload(harness, "agent@example.com", b"\0" * (15 * MB), origin=campaign_pb2.ORIGIN_MAILGUN)
    assert exactly.size_bytes == 15 * MB


async def test_total_size_of_file_attachments_must_fit_the_campaigns_channel(harness):
    made = await make_brand(harness, "admin@example.com", members=["agent@example.com"])
    big = await upload(harness, "agent@example.com", b"\0" * (9 * MB), origin=campaign_pb2.ORIGIN_GMAIL)
    files = [campaign_pb2.EmailAttachment(file=big.name), campaign_pb2.EmailAttachment(file=big.name)]
    # 18 MB: over the mail service's 15 MB (no credential means the mail service)
    details = await failure(create(harness, made.name, "agent@example.com", attachments=files), IA)
    assert field_of(details) == ["email_campaign.attachments"]
    await create(harness, made.name, "agent@example.com", attachments=files[:1])


async def test_malformed_streams_are_refused(harness):
    meta = Meta(parent="users/me", origin=campaign_pb2.ORIGIN_GMAIL, filename="a.txt")
    cases = [
        ([], "metadata"),
        ([Req(chunk=b"abc")], "metadata"),
        ([Req(metadata=meta), Req(metadata=meta)], "metadata"),
        ([Req(metadata=meta), Req(chunk=b"abc"), Req(metadata=meta)], "metadata"),
        ([Req(metadata=Meta(parent="users/me", filename="a.txt"))], "metadata.origin"),
        ([Req(metadata=Meta(parent="users/me", origin=9, filename="a.txt"))], "metadata.origin"),
        ([Req(metadata=Meta(parent="users/me", origin=1))], "metadata.filename"),
        ([Req(metadata=Meta(parent="users/me", origin=1, filename="dir/a.txt"))], "metadata.filename"),
        ([Req(metadata=Meta(parent="users/me", origin=1, filename="dir\\a.txt"))], "metadata.filename"),
        ([Req(metadata=Meta(parent="users/me", origin=1, filename="a" * 256))], "metadata.filename"),
        ([Req(metadata=Meta(parent="users/me", origin=1, filename="a.txt", mime_type="not a type"))],
         "metadata.mime_type"),
        ([Req(metadata=Meta(parent="me", origin=1, filename="a.txt"))], "metadata.parent"),
    ]
    for messages, field in cases:
        assert field_of(await failure(raw_upload(harness, messages), IA)) == [field], field
    await failure(raw_upload(harness, [Req(metadata=Meta(parent="users/other@example.com", origin=1,
                                                         filename="a.txt"))]), grpc.StatusCode.NOT_FOUND)
    assert not [p for p in stored_files(harness) if "email-files" in str(p)]
    unauthenticated = stub(harness).UploadAttachment(iter([Req(metadata=meta)]))
    await failure(unauthenticated, grpc.StatusCode.UNAUTHENTICATED)
