"""Path variables as http.proto has them: a variable of several segments keeps its `/`, a segment is
percent-decoded, an encoded `/` (%2F) never separates segments, a `:verb` is never taken into a variable,
custom emoji answer to their `:name:` alias, and empty segments match nothing."""
from __future__ import annotations

import base64

from chatsvc.http.path_template import PathTemplate
from tests.api.media_support import png
from tests.http import rest_support
from tests.http.rest_support import (
    call,
    envelope,
    new_message,
    new_space,
    reached,
    user_token,
)

rest_server = rest_support.rest_server  # the module's server, one per backend

CHAT = "/google.chat.v1.ChatService/"


async def test_a_variable_of_several_segments_keeps_its_slashes(rest_server):
    token = user_token(rest_server)
    space = await new_space(rest_server, token)
    message = await new_message(rest_server, token, space["name"], "kept whole")
    reply = await call(rest_server, "GET", f"/v1/{message['name']}", token=token)
    assert reply.status == 200, reply
    assert (reply.json["name"], reply.json["text"]) == (message["name"], "kept whole")
    # Reactions live under the message: the parent variable spans four segments.
    reply = await call(rest_server, "POST", f"/v1/{message['name']}/reactions", token=token,
                       body={"emoji": {"unicode": "🙂"}})
    assert reply.status == 200, reply
    assert reply.json["name"].startswith(message["name"] + "/reactions/")


async def test_segments_are_percent_decoded(rest_server):
    token = user_token(rest_server)
    space = await new_space(rest_server, token)
    space_id = space["name"].split("/")[1]
    encoded = "".join(f"%{ord(c):02X}" for c in space_id)  # every character escaped
    reply = await call(rest_server, "GET", f"/v1/spaces/{encoded}", token=token)
    assert reply.status == 200, reply
    assert reply.json["name"] == space["name"]
    # A literal segment is compared raw: `spaces` escaped is not the collection.
    reply = await call(rest_server, "GET", f"/v1/%73paces/{space_id}", token=token)
    assert envelope(reply, 404)["ErrorInfo"]["reason"] == "URL_NOT_FOUND"


def test_a_lone_variable_is_decoded_whole():
    """`{message_id}` is one segment: all of it decoded, `%2F` too (it cannot be a separator there)."""
    template = PathTemplate.parse("/v1/{credential=users/*/googleCredentials/*}/mailboxMessages/{message_id}:setRead")
    assert template.match("/v1/users/u/googleCredentials/c/mailboxMessages/a%20b%2Fc:setRead") == {
        "credential": "users/u/googleCredentials/c", "message_id": "a b/c"}
    assert PathTemplate.parse("/v1/{name=spaces/*}").match("/v1/spaces/a%2Fb%2fc%41") == {"name": "spaces/a%2Fb%2FcA"}


async def test_an_encoded_slash_stays_inside_its_segment(rest_server):
    token = user_token(rest_server)
    space = await new_space(rest_server, token)
    message = await new_message(rest_server, token, space["name"])
    message_id = message["name"].rsplit("/", 1)[1]
    # spaces/X%2Fmessages%2FY is one segment after `spaces`: GetSpace's, never GetMessage's.
    reply = await call(rest_server, "GET", f"{'/v1/' + space['name']}%2Fmessages%2F{message_id}", token=token)
    assert reply.status in (400, 404) and reached(reply) == CHAT + "GetSpace", reply
    # And a %2F in place of the separator after `spaces` makes a path no route has.
    reply = await call(rest_server, "GET", f"/v1/spaces%2F{space['name'].split('/')[1]}", token=token)
    assert envelope(reply, 404)["ErrorInfo"]["reason"] == "URL_NOT_FOUND"


async def test_a_verb_is_never_swallowed(rest_server):
    token = user_token(rest_server)
    # POST only: GET of it is 405, never GetSpace of `spaces/X:completeImport`.
    reply = await call(rest_server, "GET", "/v1/spaces/X:completeImport", token=token)
    details = envelope(reply, 405)
    assert details["ErrorInfo"]["reason"] == "METHOD_NOT_ALLOWED" and details["status"] == "UNIMPLEMENTED"
    reply = await call(rest_server, "DELETE", "/v1/spaces:search", token=token)
    assert envelope(reply, 405)["ErrorInfo"]["reason"] == "METHOD_NOT_ALLOWED"
    # The verb picks the method among routes of the same shape.
    for verb, method in (("listCalendars", "ListCalendars"), ("checkCapability", "CheckCapability")):
        credentials = user_token(rest_server, scopes=("chatsvc.credentials",))
        reply = await call(rest_server, "GET", f"/v1/users/me/googleCredentials/nope:{verb}", token=credentials)
        assert reached(reply) == f"/chatsvc.credentials.v1.CredentialService/{method}", reply
    reply = await call(rest_server, "POST", "/v1/spaces/X/messages:search", token=token, body={})
    assert reached(reply) == CHAT + "SearchMessages", reply
    # A verb no route has on a path of that shape is nobody's.
    reply = await call(rest_server, "POST", "/v1/spaces/X/members:search", token=token, body={})
    assert envelope(reply, 404)["ErrorInfo"]["reason"] == "URL_NOT_FOUND"


async def test_custom_emoji_by_their_alias(rest_server):
    token = user_token(rest_server, scopes=("chat.customemojis",))
    payload = {"fileContent": base64.b64encode(png()).decode(), "filename": "e.png"}
    reply = await call(rest_server, "POST", "/v1/customEmojis", token=token,
                       body={"emojiName": ":rest-parrot:", "payload": payload})
    assert reply.status == 200, reply
    created = reply.json
    for alias in (":rest-parrot:", "%3Arest-parrot%3A"):
        reply = await call(rest_server, "GET", f"/v1/customEmojis/{alias}", token=token)
        assert reply.status == 200, reply
        assert (reply.json["name"], reply.json["emojiName"]) == (created["name"], ":rest-parrot:")
    reply = await call(rest_server, "DELETE", "/v1/customEmojis/:rest-parrot:", token=token)
    assert reply.status == 200 and reply.json == {}, reply
    reply = await call(rest_server, "GET", f"/v1/{created['name']}", token=token)
    assert envelope(reply, 404)["ErrorInfo"]["reason"] == "CUSTOM_EMOJI_NOT_FOUND"


async def test_empty_segments_match_nothing(rest_server):
    token = user_token(rest_server)
    for method, path in (("GET", "/v1/spaces//messages"), ("GET", "/v1/spaces/"), ("GET", "//v1/spaces"),
                         ("GET", "/v1//spaces"), ("DELETE", "/v1/spaces/X/messages/"), ("GET", "/v1/spaces/X/")):
        reply = await call(rest_server, method, path, token=token)
        details = envelope(reply, 404)
        assert (details["ErrorInfo"]["reason"], details["status"]) == ("URL_NOT_FOUND", "NOT_FOUND"), path
        assert details["ErrorInfo"]["metadata"]["method"] == f"REST {method} {path}"
