"""Helpers the space tests share: callers, and the calls they repeat."""
from __future__ import annotations

from google.chat.v1 import membership_pb2, message_pb2, space_pb2, space_setup_pb2, user_pb2
from google.protobuf import field_mask_pb2

from chatsvc.domain.events import EventType

Space = space_pb2.Space
SPACE, GROUP_CHAT, DM = Space.SpaceType.SPACE, Space.SpaceType.GROUP_CHAT, Space.SpaceType.DIRECT_MESSAGE
USER_SCOPES = ("chat.spaces", "chat.delete", "chat.memberships", "chat.messages")
APP_SCOPES = ("chat.app.spaces", "chat.app.memberships", "chat.app.delete", "chat.bot")
ADMIN_SCOPES = ("chat.admin.spaces", "chat.admin.delete", "chat.admin.memberships")


def user(server, email, *scopes):
    return server.md(user=email, scopes=scopes or USER_SCOPES)


def app(server, name="helper-bot", *scopes):
    return server.md(app=name, scopes=scopes or APP_SCOPES)


def admin(server, email="admin@example.com"):
    return server.md(user=email, scopes=ADMIN_SCOPES + USER_SCOPES, admin=True)


def space_id(name: str) -> str:
    return name.split("/")[1]


def member(name: str):
    return membership_pb2.Membership(member=user_pb2.User(name=name, type=user_pb2.User.Type.HUMAN))


def group(name: str):
    return membership_pb2.Membership(group_member={"name": name})


def set_up(server, md, space_type, *members, **fields):
    request = space_setup_pb2.SetUpSpaceRequest(space=Space(space_type=space_type, **fields), memberships=list(members))
    return server.chat.SetUpSpace(request, metadata=md)


async def add_member(server, md, space_name, email):
    return await server.chat.CreateMembership(membership_pb2.CreateMembershipRequest(
        parent=space_name, membership=member(f"users/{email}")), metadata=md)


async def post(server, md, space_name, text="hello"):
    return await server.chat.CreateMessage(message_pb2.CreateMessageRequest(
        parent=space_name, message=message_pb2.Message(text=text)), metadata=md)


def update(server, md, space, *paths, admin_access=False):
    return server.chat.UpdateSpace(space_pb2.UpdateSpaceRequest(
        space=space, update_mask=field_mask_pb2.FieldMask(paths=list(paths)), use_admin_access=admin_access),
        metadata=md)


def get(server, md, name, admin_access=False):
    return server.chat.GetSpace(space_pb2.GetSpaceRequest(name=name, use_admin_access=admin_access), metadata=md)


async def listed(server, md, **request) -> list[str]:
    response = await server.chat.ListSpaces(space_pb2.ListSpacesRequest(page_size=1000, **request), metadata=md)
    return [s.name for s in response.spaces]


async def members_of(server, md, space_name) -> list:
    response = await server.chat.ListMemberships(membership_pb2.ListMembershipsRequest(
        parent=space_name, page_size=1000, show_groups=True), metadata=md)
    return list(response.memberships)


async def events_of(server, space_name) -> list[tuple[str, str]]:
    async with server.running.db.transaction() as repos:
        page = await repos.events.list(space_id(space_name), types=set(EventType), after_us=0, until_us=2**62,
                                       position=None, limit=1000)
    return [(e.event_type.value, e.resource_name) for e in page.items]


async def user_id(server, email) -> str:
    async with server.running.db.transaction() as repos:
        found = await repos.users.by_email(email)
    return found.id
