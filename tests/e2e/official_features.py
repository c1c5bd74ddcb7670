"""The rest of ChatService through Google's official client: reactions, pins, an attachment uploaded
through the media endpoint and downloaded byte-identical, read state, and the space events all of it left.

Runs under the official client's own interpreter (.venv-official) in its own process. The media bytes
travel over HTTP, as with Google (the gRPC API carries no file bytes), using only the standard library.

Usage: official_features.py TARGET MEDIA_BASE_URL   (tokens in CHATSVC_E2E_TOKEN and CHATSVC_E2E_BOB_TOKEN)
"""
from __future__ import annotations

import datetime
import hashlib
import json
import os
import sys
import urllib.parse
import urllib.request
import uuid

import grpc
from google.apps import chat_v1
from google.protobuf import field_mask_pb2, timestamp_pb2

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # -I leaves the script's folder off sys.path
from official_flow import Caller, check, main  # noqa: E402

ATTACHMENT = os.urandom(3 * 1024 * 1024 + 17)  # a few MB of random bytes: any change shows
EVENT_TYPES = ("message.v1.created", "reaction.v1.created", "membership.v1.created")


def http(method: str, url: str, token: str, body: bytes | None = None, content_type: str = "") -> bytes:
    request = urllib.request.Request(url, data=body, method=method)
    request.add_header("Authorization", f"Bearer {token}")
    if content_type:
        request.add_header("Content-Type", content_type)
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.read()


def run(target: str, alice_token: str, bob_token: str, media: str) -> dict:
    channel = grpc.insecure_channel(target)
    alice, bob = Caller(channel, alice_token), Caller(channel, bob_token)
    space = alice.create_space(space=chat_v1.Space(display_name=f"Features {uuid.uuid4().hex[:6]}",
                                                   space_type=chat_v1.Space.SpaceType.SPACE))
    alice.create_membership(parent=space.name,
                            membership=chat_v1.Membership(member=chat_v1.User(name="users/bob@example.com")))
    message = alice.create_message(parent=space.name, message=chat_v1.Message(text="react to me"))

    # A reaction, seen in the list and in the message's summary.
    reaction = bob.create_reaction(parent=message.name, reaction=chat_v1.Reaction(emoji=chat_v1.Emoji(unicode="👍")))
    listed = list(alice.list_reactions(parent=message.name))
    check([r.name for r in listed] == [reaction.name], "ListReactions does not show the reaction")
    summaries = alice.get_message(name=message.name).emoji_reaction_summaries
    check([(s.emoji.unicode, s.reaction_count) for s in summaries] == [("👍", 1)], "reaction summary wrong")

    # A pin.
    pin = alice.create_message_pin(parent=space.name, message_pin=chat_v1.MessagePin(message=message.name))
    check([p.name for p in alice.list_message_pins(parent=space.name)] == [pin.name], "pin not listed")

    # An attachment: bytes over HTTP, then a message that carries its upload token, then the bytes back.
    upload_url = (f"{media}/upload/v1/{space.name}/attachments:upload?"
                  + urllib.parse.urlencode({"uploadType": "media", "filename": "random.bin"}))
    uploaded = json.loads(http("POST", upload_url, alice_token, ATTACHMENT, "application/octet-stream"))
    upload_token = uploaded["attachmentDataRef"]["attachmentUploadToken"]
    with_file = alice.create_message(parent=space.name, message=chat_v1.Message(
        text="a file", attachment=[chat_v1.Attachment(
            attachment_data_ref=chat_v1.AttachmentDataRef(attachment_upload_token=upload_token))]))
    check(len(with_file.attachment) == 1, "the message has no attachment")
    attachment = with_file.attachment[0]
    check(attachment.content_name == "random.bin", f"attachment named {attachment.content_name!r}")
    resource = attachment.attachment_data_ref.resource_name
    downloaded = http("GET", f"{media}/v1/media/{resource}?alt=media", bob_token)
    check(hashlib.sha256(downloaded).digest() == hashlib.sha256(ATTACHMENT).digest(),
          f"downloaded {len(downloaded)} bytes differ from the {len(ATTACHMENT)} uploaded")

    # Bob marks the space read.
    now = timestamp_pb2.Timestamp()
    now.FromDatetime(datetime.datetime.now(datetime.UTC))
    read_state_name = f"users/me/{space.name}/spaceReadState"
    bob.update_space_read_state(space_read_state=chat_v1.SpaceReadState(name=read_state_name, last_read_time=now),
                                update_mask=field_mask_pb2.FieldMask(paths=["last_read_time"]))
    state = bob.get_space_read_state(name=read_state_name)
    check(state.last_read_time.timestamp() >= with_file.create_time.timestamp(), "read state not updated")

    # The events all of this produced.
    wanted = " OR ".join(f'event_types:"google.workspace.chat.{t}"' for t in EVENT_TYPES)
    events = list(alice.list_space_events(parent=space.name, filter=wanted))
    kinds = [e.event_type.removeprefix("google.workspace.chat.") for e in events]
    check(kinds.count("message.v1.created") == 2 and kinds.count("reaction.v1.created") == 1
          and kinds.count("membership.v1.created") >= 1, f"unexpected events {kinds}")
    check([e.event_time for e in events] == sorted(e.event_time for e in events), "events not in time order")
    created = [e for e in events if e.event_type.endswith("reaction.v1.created")][0]
    check(created.reaction_created_event_data.reaction.name == reaction.name, "reaction event payload wrong")
    channel.close()
    return dict(space=space.name, reaction=reaction.name, pin=pin.name, attachment=attachment.name,
                bytes=len(downloaded), events=kinds)


if __name__ == "__main__":
    media_base = sys.argv.pop(2) if len(sys.argv) == 3 else ""
    sys.exit(main(sys.argv, lambda target, a, b: run(target, a, b, media_base), __doc__))
