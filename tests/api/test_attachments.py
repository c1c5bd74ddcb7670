"""Attachments over gRPC: upload tokens turned into attachments by CreateMessage and UpdateMessage,
GetAttachment, UploadAttachment's metadata-only form, and their errors."""
import asyncio
import re

import grpc
import pytest
from google.chat.v1 import attachment_pb2, message_pb2
from google.protobuf import field_mask_pb2

from tests import helpers
from tests.api.media_support import download, media_room, post, upload_token, with_tokens
from tests.helpers import failure, field_of, user

ATTACHMENT_NAME = re.compile(r"^spaces/AAAA\w{7}/messages/\w+/attachments/\w+$")
TOKEN_FIELD = "message.attachment[{}].attachment_data_ref.attachment_upload_token"
Source = attachment_pb2.Attachment.Source


@pytest.fixture
async def room(server):
    return await media_room(server)


def get_attachment(server, md, name):
    return server.chat.GetAttachment(attachment_pb2.GetAttachmentRequest(name=name), metadata=md)


def upload_rpc(server, md, parent, filename):
    return server.chat.UploadAttachment(attachment_pb2.UploadAttachmentRequest(parent=parent, filename=filename),
                                        metadata=md)


async def test_attachment_lifecycle(server, room):
    space, alice, bob, bot = room
    token = await upload_token(server, alice, space.name, b"%PDF-1.7 report", "reports/q3 report.pdf",
                               "application/pdf")
    message = await post(server, alice, space.name, with_tokens(token, text="the report"))
    [attachment] = message.attachment
    assert ATTACHMENT_NAME.match(attachment.name) and attachment.name.startswith(message.name + "/attachments/")
    assert attachment.content_name == "q3 report.pdf"  # the name, not the path
    assert attachment.content_type == "application/pdf"
    assert attachment.source == Source.UPLOADED_CONTENT
    assert attachment.attachment_data_ref.resource_name == attachment.name
    assert not attachment.attachment_data_ref.attachment_upload_token  # the token is spent, not shown
    assert attachment.download_uri == f"{server.media_url}/v1/media/{attachment.name}?alt=media"
    assert attachment.thumbnail_uri == ""  # not an image

    # Everyone in the space reads it with the message; a Chat app in the space reads its metadata.
    read = await server.chat.GetMessage(message_pb2.GetMessageRequest(name=message.name), metadata=bob)
    assert list(read.attachment) == [attachment]
    listed = await server.chat.ListMessages(message_pb2.ListMessagesRequest(parent=space.name), metadata=bob)
    assert list(listed.messages[-1].attachment) == [attachment]
    assert await get_attachment(server, bot, attachment.name) == attachment
    status, _, body = await download(server, bob, attachment.attachment_data_ref.resource_name)
    assert (status, body) == (200, b"%PDF-1.7 report")


async def test_images_get_a_thumbnail_and_several_attachments_keep_their_order(server, room):
    space, alice, _, bot = room
    first = await upload_token(server, alice, space.name, b"GIF89a...", "a.gif", "image/gif")
    second = await upload_token(server, alice, space.name, b"plain", "b.txt", "application/octet-stream")
    message = await post(server, alice, space.name, with_tokens(first, second))
    assert [a.content_name for a in message.attachment] == ["a.gif", "b.txt"]
    assert [a.content_type for a in message.attachment] == ["image/gif", "text/plain"]  # guessed from the name
    assert message.attachment[0].thumbnail_uri == message.attachment[0].download_uri != ""
    assert message.attachment[1].thumbnail_uri == ""
    assert len({a.name for a in message.attachment}) == 2


async def test_upload_attachment_rpc_is_a_metadata_only_upload(server, room):
    space, alice, bob, bot = room
    response = await upload_rpc(server, alice, space.name, "notes.md")
    token = response.attachment_data_ref.attachment_upload_token
    assert token and not response.attachment_data_ref.resource_name
    message = await post(server, alice, space.name, with_tokens(token))
    [attachment] = message.attachment
    assert (attachment.content_name, attachment.content_type) == ("notes.md", "text/markdown")
    status, headers, body = await download(server, bob, attachment.name)
    assert (status, body, headers["Content-Length"]) == (200, b"", "0")


async def test_update_message_attaches_new_uploads_and_keeps_existing_ones(server, room):
    space, alice, _, bot = room
    message = await post(server, alice, space.name, with_tokens(await upload_token(server, alice, space.name)))
    token = await upload_token(server, alice, space.name, b"second", "second.txt")
    edited = message_pb2.Message(name=message.name, attachment=[*message.attachment, *with_tokens(token).attachment])
    updated = await server.chat.UpdateMessage(message_pb2.UpdateMessageRequest(
        message=edited, update_mask=field_mask_pb2.FieldMask(paths=["attachment"])), metadata=alice)
    assert updated.attachment[0] == message.attachment[0]
    assert updated.attachment[1].content_name == "second.txt"
    assert (await get_attachment(server, bot, updated.attachment[1].name)).content_name == "second.txt"


async def test_upload_tokens_that_cannot_be_attached(server, room):
    space, alice, bob, bot = room
    mine = await upload_token(server, alice, space.name)
    bobs = await upload_token(server, bob, space.name)
    other_space = (await helpers.new_space(server, alice)).name
    elsewhere = await upload_token(server, alice, other_space)

    for tokens, index in (((mine, "no-such-token"), 1), ((bobs,), 0), ((elsewhere,), 0), ((mine, mine), 1)):
        details = await failure(post(server, alice, space.name, with_tokens(*tokens)),
                                grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == [TOKEN_FIELD.format(index)], tokens

    await post(server, alice, space.name, with_tokens(mine))  # the failures above attached nothing
    details = await failure(post(server, alice, space.name, with_tokens(mine)), grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == [TOKEN_FIELD.format(0)]  # one upload, one message


async def test_upload_attachment_errors(server, room):
    space, alice, bob, bot = room
    details = await failure(upload_rpc(server, alice, "rooms/x", "a.txt"), grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["parent"]
    details = await failure(upload_rpc(server, alice, space.name, ""), grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["filename"]
    details = await failure(upload_rpc(server, alice, space.name, "setup.EXE"), grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["filename"] and details["ErrorInfo"].reason == "FILE_TYPE_BLOCKED"
    details = await failure(upload_rpc(server, alice, "spaces/AAAAnothere1", "a.txt"), grpc.StatusCode.NOT_FOUND)
    assert details["ErrorInfo"].reason == "SPACE_NOT_FOUND"
    # chat.import alone reaches spaces in import mode only.
    importer = server.md(user="alice@example.com", scopes=("chat.import",))
    await failure(upload_rpc(server, importer, space.name, "a.txt"), grpc.StatusCode.PERMISSION_DENIED)


async def test_get_attachment_errors(server, room):
    space, alice, bob, bot = room
    message = await post(server, alice, space.name, with_tokens(await upload_token(server, alice, space.name)))
    name = message.attachment[0].name
    for bad in ("", message.name, f"{message.name}/attachments/", f"{name}/more"):
        details = await failure(get_attachment(server, bot, bad), grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == ["name"]
    other = await post(server, alice, space.name, message_pb2.Message(text="no files"))
    for missing in (f"{message.name}/attachments/nope", name.replace(message.name, other.name),
                    name.replace(message.name, f"{space.name}/messages/unknown")):
        details = await failure(get_attachment(server, bot, missing), grpc.StatusCode.NOT_FOUND)
        assert details["ErrorInfo"].reason == "ATTACHMENT_NOT_FOUND"
    # A deleted message's attachments are gone with it.
    await server.chat.DeleteMessage(message_pb2.DeleteMessageRequest(name=message.name), metadata=alice)
    await failure(get_attachment(server, bot, name), grpc.StatusCode.NOT_FOUND)
    assert (await download(server, alice, name))[0] == 404


async def test_a_non_member_learns_nothing(server, room):
    space, alice, _, bot = room
    carol = user(server, "carol@example.com")
    message = await post(server, alice, space.name, with_tokens(await upload_token(server, alice, space.name)))
    name = message.attachment[0].name
    outsider_bot = server.md(app="outsider-bot", scopes=("chat.bot",))

    hidden = await failure(get_attachment(server, outsider_bot, name), grpc.StatusCode.NOT_FOUND)
    missing = await failure(get_attachment(server, outsider_bot, name.replace(space.name, "spaces/AAAAnothere1")),
                            grpc.StatusCode.NOT_FOUND)
    assert hidden["ErrorInfo"].reason == missing["ErrorInfo"].reason == "SPACE_NOT_FOUND"
    with_name = await failure(upload_rpc(server, carol, space.name, "a.txt"), grpc.StatusCode.NOT_FOUND)
    assert with_name["ErrorInfo"].reason == "SPACE_NOT_FOUND"
    assert (await download(server, carol, name))[0] == 404
    # Nor can carol post alice's upload token there.
    token = await upload_token(server, alice, space.name)
    details = await failure(post(server, carol, space.name, with_tokens(token)), grpc.StatusCode.NOT_FOUND)
    assert details["ErrorInfo"].reason == "SPACE_NOT_FOUND"


async def test_concurrent_messages_with_one_upload_token(server, room):
    space, alice, _, _ = room
    token = await upload_token(server, alice, space.name)
    outcomes = await asyncio.gather(*(post(server, alice, space.name, with_tokens(token)) for _ in range(4)),
                                    return_exceptions=True)
    won = [o for o in outcomes if isinstance(o, message_pb2.Message)]
    lost = [o for o in outcomes if not isinstance(o, message_pb2.Message)]
    assert len(won) == 1 and len(won[0].attachment) == 1
    assert all(o.code() == grpc.StatusCode.INVALID_ARGUMENT for o in lost), lost
