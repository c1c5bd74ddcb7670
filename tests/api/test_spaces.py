"""Space lifecycle over gRPC, then the not-found / invalid / already-exists / permission cases.

In the manner of gapic-showcase's `Test_Room_lifecycle` and its error-case tests.
"""
import asyncio
import uuid

import grpc
from google.chat.v1 import history_state_pb2, membership_pb2, message_pb2, space_pb2, space_setup_pb2, user_pb2
from sqlalchemy import func, select

from chatsvc.storage.tables import memberships, messages, metadata, spaces, threads
from tests.helpers import failure, field_of, new_space

SPACE = space_pb2.Space.SpaceType.SPACE
USER_SCOPES = ("chat.spaces", "chat.delete", "chat.memberships", "chat.messages")
APP_SCOPES = ("chat.app.spaces", "chat.app.memberships", "chat.app.delete", "chat.bot")


def user(server, email):
    return server.md(user=email, scopes=USER_SCOPES)


def app(server, name="helper-bot"):
    return server.md(app=name, scopes=APP_SCOPES)


async def members_of(server, md, space_name):
    response = await server.chat.ListMemberships(
        membership_pb2.ListMembershipsRequest(parent=space_name, page_size=1000), metadata=md)
    return list(response.memberships)


async def test_space_lifecycle(server):
    alice = user(server, "alice@example.com")
    created = await new_space(server, alice, "Lifecycle", space_details=space_pb2.Space.SpaceDetails(
        description="What we do", guidelines="Be kind"))
    assert created.name.startswith("spaces/AAAA")
    assert created.space_type == SPACE
    assert created.type == space_pb2.Space.Type.ROOM
    assert created.display_name == "Lifecycle"
    assert created.space_details.description == "What we do"
    assert created.space_details.guidelines == "Be kind"
    assert created.customer == "customers/my_customer"
    assert created.create_time.seconds > 0
    assert created.membership_count.joined_direct_human_user_count == 1

    got = await server.chat.GetSpace(space_pb2.GetSpaceRequest(name=created.name), metadata=alice)
    assert got == created

    listed = await server.chat.ListSpaces(space_pb2.ListSpacesRequest(), metadata=alice)
    assert [s.name for s in listed.spaces] == [created.name]
    assert listed.next_page_token == ""

    # The creator is the only member: a joined manager.
    (own,) = await members_of(server, alice, created.name)
    assert own.state == membership_pb2.Membership.MembershipState.JOINED
    assert own.role == membership_pb2.Membership.MembershipRole.ROLE_MANAGER
    assert own.member.type == user_pb2.User.Type.HUMAN

    await server.chat.DeleteSpace(space_pb2.DeleteSpaceRequest(name=created.name), metadata=alice)
    details = await failure(server.chat.GetSpace(space_pb2.GetSpaceRequest(name=created.name), metadata=alice),
                            grpc.StatusCode.NOT_FOUND)
    assert details["ErrorInfo"].reason == "SPACE_NOT_FOUND"
    listed = await server.chat.ListSpaces(space_pb2.ListSpacesRequest(), metadata=alice)
    assert list(listed.spaces) == []


async def test_display_name_is_required_for_a_space(server):
    alice = user(server, "alice@example.com")
    for blank in ("", "   "):
        details = await failure(server.chat.CreateSpace(space_pb2.CreateSpaceRequest(
            space=space_pb2.Space(space_type=SPACE, display_name=blank)), metadata=alice),
            grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == ["space.display_name"]
        assert details["ErrorInfo"].reason


async def test_display_name_at_most_128_characters(server):
    alice = user(server, "alice@example.com")
    ok = await new_space(server, alice, "é" * 128)
    assert ok.display_name == "é" * 128
    details = await failure(new_space(server, alice, "x" * 129), grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["space.display_name"]


async def test_only_named_spaces_are_created(server):
    alice = user(server, "alice@example.com")
    details = await failure(server.chat.CreateSpace(space_pb2.CreateSpaceRequest(space=space_pb2.Space(
        space_type=space_pb2.Space.SpaceType.GROUP_CHAT, display_name="x")), metadata=alice),
        grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["space.space_type"]


async def test_description_at_most_150_characters(server):
    alice = user(server, "alice@example.com")
    await new_space(server, alice, space_details=space_pb2.Space.SpaceDetails(description="d" * 150))
    details = await failure(new_space(server, alice, space_details=space_pb2.Space.SpaceDetails(
        description="d" * 151)), grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["space.space_details.description"]


async def test_oversized_fields_are_invalid_not_internal(server):
    # Each is stored in a bounded column; PostgreSQL would refuse the row if the API let it through.
    alice, bot = user(server, "alice@example.com"), app(server)
    details = await failure(new_space(server, alice, space_details=space_pb2.Space.SpaceDetails(
        guidelines="g" * 5001)), grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["space.space_details.guidelines"]
    details = await failure(new_space(server, bot, customer="customers/" + "c" * 60),
                            grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["space.customer"]
    details = await failure(server.chat.CreateSpace(space_pb2.CreateSpaceRequest(
        space=space_pb2.Space(space_type=SPACE, display_name="Long id"), request_id="r" * 129), metadata=alice),
        grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["request_id"]


async def test_display_name_unique_per_customer_case_insensitively(server):
    alice, bob = user(server, "alice@example.com"), user(server, "bob@example.com")
    await new_space(server, alice, "Project Apollo")
    for taken in ("Project Apollo", "PROJECT apollo"):
        details = await failure(new_space(server, bob, taken), grpc.StatusCode.ALREADY_EXISTS)
        assert details["ErrorInfo"].reason == "SPACE_DISPLAY_NAME_IN_USE"
        assert details["ErrorInfo"].domain == "chat.googleapis.com"
    # Another customer's namespace is separate.
    other = await new_space(server, app(server), "Project Apollo", customer="customers/C0ther")
    assert other.customer == "customers/C0ther"


async def test_request_id_makes_create_idempotent(server):
    alice, bob = user(server, "alice@example.com"), user(server, "bob@example.com")
    request_id = str(uuid.uuid4())
    first = await server.chat.CreateSpace(space_pb2.CreateSpaceRequest(
        space=space_pb2.Space(space_type=SPACE, display_name="Once"), request_id=request_id), metadata=alice)
    # A repeat, even with other details, returns the first space and creates nothing.
    again = await server.chat.CreateSpace(space_pb2.CreateSpaceRequest(
        space=space_pb2.Space(space_type=SPACE, display_name="Twice"), request_id=request_id), metadata=alice)
    assert again.name == first.name
    assert again.display_name == "Once"
    listed = await server.chat.ListSpaces(space_pb2.ListSpacesRequest(), metadata=alice)
    assert [s.name for s in listed.spaces] == [first.name]

    details = await failure(server.chat.CreateSpace(space_pb2.CreateSpaceRequest(
        space=space_pb2.Space(space_type=SPACE, display_name="Bob's"), request_id=request_id), metadata=bob),
        grpc.StatusCode.ALREADY_EXISTS)
    assert details["ErrorInfo"].reason == "REQUEST_ID_IN_USE"


async def test_app_authentication_requires_customer_and_joins_as_plain_member(server):
    bot = app(server)
    details = await failure(new_space(server, bot, "App space"), grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["space.customer"]
    details = await failure(new_space(server, bot, "App space", customer="my_customer"),
                            grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["space.customer"]

    created = await new_space(server, bot, "App space", customer="customers/my_customer")
    assert created.customer == "customers/my_customer"
    assert created.membership_count.joined_direct_human_user_count == 0
    # The app adds a human, who then sees the app as a plain (not manager) member.
    await server.chat.CreateMembership(membership_pb2.CreateMembershipRequest(
        parent=created.name, membership=membership_pb2.Membership(member=user_pb2.User(
            name="users/carol@example.com", type=user_pb2.User.Type.HUMAN))), metadata=bot)
    carol = user(server, "carol@example.com")
    by_type = {m.member.type: m for m in await members_of(server, carol, created.name)}
    assert by_type[user_pb2.User.Type.BOT].role == membership_pb2.Membership.MembershipRole.ROLE_MEMBER
    assert by_type[user_pb2.User.Type.BOT].state == membership_pb2.Membership.MembershipState.JOINED
    assert by_type[user_pb2.User.Type.HUMAN].role == membership_pb2.Membership.MembershipRole.ROLE_MEMBER


async def test_get_space_not_found_and_invalid_name(server):
    alice, bob = user(server, "alice@example.com"), user(server, "bob@example.com")
    created = await new_space(server, alice)
    # Someone else's space and a space that does not exist look the same.
    for name in (created.name, "spaces/AAAAdoesnotexist"):
        details = await failure(server.chat.GetSpace(space_pb2.GetSpaceRequest(name=name), metadata=bob),
                                grpc.StatusCode.NOT_FOUND)
        assert details["ErrorInfo"].reason == "SPACE_NOT_FOUND"
    for bad in ("", "rooms/abc", "spaces/", "spaces/a/b", "spaces/a b"):
        details = await failure(server.chat.GetSpace(space_pb2.GetSpaceRequest(name=bad), metadata=alice),
                                grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == ["name"]


async def test_list_spaces_only_the_callers_paged(server):
    alice, bob = user(server, "alice@example.com"), user(server, "bob@example.com")
    mine = {(await new_space(server, alice)).name for _ in range(5)}
    theirs = await new_space(server, bob)

    seen, token, pages = [], "", 0
    while True:
        page = await server.chat.ListSpaces(space_pb2.ListSpacesRequest(page_size=2, page_token=token),
                                            metadata=alice)
        pages += 1
        assert len(page.spaces) <= 2
        seen += [s.name for s in page.spaces]
        token = page.next_page_token
        if not token:
            break
    assert pages == 3
    assert len(seen) == len(set(seen)) == 5
    assert set(seen) == mine
    assert theirs.name not in seen

    details = await failure(server.chat.ListSpaces(space_pb2.ListSpacesRequest(page_size=-1), metadata=alice),
                            grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["page_size"]


async def test_list_spaces_rejects_a_bad_page_token(server):
    alice = user(server, "alice@example.com")
    details = await failure(server.chat.ListSpaces(space_pb2.ListSpacesRequest(page_token="garbage"),
                                                   metadata=alice), grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["page_token"]


async def test_delete_space_permissions(server):
    alice, bob, eve = (user(server, f"{n}@example.com") for n in ("alice", "bob", "eve"))
    created = await new_space(server, alice)
    await server.chat.CreateMembership(membership_pb2.CreateMembershipRequest(
        parent=created.name, membership=membership_pb2.Membership(
            member=user_pb2.User(name="users/bob@example.com", type=user_pb2.User.Type.HUMAN))), metadata=alice)

    details = await failure(server.chat.DeleteSpace(space_pb2.DeleteSpaceRequest(name=created.name), metadata=bob),
                            grpc.StatusCode.PERMISSION_DENIED)
    assert details["ErrorInfo"].reason == "NOT_SPACE_MANAGER"
    details = await failure(server.chat.DeleteSpace(space_pb2.DeleteSpaceRequest(name=created.name), metadata=eve),
                            grpc.StatusCode.NOT_FOUND)
    assert details["ErrorInfo"].reason == "SPACE_NOT_FOUND"
    # Still there for its members.
    await server.chat.GetSpace(space_pb2.GetSpaceRequest(name=created.name), metadata=bob)

    await server.chat.DeleteSpace(space_pb2.DeleteSpaceRequest(name=created.name), metadata=alice)
    await failure(server.chat.DeleteSpace(space_pb2.DeleteSpaceRequest(name=created.name), metadata=alice),
                  grpc.StatusCode.NOT_FOUND)


async def test_delete_space_cascades_to_messages_and_memberships(server):
    alice, bob = user(server, "alice@example.com"), user(server, "bob@example.com")
    doomed = await new_space(server, alice)
    kept = await new_space(server, alice)
    for space in (doomed, kept):
        await server.chat.CreateMembership(membership_pb2.CreateMembershipRequest(
            parent=space.name, membership=membership_pb2.Membership(
                member=user_pb2.User(name="users/bob@example.com"))), metadata=alice)
        for text in ("one", "two"):
            await server.chat.CreateMessage(message_pb2.CreateMessageRequest(
                parent=space.name, message=message_pb2.Message(text=text)), metadata=bob)
    posted = await server.chat.CreateMessage(message_pb2.CreateMessageRequest(
        parent=doomed.name, message=message_pb2.Message(text="last")), metadata=alice)

    await server.chat.DeleteSpace(space_pb2.DeleteSpaceRequest(name=doomed.name), metadata=alice)

    for call in (
        server.chat.GetSpace(space_pb2.GetSpaceRequest(name=doomed.name), metadata=alice),
        server.chat.GetMessage(message_pb2.GetMessageRequest(name=posted.name), metadata=alice),
        server.chat.ListMessages(message_pb2.ListMessagesRequest(parent=doomed.name), metadata=bob),
        server.chat.ListMemberships(membership_pb2.ListMembershipsRequest(parent=doomed.name), metadata=bob),
    ):
        await failure(call, grpc.StatusCode.NOT_FOUND)

    doomed_id, kept_id = doomed.name.split("/")[1], kept.name.split("/")[1]
    async with server.running.db.engine.connect() as conn:
        for table in (spaces, memberships, messages, threads):
            column = table.c.id if table is spaces else table.c.space_id
            assert await conn.scalar(select(func.count()).where(column == doomed_id)) == 0, table.name
        assert await conn.scalar(select(func.count()).where(messages.c.space_id == kept_id)) == 2
        assert await conn.scalar(select(func.count()).where(memberships.c.space_id == kept_id)) == 2
    # The other space is untouched.
    listed = await server.chat.ListMessages(message_pb2.ListMessagesRequest(parent=kept.name), metadata=bob)
    assert [m.text for m in listed.messages] == ["one", "two"]


async def test_app_can_delete_only_spaces_it_created(server):
    bot, other_bot = app(server, "helper-bot"), app(server, "other-bot")
    created = await new_space(server, bot, customer="customers/my_customer")
    details = await failure(server.chat.DeleteSpace(space_pb2.DeleteSpaceRequest(name=created.name),
                                                    metadata=other_bot), grpc.StatusCode.NOT_FOUND)
    assert details["ErrorInfo"].reason == "SPACE_NOT_FOUND"
    await server.chat.DeleteSpace(space_pb2.DeleteSpaceRequest(name=created.name), metadata=bot)


async def test_concurrent_creates_with_one_display_name(server):
    callers = [user(server, f"user{i}@example.com") for i in range(4)]
    outcomes = await asyncio.gather(*(new_space(server, md, "Contested") for md in callers),
                                    return_exceptions=True)
    assert sum(isinstance(o, space_pb2.Space) for o in outcomes) == 1
    assert [o.code() for o in outcomes if not isinstance(o, space_pb2.Space)] == [grpc.StatusCode.ALREADY_EXISTS] * 3


# --- permission settings, access settings and history at creation -------------------------------------------

async def test_predefined_permission_settings(server):
    alice = user(server, "alice@example.com")
    announcement = await new_space(server, alice, "News", predefined_permission_settings=(
        space_pb2.Space.PredefinedPermissionSettings.ANNOUNCEMENT_SPACE))
    settings = announcement.permission_settings
    assert not settings.post_messages.members_allowed and settings.post_messages.managers_allowed
    assert settings.reply_messages.members_allowed and settings.view_space_membership.members_allowed
    assert not settings.manage_members_and_groups.members_allowed
    got = await server.chat.GetSpace(space_pb2.GetSpaceRequest(name=announcement.name), metadata=alice)
    assert got.permission_settings == settings
    collaboration = await new_space(server, alice, "Team")
    assert collaboration.permission_settings.post_messages.members_allowed
    assert collaboration.permission_settings.manage_apps.members_allowed
    # Lists leave permission settings out.
    listed = await server.chat.ListSpaces(space_pb2.ListSpacesRequest(), metadata=alice)
    assert listed.spaces and not any(s.HasField("permission_settings") for s in listed.spaces)
    assert all(s.access_settings.access_state == space_pb2.Space.AccessSettings.AccessState.PRIVATE
               for s in listed.spaces)

    for fields, field in ((dict(predefined_permission_settings=0), "space.predefined_permission_settings"),
                          (dict(predefined_permission_settings=7), "space.predefined_permission_settings"),
                          (dict(permission_settings=space_pb2.Space.PermissionSettings()), "space.permission_settings"),
                          (dict(space_history_state=9), "space.space_history_state"),
                          (dict(single_user_bot_dm=True), "space.single_user_bot_dm"),
                          (dict(customer="customers/C0ther"), "space.customer")):
        details = await failure(new_space(server, alice, **fields), grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == [field], fields


async def test_history_and_audience_at_creation(server):
    alice = user(server, "alice@example.com")
    quiet = await new_space(server, alice, space_history_state=history_state_pb2.HISTORY_OFF)
    assert quiet.space_history_state == history_state_pb2.HISTORY_OFF
    assert (await new_space(server, alice)).space_history_state == history_state_pb2.HISTORY_ON
    open_space = await new_space(server, alice, access_settings={"audience": "audiences/default"})
    assert open_space.access_settings.access_state == space_pb2.Space.AccessSettings.AccessState.DISCOVERABLE
    assert open_space.space_uri == f"https://chat.google.com/room/{open_space.name.split('/')[1]}"
    details = await failure(new_space(server, alice, access_settings={"audience": "default"}),
                            grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["space.access_settings.audience"]
    details = await failure(new_space(server, app(server), customer="customers/my_customer",
                                      access_settings={"audience": "audiences/default"}),
                            grpc.StatusCode.PERMISSION_DENIED)
    assert details["ErrorInfo"].reason == "USER_AUTHENTICATION_REQUIRED"


async def test_what_apps_see_depends_on_scope_and_creator(server):
    alice, bot = user(server, "alice@example.com"), app(server)
    created = await new_space(server, bot, "Bot space", customer="customers/my_customer")
    assert created.HasField("permission_settings") and created.HasField("access_settings")
    by_bot = server.md(app="helper-bot", scopes=["chat.bot"])
    got = await server.chat.GetSpace(space_pb2.GetSpaceRequest(name=created.name), metadata=by_bot)
    assert not got.HasField("permission_settings") and not got.HasField("access_settings")
    # A space the app joined but did not create: access settings, no permission settings.
    theirs = await new_space(server, alice, "Alice space")
    await server.chat.CreateMembership(membership_pb2.CreateMembershipRequest(
        parent=theirs.name, membership=membership_pb2.Membership(member=user_pb2.User(name="users/app"))),
        metadata=server.md(user="alice@example.com", app="helper-bot", scopes=["chat.memberships.app"]))
    got = await server.chat.GetSpace(space_pb2.GetSpaceRequest(name=theirs.name), metadata=bot)
    assert got.HasField("access_settings") and not got.HasField("permission_settings")
    listed = await server.chat.ListSpaces(space_pb2.ListSpacesRequest(), metadata=by_bot)
    assert sorted(s.name for s in listed.spaces) == sorted([created.name, theirs.name])


# --- ListSpaces filters ---------------------------------------------------------------------------------------

async def test_list_spaces_filter(server):
    alice, bob = user(server, "alice@example.com"), user(server, "bob@example.com")
    named = await new_space(server, alice)
    dm = await server.chat.SetUpSpace(space_setup_pb2.SetUpSpaceRequest(
        space=space_pb2.Space(space_type=space_pb2.Space.SpaceType.DIRECT_MESSAGE),
        memberships=[membership_pb2.Membership(member=user_pb2.User(name="users/bob@example.com"))]), metadata=alice)
    await server.chat.CreateMessage(message_pb2.CreateMessageRequest(
        parent=dm.name, message=message_pb2.Message(text="hi")), metadata=bob)

    async def names(text):
        response = await server.chat.ListSpaces(space_pb2.ListSpacesRequest(filter=text), metadata=alice)
        return sorted(s.name for s in response.spaces)

    assert await names("") == sorted([named.name, dm.name])
    assert await names('space_type = "SPACE"') == [named.name]
    assert await names("spaceType = DIRECT_MESSAGE") == [dm.name]
    assert await names('spaceType = "GROUP_CHAT" OR spaceType = "DIRECT_MESSAGE"') == [dm.name]
    assert await names('(space_type = "SPACE" OR space_type = "GROUP_CHAT") OR space_type = "DIRECT_MESSAGE"') == \
        sorted([named.name, dm.name])
    for bad in ('space_type = "SPACE_TYPE_UNSPECIFIED"', 'space_type = "ROOM"', 'space_type != "SPACE"',
                'space_type = "SPACE" AND space_type = "DIRECT_MESSAGE"', 'display_name = "x"',
                'NOT space_type = "SPACE"', 'space_type = "SPACE" OR', "space_type:SPACE"):
        details = await failure(server.chat.ListSpaces(space_pb2.ListSpacesRequest(filter=bad), metadata=alice),
                                grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == ["filter"], bad
    # A page token belongs to its filter.
    for _ in range(2):
        await new_space(server, alice)
    first = await server.chat.ListSpaces(space_pb2.ListSpacesRequest(page_size=1, filter='space_type = "SPACE"'),
                                         metadata=alice)
    details = await failure(server.chat.ListSpaces(space_pb2.ListSpacesRequest(
        page_token=first.next_page_token), metadata=alice), grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["page_token"]


async def test_listing_spaces_is_not_n_plus_one(server):
    from tests.api.test_pagination import StatementCounter

    alice = user(server, "alice@example.com")
    for _ in range(30):
        await new_space(server, alice)
    await server.chat.ListSpaces(space_pb2.ListSpacesRequest(page_size=1), metadata=alice)
    counts = {}
    for size in (3, 30):
        with StatementCounter(server) as counter:
            page = await server.chat.ListSpaces(space_pb2.ListSpacesRequest(page_size=size), metadata=alice)
        assert len(page.spaces) == size
        counts[size] = len(counter.statements)
    assert counts[3] == counts[30] <= 4, counts


# --- administrators, deletion ---------------------------------------------------------------------------------

async def test_admin_access_gets_and_deletes_any_space(server):
    alice = user(server, "alice@example.com")
    boss = server.md(user="boss@example.com", scopes=["chat.admin.spaces", "chat.admin.delete", "chat.spaces",
                                                      "chat.delete"], admin=True)
    created = await new_space(server, alice)
    await failure(server.chat.GetSpace(space_pb2.GetSpaceRequest(name=created.name), metadata=boss),
                  grpc.StatusCode.NOT_FOUND)
    got = await server.chat.GetSpace(space_pb2.GetSpaceRequest(name=created.name, use_admin_access=True),
                                     metadata=boss)
    assert got.name == created.name and got.HasField("permission_settings")
    await server.chat.DeleteSpace(space_pb2.DeleteSpaceRequest(name=created.name, use_admin_access=True),
                                  metadata=boss)
    await failure(server.chat.GetSpace(space_pb2.GetSpaceRequest(name=created.name), metadata=alice),
                  grpc.StatusCode.NOT_FOUND)


async def test_delete_space_leaves_no_row_behind(server):
    alice = user(server, "alice@example.com")
    doomed = await new_space(server, alice)
    await server.chat.CreateMembership(membership_pb2.CreateMembershipRequest(
        parent=doomed.name, membership=membership_pb2.Membership(member=user_pb2.User(name="users/b@example.com"))),
        metadata=alice)
    await server.chat.UpdateSpace(space_pb2.UpdateSpaceRequest(
        space=space_pb2.Space(name=doomed.name, display_name="Renamed"), update_mask={"paths": ["display_name"]}),
        metadata=alice)
    await server.chat.CreateMessage(message_pb2.CreateMessageRequest(
        parent=doomed.name, message=message_pb2.Message(text="bye")), metadata=alice)
    await server.chat.DeleteSpace(space_pb2.DeleteSpaceRequest(name=doomed.name), metadata=alice)
    doomed_id = doomed.name.split("/")[1]
    async with server.running.db.engine.connect() as conn:
        for table in metadata.sorted_tables:
            if "space_id" in table.c:
                assert await conn.scalar(select(func.count()).where(table.c.space_id == doomed_id)) == 0, table.name
