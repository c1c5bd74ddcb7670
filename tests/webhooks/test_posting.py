"""Posting through a webhook's URL, over raw HTTP as any script does: the message lands in the webhook's space
as a BOT sender with the webhook's name, in the thread Google's rules pick; wrong, rotated and revoked tokens,
other spaces and other methods are refused in Google's error envelope and post nothing."""
from __future__ import annotations

import json
import logging

from google.chat.v1 import space_pb2, user_pb2

from chatsvc.webhooks.v1 import webhook_service_pb2 as pb
from tests.webhooks.support import (
    ALICE,
    create_webhook,
    envelope,
    http,
    md,
    messages,
    post,
    space_of_alice_with_bob,
    stub,
    url_parts,
    with_token,
)

BOT = user_pb2.User.Type.BOT


async def test_a_post_lands_as_the_webhook(server):
    space = await space_of_alice_with_bob(server)
    webhook = await create_webhook(server, space, "Deploy bot", "https://example.com/bot.png")
    base, key, token = url_parts(webhook.url)
    assert base == f"{server.media_url}/v1/{space}/messages"
    assert webhook.name == f"{space}/webhooks/{key}" and len(token) >= 43
    assert webhook.sender.startswith("users/") and webhook.avatar_url == "https://example.com/bot.png"

    reply = await post(webhook.url, {"text": "Build 42 deployed"})
    assert reply.status == 200, reply
    created = reply.json
    assert created["name"].startswith(f"{space}/messages/") and created["text"] == "Build 42 deployed"
    assert created["sender"] == {"name": webhook.sender, "displayName": "Deploy bot", "type": "BOT"}
    assert created["space"]["name"] == space and created["thread"]["name"].startswith(f"{space}/threads/")

    [listed] = await messages(server, space)
    assert listed.name == created["name"] and listed.text == "Build 42 deployed"
    assert (listed.sender.name, listed.sender.type, listed.sender.display_name) == (webhook.sender, BOT, "Deploy bot")


async def test_cards_and_the_gate_log_line(server, caplog):
    space = await space_of_alice_with_bob(server)
    webhook = await create_webhook(server, space, "Alerts")
    card = {"cardId": "c1", "card": {"header": {"title": "Disk full"}, "sections": [
        {"widgets": [{"textParagraph": {"text": "/var is at 99%"}}]}]}}
    with caplog.at_level(logging.INFO, logger="chatsvc.calls"):
        reply = await post(webhook.url, {"cardsV2": [card]})
    assert reply.status == 200, reply
    assert reply.json["cardsV2"][0]["card"]["header"]["title"] == "Disk full"
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "chatsvc.calls"]
    _, key, token = url_parts(webhook.url)
    assert [(line["method"], line["status"], line["principal"]) for line in lines] == [
        ("/google.chat.v1.ChatService/CreateMessage", "OK", f"app:webhooks/{key}")]
    assert token not in caplog.text


async def test_thread_keys_as_google_documents(server):
    space = await space_of_alice_with_bob(server)
    webhook = await create_webhook(server, space)
    fallback = "messageReplyOption=REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD"

    async def thread_of(body, query=""):
        reply = await post(webhook.url, body, query=query)
        assert reply.status == 200, reply
        return reply.json["thread"]["name"]

    # thread.threadKey in the body, with the reply option Google's webhook guide uses: the first post starts the
    # thread, the next ones reply in it; another key is another thread.
    first = await thread_of({"text": "incident opened", "thread": {"threadKey": "inc-1"}}, fallback)
    assert await thread_of({"text": "mitigated", "thread": {"threadKey": "inc-1"}}, fallback) == first
    other = await thread_of({"text": "another incident", "thread": {"threadKey": "inc-2"}}, fallback)
    assert other != first
    # The (deprecated) threadKey query parameter does the same.
    assert await thread_of({"text": "resolved"}, f"threadKey=inc-1&{fallback}") == first
    # No reply option: every message starts a new thread, whatever key it names.
    assert await thread_of({"text": "unthreaded", "thread": {"threadKey": "inc-1"}}) not in (first, other)
    # REPLY_MESSAGE_OR_FAIL: a known thread by name or key is replied to, an unknown thread name is NOT_FOUND.
    or_fail = "messageReplyOption=REPLY_MESSAGE_OR_FAIL"
    assert await thread_of({"text": "by name", "thread": {"name": first}}, or_fail) == first
    assert await thread_of({"text": "by key", "thread": {"threadKey": "inc-2"}}, or_fail) == other
    missing = await post(webhook.url, {"text": "lost", "thread": {"name": f"{space}/threads/nosuchthread"}},
                         query=or_fail)
    assert envelope(missing, 404)["status"] == "NOT_FOUND"

    listed = await messages(server, space)
    by_thread = {}
    for message in listed:
        by_thread.setdefault(message.thread.name, []).append(message.text)
    assert by_thread[first] == ["incident opened", "mitigated", "resolved", "by name"]
    assert by_thread[other] == ["another incident", "by key"]
    assert len(listed) == 7


async def test_thread_keys_belong_to_each_webhook(server):
    """Google: a thread key is the app's own; two webhooks with one key make two threads."""
    space = await space_of_alice_with_bob(server)
    one, two = await create_webhook(server, space, "One"), await create_webhook(server, space, "Two")
    query = "messageReplyOption=REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD"
    first = await post(one.url, {"text": "a", "thread": {"threadKey": "k"}}, query=query)
    second = await post(two.url, {"text": "b", "thread": {"threadKey": "k"}}, query=query)
    assert first.json["thread"]["name"] != second.json["thread"]["name"]
    assert second.json["sender"]["displayName"] == "Two"


async def test_bad_credentials_post_nothing(server):
    space = await space_of_alice_with_bob(server)
    webhook = await create_webhook(server, space)
    base, key, token = url_parts(webhook.url)
    wrong = [
        with_token(webhook.url, token[:-1] + ("A" if token[-1] != "A" else "B")),  # one character off
        with_token(webhook.url, ""),
        f"{base}?key=nosuchkey&token={token}",
        f"{base}?token={token}",  # no key
        f"{base}?key={key}&key={key}&token={token}",  # the key twice
        f"{base}?key={key}&token={token}&token={token}",
        with_token(webhook.url, "x" * 5000),
    ]
    for url in wrong:
        reply = await post(url, {"text": "should not land"})
        details = envelope(reply, 401)
        assert (details["status"], details["ErrorInfo"]["reason"]) == ("UNAUTHENTICATED", "INVALID_WEBHOOK_TOKEN"), url
        assert reply.headers["WWW-Authenticate"] == "Bearer"
        assert details["ErrorInfo"]["metadata"]["method"] == "/google.chat.v1.ChatService/CreateMessage"
    assert await messages(server, space) == []
    assert (await post(webhook.url, {"text": "the right one"})).status == 200
    assert len(await messages(server, space)) == 1


async def test_rotate_and_revoke(server):
    space = await space_of_alice_with_bob(server)
    webhook = await create_webhook(server, space)
    assert (await post(webhook.url, {"text": "one"})).status == 200
    rotated = await stub(server).RotateWebhookToken(pb.RotateWebhookTokenRequest(name=webhook.name),
                                                    metadata=md(server, ALICE))
    assert rotated.name == webhook.name and rotated.url != webhook.url
    assert url_parts(rotated.url)[1] == url_parts(webhook.url)[1]  # same key, new token
    assert rotated.token_create_time.ToMicroseconds() > webhook.token_create_time.ToMicroseconds()
    assert envelope(await post(webhook.url, {"text": "old token"}), 401)["status"] == "UNAUTHENTICATED"
    assert (await post(rotated.url, {"text": "two"})).status == 200

    await stub(server).DeleteWebhook(pb.DeleteWebhookRequest(name=webhook.name), metadata=md(server, ALICE))
    assert envelope(await post(rotated.url, {"text": "revoked"}), 401)["status"] == "UNAUTHENTICATED"
    listed = await messages(server, space)
    assert [m.text for m in listed] == ["one", "two"]  # what it posted stays, under its name
    assert {m.sender.display_name for m in listed} == {"Deploy bot"}


async def test_confined_to_its_space_and_to_posting(server):
    space = await space_of_alice_with_bob(server)
    elsewhere = await space_of_alice_with_bob(server)
    webhook = await create_webhook(server, space)
    base, key, token = url_parts(webhook.url)
    credentials = f"key={key}&token={token}"
    root = server.media_url

    other_space = await post(f"{root}/v1/{elsewhere}/messages?{credentials}", {"text": "elsewhere"})
    assert envelope(other_space, 403)["ErrorInfo"]["reason"] == "WEBHOOK_SPACE_MISMATCH"
    unknown_space = await post(f"{root}/v1/spaces/AAAAnosuch/messages?{credentials}", {"text": "nowhere"})
    assert envelope(unknown_space, 403)["ErrorInfo"]["reason"] == "WEBHOOK_SPACE_MISMATCH"

    assert (await post(webhook.url, {"text": "mine"})).status == 200
    [mine] = await messages(server, space)
    refused = [
        ("GET", f"{base}?{credentials}", None, {}),  # ListMessages
        ("GET", f"{root}/v1/{mine.name}?{credentials}", None, {}),  # GetMessage
        ("DELETE", f"{root}/v1/{mine.name}?{credentials}", None, {}),
        ("PATCH", f"{root}/v1/{mine.name}?updateMask=text&{credentials}", {"text": "edited"}, {}),
        ("GET", f"{root}/v1/{space}?{credentials}", None, {}),  # GetSpace
        ("GET", f"{root}/v1/spaces?{credentials}", None, {}),
        ("POST", f"{root}/v1/{space}/members?{credentials}", {"member": {"name": "users/eve@example.com"}}, {}),
        ("POST", f"{root}/v1/{space}/webhooks?{credentials}", {"displayName": "Mine now"}, {}),
        ("POST", f"{root}/v1/{mine.name}/reactions?{credentials}", {"emoji": {"unicode": "🙂"}}, {}),
        ("POST", f"{base}?{credentials}", None, {"X-HTTP-Method-Override": "GET"}),
        ("POST", f"{root}/v1/{space}%2Fmessages?{credentials}", {"text": "encoded"}, {}),
        ("POST", f"{root}/upload/v1/{space}/attachments:upload?uploadType=media&{credentials}", None, {}),
        ("GET", f"{root}/discovery/v1/apis/chat/v1/rest?{credentials}", None, {}),
    ]
    for method, url, body, headers in refused:
        reply = await http(method, url, body=body, headers=headers)
        details = envelope(reply, 403)
        assert details["ErrorInfo"]["reason"] == "WEBHOOK_CAN_ONLY_POST_MESSAGES", (method, url, reply)
    assert [m.text for m in await messages(server, space)] == ["mine"]
    assert await messages(server, elsewhere) == []


async def test_a_bearer_token_beside_webhook_credentials_is_an_ordinary_rest_call(server):
    """With an Authorization header the request is the caller's own REST call, and `token` no parameter of it."""
    space = await space_of_alice_with_bob(server)
    webhook = await create_webhook(server, space)
    bearer = {"Authorization": f"Bearer {server.token(user=ALICE, scopes=['chat.messages'])}"}
    reply = await post(webhook.url, {"text": "who am I"}, headers=bearer)
    assert envelope(reply, 400)["status"] == "INVALID_ARGUMENT"
    assert await messages(server, space) == []


async def test_request_id_makes_a_retry_safe(server):
    space = await space_of_alice_with_bob(server)
    webhook = await create_webhook(server, space)
    first = await post(webhook.url, {"text": "once"}, query="requestId=deploy-42")
    again = await post(webhook.url, {"text": "once"}, query="requestId=deploy-42")
    assert first.status == again.status == 200 and first.json["name"] == again.json["name"]
    assert len(await messages(server, space)) == 1


async def test_deleting_the_space_ends_its_webhooks(server):
    space = await space_of_alice_with_bob(server)
    webhook = await create_webhook(server, space)
    await server.chat.DeleteSpace(space_pb2.DeleteSpaceRequest(name=space),
                                  metadata=md(server, ALICE, scopes=("chat.delete",)))
    assert envelope(await post(webhook.url, {"text": "gone"}), 401)["status"] == "UNAUTHENTICATED"
