"""Request fields from the query string, as http.proto binds them: camelCase or proto names, nested fields by
dotted paths, repeated fields as repeated parameters, booleans, enums by name or number, FieldMasks as comma
lists; an unknown parameter, or one the path or the body already binds, is refused naming it."""
from __future__ import annotations

import pytest

from chatsvc.campaigns.v1 import campaign_pb2
from chatsvc.domain.errors import InvalidArgument
from chatsvc.http import transcode
from chatsvc.http.bindings import Binding
from chatsvc.http.path_template import PathTemplate
from tests.http import rest_support
from tests.http.rest_support import call, envelope, new_message, new_space, q, reached, user_token

rest_server = rest_support.rest_server  # the module's server, one per backend

CHAT = "/google.chat.v1.ChatService/"


def refused(reply, parameter: str) -> str:
    """The message of a 400 whose BadRequest names `parameter`."""
    details = envelope(reply, 400)
    assert details["status"] == "INVALID_ARGUMENT"
    assert [v["field"] for v in details["BadRequest"]["fieldViolations"]] == [parameter], details
    return details["message"]


async def test_camel_case_and_proto_names(rest_server):
    token = user_token(rest_server)
    space = (await new_space(rest_server, token))["name"]
    for text in ("one", "two", "three"):
        await new_message(rest_server, token, space, text)
    pages = []
    for query in ("pageSize=2", "page_size=2"):
        reply = await call(rest_server, "GET", f"/v1/{space}/messages", token=token,
                           query=query + "&orderBy=" + q("create_time ASC"))
        assert reply.status == 200, reply
        pages.append([m["text"] for m in reply.json["messages"]])
        token_of_next = reply.json["nextPageToken"]
    assert pages == [["one", "two"], ["one", "two"]]
    reply = await call(rest_server, "GET", f"/v1/{space}/messages", token=token,
                       query=f"page_token={q(token_of_next)}&pageSize=2&order_by={q('create_time ASC')}")
    assert [m["text"] for m in reply.json["messages"]] == ["three"] and "nextPageToken" not in reply.json


async def test_nested_fields_by_dotted_names(rest_server):
    token = user_token(rest_server)
    space = (await new_space(rest_server, token))["name"]
    # A silent message needs app authentication: the option reached the method, by either spelling, name or number.
    for query in ("createMessageNotificationOptions.notificationType=NOTIFICATION_TYPE_SILENT",
                  "create_message_notification_options.notification_type=3",
                  "createMessageNotificationOptions.notification_type=NOTIFICATION_TYPE_FORCE_NOTIFY"):
        reply = await call(rest_server, "POST", f"/v1/{space}/messages", token=token, query=query, body={"text": "x"})
        details = envelope(reply, 403)
        assert details["ErrorInfo"]["reason"] == "APP_AUTHENTICATION_REQUIRED", (query, details)
        assert "create_message_notification_options" in details["message"]
    reply = await call(rest_server, "POST", f"/v1/{space}/messages", token=token, body={"text": "x"},
                       query="createMessageNotificationOptions.notificationType=NOTIFICATION_TYPE_NONE")
    assert reply.status == 200, reply
    # A dotted name must lead to a field; a message is given field by field, never whole.
    for query, parameter in (("createMessageNotificationOptions.nope=1", "createMessageNotificationOptions.nope"),
                             ("createMessageNotificationOptions=x", "createMessageNotificationOptions"),
                             ("threadKey.x=1", "threadKey.x")):
        reply = await call(rest_server, "POST", f"/v1/{space}/messages", token=token, query=query, body={})
        refused(reply, parameter)


async def test_repeated_fields_as_repeated_parameters(rest_server):
    alice = user_token(rest_server, "rq-alice@example.com")
    members = [{"member": {"name": f"users/{who}@example.com", "type": "HUMAN"}} for who in ("rq-bob", "rq-carol")]
    reply = await call(rest_server, "POST", "/v1/spaces:setup", token=alice,
                       body={"space": {"spaceType": "GROUP_CHAT"}, "memberships": members})
    assert reply.status == 200, reply
    group = reply.json["name"]
    reply = await call(rest_server, "GET", "/v1/spaces:findGroupChats", token=alice,
                       query="users=users/rq-bob@example.com&users=users/rq-carol@example.com")
    assert reply.status == 200 and reply.json == {"spaces": [{"name": group}]}, reply
    # One of the two is not the same group of people: the second value was bound, not dropped.
    reply = await call(rest_server, "GET", "/v1/spaces:findGroupChats", token=alice,
                       query="users=users/rq-bob@example.com")
    assert reply.status == 200 and reply.json == {}, reply
    # Enums by name (the expanded view), in a repeated call.
    reply = await call(rest_server, "GET", "/v1/spaces:findGroupChats", token=alice,
                       query="users=users/rq-bob@example.com&users=users/rq-carol@example.com"
                             "&spaceView=SPACE_VIEW_EXPANDED")
    assert reply.json["spaces"][0]["spaceType"] == "GROUP_CHAT", reply
    # A field that is not repeated takes one value.
    reply = await call(rest_server, "GET", "/v1/spaces:findGroupChats", token=alice, query="pageSize=1&pageSize=2")
    assert "not repeated" in refused(reply, "pageSize")


async def test_booleans(rest_server):
    token = user_token(rest_server)
    space = (await new_space(rest_server, token))["name"]
    reply = await call(rest_server, "GET", f"/v1/{space}", token=token, query="useAdminAccess=false")
    assert reply.status == 200, reply
    reply = await call(rest_server, "GET", f"/v1/{space}", token=token, query="use_admin_access=true")
    assert envelope(reply, 403)["ErrorInfo"]["reason"] == "ADMIN_PRIVILEGES_REQUIRED"
    for value in ("True", "1", "yes", ""):
        reply = await call(rest_server, "GET", f"/v1/{space}", token=token, query=f"useAdminAccess={value}")
        assert refused(reply, "useAdminAccess").endswith(f"Invalid value at 'useAdminAccess' (TYPE_BOOL), \"{value}\"")


async def test_enums_by_name_and_number(rest_server):
    token = user_token(rest_server)
    space = (await new_space(rest_server, token))["name"]
    first = await new_message(rest_server, token, space, "first",
                              query="threadKey=k1&messageReplyOption=REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD")
    reply = await new_message(rest_server, token, space, "reply", query="threadKey=k1&messageReplyOption=1")
    assert reply["thread"]["name"] == first["thread"]["name"]
    # Without the option the key is ignored (a new thread): the option above was bound.
    alone = await new_message(rest_server, token, space, "alone", query="threadKey=k1")
    assert alone["thread"]["name"] != first["thread"]["name"]
    message = refused(await call(rest_server, "POST", f"/v1/{space}/messages", token=token, body={},
                                 query="messageReplyOption=REPLY_SOMETIMES"), "messageReplyOption")
    assert message == ("Invalid JSON payload received. Invalid value at 'messageReplyOption' "
                       "(type.googleapis.com/google.chat.v1.CreateMessageRequest.MessageReplyOption), "
                       "\"REPLY_SOMETIMES\"")
    # A number the enum does not have reaches the method, which refuses it in its own words.
    reply = await call(rest_server, "POST", f"/v1/{space}/messages", token=token, body={},
                       query="messageReplyOption=9")
    assert refused(reply, "message_reply_option") and reached(reply) == CHAT + "CreateMessage"


async def test_integers(rest_server):
    token = user_token(rest_server)
    space = (await new_space(rest_server, token))["name"]
    reply = await call(rest_server, "GET", f"/v1/{space}/messages", token=token, query="pageSize=-1")
    assert refused(reply, "page_size") and reached(reply) == CHAT + "ListMessages"  # the method's rule
    for value in ("abc", "1.5", "", "2147483648", "1_0", " 2"):
        reply = await call(rest_server, "GET", f"/v1/{space}/messages", token=token, query=f"pageSize={q(value)}")
        assert refused(reply, "pageSize").endswith(f"(TYPE_INT32), \"{value}\""), value
    reply = await call(rest_server, "GET", f"/v1/{space}/messages", token=token, query="pageSize=2147483647")
    assert reply.status == 200, reply


async def test_field_masks_as_comma_lists(rest_server):
    token = user_token(rest_server)
    space = (await new_space(rest_server, token))["name"]
    message = await new_message(rest_server, token, space, "before")
    # `cardsV2` reached the method as `cards_v2`, which only an app may update.
    reply = await call(rest_server, "PATCH", f"/v1/{message['name']}", token=token, query="updateMask=text,cardsV2",
                       body={"text": "after"})
    details = envelope(reply, 403)
    assert "cards_v2" in details["message"] and details["ErrorInfo"]["metadata"]["method"] == CHAT + "UpdateMessage"
    for query, text in (("updateMask=text", "after"), ("update_mask=text", "again")):
        reply = await call(rest_server, "PATCH", f"/v1/{message['name']}", token=token, query=query,
                           body={"text": text})
        assert reply.status == 200 and reply.json["text"] == text, reply
    # Paths as the proto writes them (Google's documentation does), and in camelCase.
    for mask, name in (("display_name", "Snake"), ("displayName", "Camel"), ("displayName,space_details", "Both")):
        reply = await call(rest_server, "PATCH", f"/v1/{space}", token=token, query=f"updateMask={mask}",
                           body={"displayName": name})
        assert reply.status == 200 and reply.json["displayName"] == name, (mask, reply)
    reply = await call(rest_server, "PATCH", f"/v1/{space}", token=token, query="updateMask=display__name",
                       body={"displayName": "x"})
    refused(reply, "updateMask")


async def test_unknown_and_bound_parameters(rest_server):
    token = user_token(rest_server)
    space = (await new_space(rest_server, token))["name"]
    message = refused(await call(rest_server, "GET", f"/v1/{space}", token=token, query="colour=red"), "colour")
    assert message == ("Invalid JSON payload received. Unknown name \"colour\": Cannot bind query parameter. "
                       "Field 'colour' could not be found in request message.")
    # Bound by the path.
    assert "bound by the path or the body" in refused(
        await call(rest_server, "GET", f"/v1/{space}", token=token, query="name=spaces/other"), "name")
    reply = await call(rest_server, "PATCH", f"/v1/{space}", token=token, query="updateMask=displayName&space.name=x",
                       body={"displayName": "x"})
    refused(reply, "space.name")
    # Bound by the body: the field it names, or everything when the body is `*`.
    refused(await call(rest_server, "POST", f"/v1/{space}/messages", token=token, query="message.text=x", body={}),
            "message.text")
    refused(await call(rest_server, "POST", f"/v1/{space}/messages:search", token=token, query="pageSize=1",
                       body={}), "pageSize")

    # A field given whole and in parts, in either order (a fuzzer found the first answered 500).
    for query, second in (("updateMask=&updateMask.paths=displayName", "updateMask.paths"),
                          ("updateMask.paths=displayName&updateMask=x", "updateMask")):
        message = refused(await call(rest_server, "PATCH", f"/v1/{space}", token=token, query=query,
                                     body={"displayName": "x"}), second)
        assert '"updateMask" is given both whole and in parts' in message, message


def test_int64_parameters_are_exact_and_in_range():
    """No request of ours has a 64-bit field in its query, so the binding is checked on a message that has
    them: a value past a double's precision arrives exact, one past the type's range is refused."""
    binding = Binding(None, "GET", PathTemplate.parse("/v1/{name=brands/*/emailQuota}"), "", "", True)
    quota = campaign_pb2.EmailQuota()
    transcode.apply_query(binding, quota, [("executed", "9007199254740993"), ("quota", "-1")])
    assert (quota.executed, quota.quota) == (9007199254740993, -1)
    with pytest.raises(InvalidArgument) as caught:
        transcode.apply_query(binding, campaign_pb2.EmailQuota(), [("scheduled", "9223372036854775808")])
    assert caught.value.message.endswith("Invalid value at 'scheduled' (TYPE_INT64), \"9223372036854775808\"")
    assert [v.field for v in caught.value.violations] == ["scheduled"]
