"""Google's system parameters on every REST call: `alt` / `$alt` (JSON, JSON with enums as numbers, binary
proto), `prettyPrint`, `fields` partial responses, `$.xgafv`, `key` and `quotaUser`, the `access_token`
parameter in place of the Authorization header, and `X-HTTP-Method-Override`."""
from __future__ import annotations

import json

from google.chat.v1 import space_pb2

from tests.http import rest_support
from tests.http.rest_support import call, envelope, new_message, new_space, q, user_token

rest_server = rest_support.rest_server  # the module's server, one per backend

SPACE = space_pb2.Space.SpaceType.SPACE


def system_refusal(reply, parameter: str) -> str:
    details = envelope(reply, 400)
    assert [v["field"] for v in details["BadRequest"]["fieldViolations"]] == [parameter], details
    return details["message"]


async def test_alt_json_and_enums_as_numbers(rest_server):
    token = user_token(rest_server)
    name = (await new_space(rest_server, token))["name"]
    plain = await call(rest_server, "GET", f"/v1/{name}", token=token, query="alt=json")
    assert plain.status == 200 and plain.json["spaceType"] == "SPACE", plain
    # The gapic REST clients send `$alt=json;enum-encoding=int`, the semicolon as it is or escaped.
    for query in ("$alt=json;enum-encoding=int", "alt=json%3Benum-encoding%3Dint", "$alt=json; enum-encoding=int"):
        reply = await call(rest_server, "GET", f"/v1/{name}", token=token, query=query.replace(" ", "%20"))
        assert reply.status == 200, (query, reply)
        assert reply.json["spaceType"] == SPACE and reply.json["displayName"] == plain.json["displayName"], query
        assert reply.json["type"] == space_pb2.Space.Type.ROOM and reply.json["spaceHistoryState"] == 2
    for alt in ("xml", "media", "json;enum-encoding=name", "protojson"):
        reply = await call(rest_server, "GET", f"/v1/{name}", token=token, query=f"alt={q(alt)}")
        assert f"`{alt}` is not a response format" in system_refusal(reply, "alt"), alt
    assert "more than once" in system_refusal(
        await call(rest_server, "GET", f"/v1/{name}", token=token, query="alt=json&$alt=proto"), "alt")


async def test_alt_proto_is_the_binary_message(rest_server):
    token = user_token(rest_server)
    created = await new_space(rest_server, token)
    reply = await call(rest_server, "GET", f"/v1/{created['name']}", token=token, query="alt=proto")
    assert reply.status == 200 and reply.headers["Content-Type"] == "application/x-protobuf", reply
    space = space_pb2.Space.FromString(reply.body)
    assert (space.name, space.display_name, space.space_type) == (created["name"], created["displayName"], SPACE)
    # Errors stay Google's JSON whatever `alt` asked for.
    reply = await call(rest_server, "GET", "/v1/spaces/AAAAnothere", token=token, query="alt=proto")
    assert envelope(reply, 404)["status"] == "NOT_FOUND"


async def test_pretty_print(rest_server):
    token = user_token(rest_server)
    name = (await new_space(rest_server, token))["name"]
    pretty = await call(rest_server, "GET", f"/v1/{name}", token=token)
    assert pretty.body.decode() == json.dumps(pretty.json, indent=2, ensure_ascii=False) + "\n"
    for query in ("prettyPrint=false", "$prettyPrint=false"):
        compact = await call(rest_server, "GET", f"/v1/{name}", token=token, query=query)
        assert compact.body.decode() == json.dumps(pretty.json, separators=(",", ":"), ensure_ascii=False) + "\n"
    assert (await call(rest_server, "GET", f"/v1/{name}", token=token, query="prettyPrint=true")).body == pretty.body
    system_refusal(await call(rest_server, "GET", f"/v1/{name}", token=token, query="prettyPrint=yes"), "prettyPrint")


async def test_fields_partial_responses(rest_server):
    token = user_token(rest_server, "fields@example.com")
    space = await new_space(rest_server, token, spaceDetails={"description": "about", "guidelines": "be kind"})
    name = space["name"]

    async def partial(path, fields):
        reply = await call(rest_server, "GET", path, token=token, query=f"fields={q(fields)}")
        assert reply.status == 200, (fields, reply)
        return reply.json

    # a, b/c, d(e,f): a whole field, one inside another, several inside another.
    assert await partial(f"/v1/{name}", "name,spaceDetails/description,permissionSettings(manageMembersAndGroups,"
                                        "modifySpaceDetails(managersAllowed))") == {
        "name": name, "spaceDetails": {"description": "about"},
        "permissionSettings": {"manageMembersAndGroups": space["permissionSettings"]["manageMembersAndGroups"],
                               "modifySpaceDetails": {"managersAllowed": True}}}
    assert await partial(f"/v1/{name}", "display_name,space_type") == {  # proto spelling too
        "displayName": space["displayName"], "spaceType": "SPACE"}
    assert await partial(f"/v1/{name}", "*") == (await call(rest_server, "GET", f"/v1/{name}", token=token)).json
    # Inside a repeated field, the selection applies to each element.
    for text in ("one", "two"):
        await new_message(rest_server, token, name, text)
    listed = await partial(f"/v1/{name}/messages", "messages(text,thread/name),nextPageToken")
    assert [set(m) for m in listed["messages"]] == [{"text", "thread"}] * 2
    assert [m["text"] for m in listed["messages"]] == ["one", "two"] and "nextPageToken" not in listed
    assert [set(m) for m in (await partial(f"/v1/{name}/messages", "messages/sender/name"))["messages"]] == [
        {"sender"}] * 2
    # A selection that the response cannot have is refused, naming what is wrong.
    for fields, words in (("nope", "`Space` has no field `nope`"), ("spaceDetails/nope", "`SpaceDetails` has no "
                          "field `nope`"), ("name(x)", "`name` has no fields to select"),
                          ("createTime(seconds)", "`createTime` has no fields to select"),
                          ("name,", "a field name is missing"), ("spaceDetails(description", "`(` is not closed"),
                          ("name)", "unexpected `)`"), ("na-me", "unexpected character")):
        reply = await call(rest_server, "GET", f"/v1/{name}", token=token, query=f"fields={q(fields)}")
        message = system_refusal(reply, "fields")
        assert words in message and fields in message, (fields, message)


async def test_xgafv_key_and_quota_user(rest_server):
    token = user_token(rest_server)
    name = (await new_space(rest_server, token))["name"]
    for query in ("$.xgafv=1", "$.xgafv=2", "key=AIzaSyExample", "quotaUser=someone", "$key=k&$quotaUser=u",
                  "%24.xgafv=2&key=k&quotaUser=u"):
        reply = await call(rest_server, "GET", f"/v1/{name}", token=token, query=query)
        assert reply.status == 200 and reply.json["name"] == name, (query, reply)
    assert "must be `1` or `2`" in system_refusal(
        await call(rest_server, "GET", f"/v1/{name}", token=token, query="$.xgafv=3"), "$.xgafv")


async def test_access_token_parameter(rest_server):
    token = user_token(rest_server)
    name = (await new_space(rest_server, token))["name"]
    for parameter in ("access_token", "oauth_token"):
        reply = await call(rest_server, "GET", f"/v1/{name}", query=f"{parameter}={token}")
        assert reply.status == 200 and reply.json["name"] == name, (parameter, reply)
    # It authenticates exactly as the header does: a forged one is refused, a stranger's finds nothing.
    reply = await call(rest_server, "GET", f"/v1/{name}", query=f"access_token={token[:-4]}AAAA")
    assert envelope(reply, 401)["ErrorInfo"]["reason"] == "INVALID_TOKEN"
    stranger = user_token(rest_server, "stranger@example.com")
    assert envelope(await call(rest_server, "GET", f"/v1/{name}", query=f"access_token={stranger}"), 404)
    # Two credentials (the header and the parameter) are one too many, even when both are good.
    reply = await call(rest_server, "GET", f"/v1/{name}", token=token, query=f"access_token={token}")
    details = envelope(reply, 401)
    assert details["ErrorInfo"]["reason"] == "INVALID_TOKEN" and reply.headers["WWW-Authenticate"] == "Bearer"


async def test_method_override(rest_server):
    token = user_token(rest_server)
    name = (await new_space(rest_server, token))["name"]
    message = await new_message(rest_server, token, name, "before")
    reply = await call(rest_server, "POST", f"/v1/{message['name']}", token=token, query="updateMask=text",
                       body={"text": "after"}, headers={"X-HTTP-Method-Override": "PATCH"})
    assert reply.status == 200 and reply.json["text"] == "after", reply
    reply = await call(rest_server, "POST", f"/v1/{message['name']}", token=token,
                       headers={"X-HTTP-Method-Override": "delete"})
    assert reply.status == 200 and reply.json == {}, reply
    reply = await call(rest_server, "GET", f"/v1/{message['name']}", token=token)
    assert envelope(reply, 404)["status"] == "NOT_FOUND"
    # Only a POST is overridden, and only into a method the path has.
    reply = await call(rest_server, "GET", f"/v1/{name}", token=token, headers={"X-HTTP-Method-Override": "DELETE"})
    assert reply.status == 200 and reply.json["name"] == name
    reply = await call(rest_server, "POST", f"/v1/{name}", token=token, headers={"X-HTTP-Method-Override": "FETCH"})
    assert envelope(reply, 405)["ErrorInfo"]["reason"] == "METHOD_NOT_ALLOWED"
