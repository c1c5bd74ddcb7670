"""Role matrix of the message RPCs: who may post, read, list, search, edit and delete messages, upload
attachments and read them.

Google's documentation, in short: members of a space (humans and Chat apps) post and read its messages, as
its permission settings allow (an announcement space keeps new threads to managers); only a message's creator
edits it, and a Chat app only its own messages; a creator deletes their message, and space managers anyone's,
while an app deletes only its own; a private message is seen by its viewer (and the app that sent it) alone;
GetAttachment takes app authentication, UploadAttachment user authentication. A non-member is told the space
does not exist, and a hidden private message is told apart from nothing.
"""
from __future__ import annotations

import pytest
from google.chat.v1 import attachment_pb2, membership_pb2, message_pb2, space_pb2, space_setup_pb2, user_pb2
from google.protobuf import field_mask_pb2

from tests.api.media_support import upload_token, with_tokens
from tests.authz.rest_leg import GRPC, REST
from tests.authz.support import (
    ADMIN_PLAIN,
    APP_MEMBER,
    APP_NOT_SUPPORTED,
    APP_OUTSIDER,
    HIDDEN,
    MANAGER,
    MEMBER,
    OK,
    OUTSIDER,
    USER_NOT_SUPPORTED,
    Case,
    applicable,
    denied,
    make_world,
    report,
    run,
    table_cases,
)

READERS = {OUTSIDER: HIDDEN, MEMBER: OK, MANAGER: OK, APP_MEMBER: OK, APP_OUTSIDER: HIDDEN, ADMIN_PLAIN: HIDDEN}
NOT_CREATOR = denied("NOT_MESSAGE_CREATOR")

# RPC -> caller -> outcome. HIDDEN: NOT_FOUND, identical to the answer for an absent space or message.
# No message RPC has use_admin_access: an administrator is an ordinary user.
TABLE = {
    "CreateMessage": READERS,
    "GetMessage": READERS,  # the manager's message
    "ListMessages": READERS,
    "UpdateMessage": READERS | {MEMBER: NOT_CREATOR, APP_MEMBER: NOT_CREATOR},  # a fresh message of the manager
    "DeleteMessage": READERS | {APP_MEMBER: NOT_CREATOR},  # a fresh message of the member; managers delete any
    # Across the caller's spaces ("spaces/-"): members find the world's messages, others nothing.
    "SearchMessages": {OUTSIDER: OK, MEMBER: OK, MANAGER: OK, APP_MEMBER: APP_NOT_SUPPORTED, ADMIN_PLAIN: OK},
    "GetAttachment": {OUTSIDER: USER_NOT_SUPPORTED, MEMBER: USER_NOT_SUPPORTED, APP_MEMBER: OK,
                      APP_OUTSIDER: HIDDEN},
    "UploadAttachment": READERS | {APP_MEMBER: APP_NOT_SUPPORTED, APP_OUTSIDER: APP_NOT_SUPPORTED},
}


def _member_name(world) -> str:
    return world.extra["member_ids"]["member"]


async def _create(world, caller):
    return message_pb2.CreateMessageRequest(parent=world.space.name, message=message_pb2.Message(text="hi"))


async def _get(world, caller):
    return message_pb2.GetMessageRequest(name=world.messages["manager"].name)


async def _list(world, caller):
    return message_pb2.ListMessagesRequest(parent=world.space.name, page_size=100)


async def _edit(message):
    return message_pb2.UpdateMessageRequest(message=message_pb2.Message(name=message.name, text="edited"),
                                            update_mask=field_mask_pb2.FieldMask(paths=["text"]))


async def _update(world, caller):
    return await _edit(await world.post("manager"))


async def _update_own_app(world, caller):
    return await _edit(await world.post("app"))


async def _delete(world, caller):
    return message_pb2.DeleteMessageRequest(name=(await world.post("member")).name)


async def _search(world, caller):
    return message_pb2.SearchMessagesRequest(parent="spaces/-", filter=world.tag, page_size=100)


async def _private(world, caller):
    """A private message of the app to the member."""
    message = await world.post("app", "psst", private_message_viewer=user_pb2.User(name=_member_name(world)))
    return message_pb2.GetMessageRequest(name=message.name)


async def _announcement_post(world, caller):
    space = await world.new_space(predefined_permission_settings=2)  # ANNOUNCEMENT_SPACE
    return message_pb2.CreateMessageRequest(parent=space.name, message=message_pb2.Message(text="news"))


async def _attachment_world(server):
    world = await make_world(server, messages=False)
    token = await upload_token(server, world.md("manager"), world.space.name, b"report", "report.txt")
    message = await world.chat.CreateMessage(message_pb2.CreateMessageRequest(
        parent=world.space.name, message=with_tokens(token, text="attached")), metadata=world.md("manager"))
    world.extra["attachment"] = message.attachment[0].name
    world.remember(message.attachment[0].name)
    return world


async def _attachment(world, caller):
    return attachment_pb2.GetAttachmentRequest(name=world.extra["attachment"])


async def _upload(world, caller):
    return attachment_pb2.UploadAttachmentRequest(parent=world.space.name, filename="notes.txt")


def _only_the_leaf(world, request) -> list[str]:
    """A private message hidden from someone who sees the space compares with an absent message in it."""
    return [request.name.rsplit("/", 1)[1]]


# --- effects ------------------------------------------------------------------------------------------------------
async def _posted(world, caller, request, response):
    got = await world.chat.GetMessage(message_pb2.GetMessageRequest(name=response.name), metadata=world.md("manager"))
    return None if got.text == request.message.text else f"stored text {got.text!r}"


async def _got(world, caller, request, response):
    return None if response.name == request.name else f"got {response.name}"


async def _listed(world, caller, request, response):
    names = {m.name for m in response.messages}
    # Google: chat.app.messages.readonly apps see public messages; all three of the world's are public.
    missing = [w for w, m in world.messages.items() if m.name not in names]
    return f"missing the messages of {missing}" if missing else None


async def _edited(world, caller, request, response):
    got = await world.chat.GetMessage(message_pb2.GetMessageRequest(name=request.message.name),
                                      metadata=world.md("manager"))
    return None if got.text == "edited" else f"text is {got.text!r}"


async def _deleted(world, caller, request, response):
    try:
        await world.chat.GetMessage(message_pb2.GetMessageRequest(name=request.name), metadata=world.md("manager"))
    except Exception:  # noqa: BLE001  NOT_FOUND is the point
        return None
    return "the message is still there"


async def _searched(world, caller, request, response):
    found = {r.message.name for r in response.results} if hasattr(response, "results") else set()
    found |= {m.name for m in getattr(response, "messages", [])}
    # Google: "Messages posted by Chat apps in spaces" are never results.
    ours = {world.messages[w].name for w in ("manager", "member")}
    if world.messages["app"].name in found:
        return "found the app's message"
    sees = caller in (MEMBER, MANAGER)
    if sees and not ours <= found:
        return f"members should find {sorted(ours)}, found {sorted(found)}"
    if not sees and found & ours:
        return f"a non-member found {sorted(found & ours)}"
    return None


async def _attachment_got(world, caller, request, response):
    return None if response.name == request.name else f"got {response.name}"


async def _uploaded(world, caller, request, response):
    return None if response.attachment_data_ref.attachment_upload_token else "no upload token"


SCENARIOS = {
    "CreateMessage": (_create, _posted, make_world),
    "GetMessage": (_get, _got, make_world),
    "ListMessages": (_list, _listed, make_world),
    "UpdateMessage": (_update, _edited, make_world),
    "DeleteMessage": (_delete, _deleted, make_world),
    "SearchMessages": (_search, _searched, make_world),
    "GetAttachment": (_attachment, _attachment_got, _attachment_world),
    "UploadAttachment": (_upload, _uploaded, make_world),
}


def _nuances() -> dict[str, list[Case]]:
    return {
        "CreateMessage": [
            Case(MEMBER, denied("POST_MESSAGES_NOT_PERMITTED"), "announcement space", build=_announcement_post),
            Case(MANAGER, OK, "announcement space", build=_announcement_post),
        ],
        "GetMessage": [
            Case(MEMBER, OK, "private message, its viewer", build=_private),
            Case(MANAGER, HIDDEN, "private message for someone else", build=_private, vary=_only_the_leaf),
            Case(APP_MEMBER, OK, "its own private message", build=_private),
        ],
        "ListMessages": [
            Case(MEMBER, OK, "a private message to the member is listed", build=_list_with_private,
                 effect=_private_listed_for_viewer_only),
            Case(MANAGER, OK, "the member's private message is left out", build=_list_with_private,
                 effect=_private_listed_for_viewer_only),
        ],
        "UpdateMessage": [Case(APP_MEMBER, OK, "its own message", build=_update_own_app)],
        "DeleteMessage": [
            Case(MEMBER, NOT_CREATOR, "the manager's message", build=_delete_of_sync("manager")),
            Case(APP_MEMBER, OK, "its own message", build=_delete_of_sync("app")),
            Case(MANAGER, NOT_CREATOR, "the member's message in a group chat it created", build=_group_chat_delete),
        ],
    }


async def _group_chat_delete(world, caller):
    """In a group chat there are no managers: its creator (the manager) may not delete the member's message."""
    chat = await world.chat.SetUpSpace(space_setup_pb2.SetUpSpaceRequest(
        space=space_pb2.Space(space_type=space_pb2.Space.SpaceType.GROUP_CHAT),
        memberships=[membership_pb2.Membership(member={"name": f"users/{world.email(w)}"})
                     for w in ("member", "carol")]), metadata=world.md("manager"))
    world.remember(chat.name)
    return message_pb2.DeleteMessageRequest(name=(await world.post("member", space_name=chat.name)).name)


async def _list_with_private(world, caller):
    world.extra["private"] = (await _private(world, caller)).name
    return message_pb2.ListMessagesRequest(parent=world.space.name, page_size=100)


async def _private_listed_for_viewer_only(world, caller, request, response):
    listed = world.extra["private"] in {m.name for m in response.messages}
    return None if listed == (caller == MEMBER) else f"private message {'missing' if not listed else 'leaked'}"


def _delete_of_sync(who):
    async def build(world, caller):
        return message_pb2.DeleteMessageRequest(name=(await world.post(who)).name)
    return build


NUANCES = _nuances()


async def _check(roles_server, rpc: str, transport: str = GRPC) -> None:
    build, effect, world = SCENARIOS[rpc]
    cases = table_cases(applicable(rpc, TABLE[rpc])) + NUANCES.get(rpc, [])
    problems = await run(roles_server, rpc, build, cases, effect, world, transport)
    assert not problems, report(rpc, cases, problems)


@pytest.mark.parametrize("rpc", sorted(TABLE))
async def test_message_roles(roles_server, rpc):
    await _check(roles_server, rpc)


@pytest.mark.parametrize("rpc", sorted(TABLE))
async def test_message_roles_over_rest(roles_server, rpc):
    """The same row with the call under test sent over REST (tests/authz/rest_leg.py)."""
    await _check(roles_server, rpc, REST)
