"""proto3 JSON both ways: lowerCamelCase out and either spelling in, 64-bit integers as strings, RFC 3339 times,
default values left out; bodies that are not what the method takes (unknown names, malformed JSON, another
content type, too large, a body where none belongs) refused in Google's words and envelope."""
from __future__ import annotations

import re
import uuid

from tests.conftest import serving
from tests.http import rest_support
from tests.http.rest_support import call, envelope, new_message, new_space, user_token

rest_server = rest_support.rest_server  # the module's server, one per backend

RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$")
SNAKE = re.compile(r"_[a-z]")


def keys(value) -> set[str]:
    """Every key of a JSON document, however deep."""
    if isinstance(value, dict):
        return set(value) | {k for item in value.values() for k in keys(item)}
    if isinstance(value, list):
        return {k for item in value for k in keys(item)}
    return set()


def violation(reply) -> tuple[str, str]:
    """(message, the one BadRequest field) of a 400 INVALID_JSON_PAYLOAD."""
    details = envelope(reply, 400)
    assert details["ErrorInfo"]["reason"] == "INVALID_JSON_PAYLOAD", details
    [field] = details["BadRequest"]["fieldViolations"]
    assert field["description"] == details["message"]
    return details["message"], field.get("field", "")  # a top-level name has no field to be at


async def test_camel_case_out_either_spelling_in(rest_server):
    token = user_token(rest_server)
    reply = await call(rest_server, "POST", "/v1/spaces", token=token,
                       body={"display_name": "Snake in", "space_type": "SPACE", "spaceDetails": {"description": "d"}})
    assert reply.status == 200, reply
    space = reply.json
    assert (space["displayName"], space["spaceType"]) == ("Snake in", "SPACE")
    assert space["spaceDetails"] == {"description": "d"}
    message = await new_message(rest_server, token, space["name"], "hello")
    for document in (space, message):
        assert not any(SNAKE.search(key) for key in keys(document)), document
    # Times are RFC 3339 in UTC; values left at their default are absent (a fresh message is no reply).
    assert RFC3339.match(space["createTime"]) and RFC3339.match(message["createTime"]), (space, message)
    assert "threadReply" not in message and "deleteTime" not in message and "externalUserAllowed" not in space
    reply = await call(rest_server, "GET", f"/v1/{space['name']}", token=token)
    assert reply.json == space | {"lastActiveTime": reply.json["lastActiveTime"]}


async def test_int64_out_as_strings(rest_server):
    token = rest_server.token(user="json-admin@example.com", scopes=["chatsvc.directory", "chatsvc.campaigns"])
    reply = await call(rest_server, "POST", "/v1/brands", token=token, body={"displayName": "Int64"})
    assert reply.status == 200, reply
    brand = reply.json["name"]
    reply = await call(rest_server, "GET", f"/v1/{brand}/emailQuota", token=token)
    # quota is an int64: a string in JSON; executed and scheduled are 0, so left out.
    assert reply.status == 200 and reply.json == {"name": f"{brand}/emailQuota", "quota": "30000"}, reply


async def test_numbers_in_as_numbers_or_strings(rest_server):
    token = user_token(rest_server)
    space = (await new_space(rest_server, token))["name"]
    word = f"needle{uuid.uuid4().hex[:8]}"
    for text in ("alpha", "beta", "gamma"):
        await new_message(rest_server, token, space, f"{text} {word}")
    for size in (2, "2"):
        reply = await call(rest_server, "POST", "/v1/spaces/-/messages:search", token=token,
                           body={"filter": word, "pageSize": size})
        assert reply.status == 200 and len(reply.json["results"]) == 2, reply


async def test_unknown_names_are_refused(rest_server):
    token = user_token(rest_server)
    space = (await new_space(rest_server, token))["name"]
    reply = await call(rest_server, "POST", f"/v1/{space}/messages", token=token, body={"text": "hi", "x": 1})
    assert violation(reply) == ("Invalid JSON payload received. Unknown name \"x\" at 'message': Cannot find field.",
                                "message")
    reply = await call(rest_server, "POST", f"/v1/{space}/messages", token=token,
                       body={"text": "hi", "thread": {"threadKey": "k", "colour": "red"}})
    assert violation(reply) == ("Invalid JSON payload received. Unknown name \"colour\" at 'message.thread': Cannot "
                                "find field.", "message.thread")
    reply = await call(rest_server, "POST", f"/v1/{space}/messages", token=token,
                       body={"cardsV2": [{"card": {"header": {"title": "t", "zz": 1}}}]})
    assert violation(reply)[1] == "message.cards_v2[0].card.header"
    # A body of `*` is the request itself: an unknown name has no field to be at.
    reply = await call(rest_server, "POST", f"/v1/{space}/messages:search", token=token, body={"filter": "a", "y": 2})
    assert violation(reply) == ("Invalid JSON payload received. Unknown name \"y\": Cannot find field.", "")
    # Values of the wrong kind name their field.
    reply = await call(rest_server, "POST", f"/v1/{space}/messages", token=token, body={"text": 5})
    message, field = violation(reply)
    assert field == "message.text" and message.startswith("Invalid JSON payload received. Invalid value at "
                                                          "'message.text'")
    reply = await call(rest_server, "POST", f"/v1/{space}/messages", token=token, body={"createTime": "yesterday"})
    assert violation(reply)[1] == "message.create_time"


async def test_malformed_json_is_refused(rest_server):
    token = user_token(rest_server)
    space = (await new_space(rest_server, token))["name"]
    json_type = {"Content-Type": "application/json"}
    for data, words in ((b"{bad", "The body is not JSON"), (b'{"text": "x"} trailing', "The body is not JSON"),
                        (b'{"text": NaN}', "NaN is not JSON"), (b"\xff\xfe{}", "The body is not JSON"),
                        (b"[1]", "Expected an object, not an array"), (b"null", "Expected an object, not null"),
                        (b"[" * 100_000, "nested too deeply"), (b'{"a":' * 50_000, "")):
        reply = await call(rest_server, "POST", f"/v1/{space}/messages", token=token, data=data, headers=json_type)
        message, _ = violation(reply)
        assert message.startswith("Invalid JSON payload received. ") and words in message, (data[:20], message)
    # An empty body is an empty message.
    reply = await call(rest_server, "POST", "/v1/spaces/-/messages:search", token=token, data=b"", headers=json_type)
    assert reply.status == 400 and envelope(reply)["BadRequest"]["fieldViolations"][0]["field"] == "filter", reply


async def test_content_types(rest_server):
    token = user_token(rest_server)
    space = (await new_space(rest_server, token))["name"]
    body = b'{"text": "typed"}'
    for content_type in ("application/json", "application/json; charset=UTF-8", "Application/JSON",
                         "application/merge-patch+json"):
        reply = await call(rest_server, "POST", f"/v1/{space}/messages", token=token, data=body,
                           headers={"Content-Type": content_type})
        assert reply.status == 200 and reply.json["text"] == "typed", (content_type, reply)
    for content_type in ("text/plain", "application/x-www-form-urlencoded", "application/x-protobuf",
                         "multipart/form-data; boundary=x"):
        reply = await call(rest_server, "POST", f"/v1/{space}/messages", token=token, data=body,
                           headers={"Content-Type": content_type})
        details = envelope(reply, 400)
        assert details["BadRequest"]["fieldViolations"][0]["field"] == "Content-Type", (content_type, details)


async def test_no_body_where_none_belongs(rest_server):
    token = user_token(rest_server)
    space = (await new_space(rest_server, token))["name"]
    message = await new_message(rest_server, token, space)
    for method, path in (("GET", f"/v1/{space}"), ("DELETE", f"/v1/{message['name']}"),
                         ("GET", f"/v1/{space}/messages")):
        reply = await call(rest_server, method, path, token=token, body={})
        details = envelope(reply, 400)
        assert details["BadRequest"]["fieldViolations"][0]["field"] == "body" and "takes no body" in details["message"]
    assert (await call(rest_server, "GET", f"/v1/{message['name']}", token=token)).status == 200  # not deleted


async def test_oversize_bodies_are_413(database_url):
    async with serving(database_url, max_receive_message_bytes=4096) as server:
        token = user_token(server)
        space = (await new_space(server, token))["name"]
        reply = await call(server, "POST", f"/v1/{space}/messages", token=token, body={"text": "x" * 4000})
        assert reply.status == 200, reply  # within the limit
        reply = await call(server, "POST", f"/v1/{space}/messages", token=token, body={"text": "x" * 5000})
        details = envelope(reply, 413)
        assert (details["status"], details["ErrorInfo"]["reason"]) == ("RESOURCE_EXHAUSTED", "BODY_TOO_LARGE")
        assert details["ErrorInfo"]["metadata"]["method"] == "/google.chat.v1.ChatService/CreateMessage"
        assert "4096" in details["message"]

        async def chunks():  # no Content-Length: the limit holds while reading
            for _ in range(10):
                yield b"x" * 1000
        reply = await call(server, "POST", f"/v1/{space}/messages", token=token, data=chunks(),
                           headers={"Content-Type": "application/json"})
        assert envelope(reply, 413)["ErrorInfo"]["reason"] == "BODY_TOO_LARGE"
