"""Custom emoji over gRPC: lifecycle, the `:name:` alias, temporary image URLs served by the media endpoint,
name and image rules, uniqueness, the creator filter, pages, and who may delete."""
import re
import urllib.parse

import grpc
from google.chat.v1 import reaction_pb2

from tests.api.media_support import blob_files, gif, http, jpeg, png
from tests.helpers import failure, field_of

SCOPES = ("chat.customemojis",)
NAME = re.compile(r"^customEmojis/[A-Za-z0-9_-]+$")
Payload = reaction_pb2.CustomEmoji.CustomEmojiPayload


def emoji_md(server, email="alice@example.com", *, admin=False, scopes=SCOPES):
    return server.md(user=email, scopes=scopes, admin=admin)


def create(server, md, emoji_name, image=None, filename="emoji.png"):
    return server.chat.CreateCustomEmoji(reaction_pb2.CreateCustomEmojiRequest(custom_emoji=reaction_pb2.CustomEmoji(
        emoji_name=emoji_name, payload=Payload(file_content=png() if image is None else image, filename=filename))),
        metadata=md)


def get(server, md, name):
    return server.chat.GetCustomEmoji(reaction_pb2.GetCustomEmojiRequest(name=name), metadata=md)


def list_emojis(server, md, **request):
    return server.chat.ListCustomEmojis(reaction_pb2.ListCustomEmojisRequest(**request), metadata=md)


def delete(server, md, name):
    return server.chat.DeleteCustomEmoji(reaction_pb2.DeleteCustomEmojiRequest(name=name), metadata=md)


async def test_custom_emoji_lifecycle(server):
    alice = emoji_md(server)
    image = png(128)
    created = await create(server, alice, ":party-parrot:", image)
    assert NAME.match(created.name) and created.uid and created.emoji_name == ":party-parrot:"
    assert created.temporary_image_uri == ""  # Google leaves it out of the create response
    assert not created.HasField("payload")  # input only

    readonly = emoji_md(server, "bob@example.com", scopes=("chat.customemojis.readonly",))
    by_id = await get(server, readonly, created.name)
    by_alias = await get(server, readonly, "customEmojis/:party-parrot:")
    assert (by_id.name, by_id.uid, by_id.emoji_name) == (created.name, created.uid, created.emoji_name)
    assert by_alias.name == created.name and by_alias.uid == created.uid
    listed = await list_emojis(server, readonly)
    assert [e.name for e in listed.custom_emojis] == [created.name] and not listed.next_page_token

    # The temporary image URL needs no bearer token, and is served by the media endpoint.
    uri = by_id.temporary_image_uri
    assert uri.startswith(f"{server.media_url}/v1/media/{created.name}?")
    status, headers, body = await http("GET", uri)
    assert (status, headers["Content-Type"], body) == (200, "image/png", image)
    forged = uri.replace("signature=", "signature=0")
    assert (await http("GET", forged))[0] == 404
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(uri).query))
    later = uri.replace(f"expires={query['expires']}", f"expires={int(query['expires']) + 1}")
    assert (await http("GET", later))[0] == 404  # the signature covers the expiry
    assert (await http("GET", f"{server.media_url}/v1/media/{created.name}?alt=media"))[0] == 404

    await delete(server, alice, created.name)
    details = await failure(get(server, alice, created.name), grpc.StatusCode.NOT_FOUND)
    assert details["ErrorInfo"].reason == "CUSTOM_EMOJI_NOT_FOUND"
    await failure(get(server, alice, "customEmojis/:party-parrot:"), grpc.StatusCode.NOT_FOUND)
    assert (await http("GET", uri))[0] == 404
    assert blob_files(server) == []  # the image went with it
    # The name is free again.
    assert (await create(server, alice, ":party-parrot:")).name != created.name


async def test_image_types_and_rules(server):
    alice = emoji_md(server)
    for index, (image, filename) in enumerate(((png(64), "a.png"), (jpeg(500), "b.JPG"), (gif(100), "c.gif"))):
        await create(server, alice, f":ok-{index}:", image, filename)

    content, name = "custom_emoji.payload.file_content", "custom_emoji.payload.filename"
    cases = [
        (b"", "a.png", content),  # no image
        (png(), "", name),  # no file name
        (png(), "a.bmp", name),  # an undocumented extension
        (png(), "a.gif", name),  # the bytes are a PNG
        (b"just some text", "a.png", content),  # not an image at all
        (b"\x89PNG\r\n\x1a\n", "a.png", content),  # a PNG signature without a header
        (png(64, 65), "a.png", content),  # not square
        (png(63), "a.png", content),  # too small
        (gif(501), "a.gif", content),  # too large
        (png(64) + b"\0" * (256 * 1024), "a.png", content),  # 256 KB or more
    ]
    for image, filename, field in cases:
        details = await failure(create(server, alice, ":rejected:", image, filename),
                                grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == [field], (filename, len(image))
    assert len(blob_files(server)) == 3  # refused images are not stored


async def test_emoji_names(server):
    alice = emoji_md(server)
    for good in (":a:", ":snake_case:", ":kebab-case-2:", ":x1_y2-z3:", ":" + "a" * 62 + ":"):
        assert (await create(server, alice, good)).emoji_name == good
    bad = ["", "no-colons", ":Upper:", ":double--hyphen:", ":double__under:", ":-leading:", ":trailing_:",
           ":with space:", "::", ":a-_b:", ":" + "a" * 63 + ":", ":emoji:extra", ":é:"]
    for name in bad:
        details = await failure(create(server, alice, name), grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == ["custom_emoji.emoji_name"], name

    # Unique in the organization, whoever asks.
    for md in (alice, emoji_md(server, "bob@example.com")):
        details = await failure(create(server, md, ":a:"), grpc.StatusCode.ALREADY_EXISTS)
        assert details["ErrorInfo"].reason == "CUSTOM_EMOJI_NAME_IN_USE"
    assert len(blob_files(server)) == 5


async def test_list_filter_and_pages(server):
    alice, bob = emoji_md(server), emoji_md(server, "bob@example.com")
    mine = [(await create(server, alice, f":alice-{i}:")).name for i in range(3)]
    theirs = [(await create(server, bob, f":bob-{i}:")).name for i in range(2)]

    async def names(md, **request):
        response = await list_emojis(server, md, **request)
        return [e.name for e in response.custom_emojis]

    assert await names(alice, filter='creator("users/me")') == mine
    assert await names(alice, filter='NOT creator("users/me")') == theirs
    assert await names(bob, filter='creator("users/me")') == theirs
    assert sorted(await names(bob)) == sorted(mine + theirs)

    seen, token = [], ""
    while True:
        page = await list_emojis(server, alice, page_size=2, page_token=token)
        assert len(page.custom_emojis) <= 2
        seen += [e.name for e in page.custom_emojis]
        token = page.next_page_token
        if not token:
            break
    assert seen == mine + theirs  # every emoji once, in name order

    first = await list_emojis(server, alice, page_size=1, filter='creator("users/me")')
    for request, field in (({"page_size": -1}, "page_size"), ({"page_token": "forged"}, "page_token"),
                           ({"page_token": first.next_page_token}, "page_token"),  # issued for another filter
                           ({"filter": 'creator("users/123")'}, "filter"),
                           ({"filter": 'creator = "users/me"'}, "filter"),
                           ({"filter": 'NOT NOT creator("users/me")'}, "filter"), ({"filter": "creator("}, "filter"),
                           ({"filter": 'owner("users/me")'}, "filter")):
        details = await failure(list_emojis(server, alice, **request), grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == [field], request


async def test_default_page_size_is_25(server):
    alice = emoji_md(server)
    for i in range(26):
        await create(server, alice, f":e{i:02d}:")
    page = await list_emojis(server, alice)
    assert len(page.custom_emojis) == 25 and page.next_page_token
    assert len((await list_emojis(server, alice, page_size=1000)).custom_emojis) == 26  # capped at 200


async def test_who_may_delete(server):
    alice, bob = emoji_md(server), emoji_md(server, "bob@example.com")
    admin = emoji_md(server, "admin@example.com", admin=True)
    first = await create(server, alice, ":first:")
    details = await failure(delete(server, bob, first.name), grpc.StatusCode.PERMISSION_DENIED)
    assert details["ErrorInfo"].reason == "NOT_CUSTOM_EMOJI_CREATOR"
    await delete(server, admin, "customEmojis/:first:")  # an administrator manages every emoji
    second = await create(server, alice, ":second:")
    await delete(server, alice, "customEmojis/:second:")
    for name in (first.name, second.name, "customEmojis/:never:"):
        details = await failure(delete(server, alice, name), grpc.StatusCode.NOT_FOUND)
        assert details["ErrorInfo"].reason == "CUSTOM_EMOJI_NOT_FOUND"


async def test_malformed_names(server):
    alice = emoji_md(server)
    for name in ("", "customEmojis/", "emojis/abc", "customEmojis/a/b", "customEmojis/:no-end"):
        for call in (get(server, alice, name), delete(server, alice, name)):
            details = await failure(call, grpc.StatusCode.INVALID_ARGUMENT)
            assert field_of(details) == ["name"], name
