"""Role matrix of what belongs to one user: sections and their items, read states, notification settings,
availability, and custom emojis.

Google's documentation, in short: these RPCs take user authentication only; sections, read states,
notification settings and availability are read and changed by their own user alone ("Only the caller's user
id or email is allowed"; availability: "only the authenticated user's"); read states and notification
settings exist for spaces the caller has joined, so a non-member is told the space does not exist; custom
emojis are seen by the whole organization and deleted by their creator or an emoji manager. A section of
someone else's named under `users/me` is simply not there.

Here the manager owns the resource under test; the member and the non-member are other users.
"""
from __future__ import annotations

import uuid

import pytest
from google.chat.v1 import (
    availability_pb2,
    reaction_pb2,
    section_pb2,
    space_notification_setting_pb2,
    space_read_state_pb2,
    thread_read_state_pb2,
)
from google.protobuf import duration_pb2, field_mask_pb2, timestamp_pb2

from tests.api.media_support import png
from tests.authz.rest_leg import GRPC, REST
from tests.authz.support import (
    ADMIN_PLAIN,
    APP_MEMBER,
    APP_NOT_SUPPORTED,
    HIDDEN,
    MANAGER,
    MEMBER,
    OK,
    OUTSIDER,
    Case,
    applicable,
    denied,
    like_absent,
    make_world,
    report,
    run,
    table_cases,
)

EVERY_USER = {OUTSIDER: OK, MEMBER: OK, MANAGER: OK, APP_MEMBER: APP_NOT_SUPPORTED, ADMIN_PLAIN: OK}
# The manager's own section, named under `users/me`: other users find nothing there.
OWNER_ONLY = {OUTSIDER: HIDDEN, MEMBER: HIDDEN, MANAGER: OK, APP_MEMBER: APP_NOT_SUPPORTED, ADMIN_PLAIN: HIDDEN}
# The caller's own state in the world's space: members only.
SPACE_MEMBERS = {OUTSIDER: HIDDEN, MEMBER: OK, MANAGER: OK, APP_MEMBER: APP_NOT_SUPPORTED, ADMIN_PLAIN: HIDDEN}
# The manager's availability, named by the manager's email: its user alone. The refusal is the same for an
# email nobody has, so it does not tell who exists.
CALLER_ONLY = like_absent(denied("CALLER_ONLY"))
OWN_AVAILABILITY = {OUTSIDER: CALLER_ONLY, MEMBER: CALLER_ONLY, MANAGER: OK, APP_MEMBER: APP_NOT_SUPPORTED,
                    ADMIN_PLAIN: CALLER_ONLY}

TABLE = {
    "CreateSection": EVERY_USER,
    "ListSections": EVERY_USER,
    "UpdateSection": OWNER_ONLY,
    "DeleteSection": OWNER_ONLY,
    "PositionSection": OWNER_ONLY,
    "ListSectionItems": OWNER_ONLY,
    "MoveSectionItem": OWNER_ONLY,  # the world's space into the manager's section
    "GetSpaceReadState": SPACE_MEMBERS,
    "UpdateSpaceReadState": SPACE_MEMBERS,
    "GetThreadReadState": SPACE_MEMBERS,
    "GetSpaceNotificationSetting": SPACE_MEMBERS,
    "UpdateSpaceNotificationSetting": SPACE_MEMBERS,
    "GetAvailability": OWN_AVAILABILITY,
    "UpdateAvailability": OWN_AVAILABILITY,
    "MarkAsActive": OWN_AVAILABILITY,
    "MarkAsAway": OWN_AVAILABILITY,
    "MarkAsDoNotDisturb": OWN_AVAILABILITY,
    "CreateCustomEmoji": EVERY_USER,
    "GetCustomEmoji": EVERY_USER,  # the manager's emoji, seen by the organization
    "ListCustomEmojis": EVERY_USER,
    # A fresh emoji of the manager's. The administrator stands for Google's emoji manager (no
    # use_admin_access on this request: Google grants emoji managers this right outright).
    "DeleteCustomEmoji": EVERY_USER | {OUTSIDER: denied("NOT_CUSTOM_EMOJI_CREATOR"),
                                       MEMBER: denied("NOT_CUSTOM_EMOJI_CREATOR")},
}

CUSTOM = section_pb2.Section.SectionType.CUSTOM_SECTION


def _who(caller: str) -> str:
    return {OUTSIDER: "outsider", MEMBER: "member", MANAGER: "manager"}.get(caller, "admin")


async def _section(world) -> section_pb2.Section:
    """A fresh custom section of the manager's, its id remembered as the world's."""
    section = await world.chat.CreateSection(section_pb2.CreateSectionRequest(
        parent="users/me", section=section_pb2.Section(display_name=f"S {uuid.uuid4().hex[:6]}", type=CUSTOM)),
        metadata=world.md("manager"))
    world.remember(section.name)
    return section


def _mine(section: section_pb2.Section) -> str:
    """The section's name under `users/me`."""
    return "users/me/sections/" + section.name.split("/sections/")[1]


async def _create_section(world, caller):
    return section_pb2.CreateSectionRequest(parent="users/me", section=section_pb2.Section(
        display_name=f"Mine {uuid.uuid4().hex[:6]}", type=CUSTOM))


async def _list_sections(world, caller):
    world.extra.setdefault("section", await _section(world))
    return section_pb2.ListSectionsRequest(parent="users/me", page_size=100)


async def _update_section(world, caller):
    return section_pb2.UpdateSectionRequest(section=section_pb2.Section(name=_mine(await _section(world)),
                                                                        display_name="Renamed"),
                                            update_mask=field_mask_pb2.FieldMask(paths=["display_name"]))


async def _delete_section(world, caller):
    return section_pb2.DeleteSectionRequest(name=_mine(await _section(world)))


async def _position_section(world, caller):
    return section_pb2.PositionSectionRequest(name=_mine(await _section(world)), sort_order=1)


async def _list_items(world, caller):
    return section_pb2.ListSectionItemsRequest(parent=_mine(await _section(world)), page_size=100)


async def _move_item(world, caller):
    section = await _section(world)
    return section_pb2.MoveSectionItemRequest(
        name=f"users/me/sections/default-spaces/items/{world.space.name.split('/')[1]}", target_section=_mine(section))


async def _explicit_other(world, caller):
    """The member names the manager's section by the manager's email."""
    section = await _section(world)
    return section_pb2.DeleteSectionRequest(name=section.name.replace(
        section.name.split("/")[1], world.email("manager"), 1))


def _read_state(world) -> str:
    return f"users/me/{world.space.name}/spaceReadState"


async def _get_read_state(world, caller):
    return space_read_state_pb2.GetSpaceReadStateRequest(name=_read_state(world))


async def _update_read_state(world, caller):
    return space_read_state_pb2.UpdateSpaceReadStateRequest(
        space_read_state=space_read_state_pb2.SpaceReadState(name=_read_state(world),
                                                             last_read_time=timestamp_pb2.Timestamp(seconds=2)),
        update_mask=field_mask_pb2.FieldMask(paths=["last_read_time"]))


async def _thread_read_state(world, caller):
    thread = world.messages["manager"].thread.name  # spaces/S/threads/T
    return thread_read_state_pb2.GetThreadReadStateRequest(name=f"users/me/{thread}/threadReadState")


async def _other_read_state(world, caller):
    return space_read_state_pb2.GetSpaceReadStateRequest(
        name=f"users/{world.email('manager')}/{world.space.name}/spaceReadState")


def _setting(world) -> str:
    return f"users/me/{world.space.name}/spaceNotificationSetting"


async def _get_setting(world, caller):
    return space_notification_setting_pb2.GetSpaceNotificationSettingRequest(name=_setting(world))


async def _update_setting(world, caller):
    setting = space_notification_setting_pb2.SpaceNotificationSetting
    return space_notification_setting_pb2.UpdateSpaceNotificationSettingRequest(
        space_notification_setting=setting(name=_setting(world), mute_setting=setting.MuteSetting.MUTED),
        update_mask=field_mask_pb2.FieldMask(paths=["mute_setting"]))


def _availability(world) -> str:
    return f"users/{world.email('manager')}/availability"


async def _get_availability(world, caller):
    return availability_pb2.GetAvailabilityRequest(name=_availability(world))


async def _update_availability(world, caller):
    return availability_pb2.UpdateAvailabilityRequest(
        availability=availability_pb2.Availability(name=_availability(world),
                                                   custom_status=availability_pb2.CustomStatus(
                                                       text="busy", emoji=reaction_pb2.Emoji(unicode="📅"))),
        update_mask=field_mask_pb2.FieldMask(paths=["custom_status"]))


async def _emoji(world) -> reaction_pb2.CustomEmoji:
    emoji = await world.chat.CreateCustomEmoji(reaction_pb2.CreateCustomEmojiRequest(
        custom_emoji=reaction_pb2.CustomEmoji(emoji_name=f":m-{uuid.uuid4().hex[:10]}:", payload=_payload())),
        metadata=world.md("manager"))
    world.remember(emoji.name)
    return emoji


def _payload():
    return reaction_pb2.CustomEmoji.CustomEmojiPayload(file_content=png(), filename="emoji.png")


async def _create_emoji(world, caller):
    return reaction_pb2.CreateCustomEmojiRequest(custom_emoji=reaction_pb2.CustomEmoji(
        emoji_name=f":c-{uuid.uuid4().hex[:10]}:", payload=_payload()))


async def _get_emoji(world, caller):
    world.extra.setdefault("emoji", await _emoji(world))
    return reaction_pb2.GetCustomEmojiRequest(name=world.extra["emoji"].name)


async def _list_emojis(world, caller):
    world.extra.setdefault("emoji", await _emoji(world))
    return reaction_pb2.ListCustomEmojisRequest(page_size=200)


async def _delete_emoji(world, caller):
    return reaction_pb2.DeleteCustomEmojiRequest(name=(await _emoji(world)).name)


# --- effects ------------------------------------------------------------------------------------------------------
async def _sections_of(world, caller) -> list[str]:
    page = await world.chat.ListSections(section_pb2.ListSectionsRequest(parent="users/me", page_size=100),
                                         metadata=world.md(_who(caller)))
    return [s.name for s in page.sections]


async def _section_created(world, caller, request, response):
    return None if response.name in await _sections_of(world, caller) else "not among the caller's sections"


async def _sections_listed(world, caller, request, response):
    names = [s.name for s in response.sections]
    mine = world.extra["section"].name in names
    return None if mine == (caller == MANAGER) else f"the manager's section {'missing' if not mine else 'leaked'}"


async def _section_renamed(world, caller, request, response):
    return None if response.display_name == "Renamed" else f"display name {response.display_name!r}"


async def _section_gone(world, caller, request, response):
    ids = [n.split("/sections/")[1] for n in await _sections_of(world, MANAGER)]
    return "the section is still there" if request.name.split("/sections/")[1] in ids else None


async def _moved(world, caller, request, response):
    target = request.target_section.split("/sections/")[1]
    return None if f"/sections/{target}/items/" in response.section_item.name else f"moved to {response}"


async def _read_state_set(world, caller, request, response):
    return None if response.last_read_time.seconds >= 2 else f"last read {response.last_read_time}"


async def _muted(world, caller, request, response):
    return None if response.mute_setting == request.space_notification_setting.mute_setting else "not muted"


async def _emoji_listed(world, caller, request, response):
    return None if world.extra["emoji"].name in [e.name for e in response.custom_emojis] else "emoji not listed"


async def _emoji_gone(world, caller, request, response):
    try:
        await world.chat.GetCustomEmoji(reaction_pb2.GetCustomEmojiRequest(name=request.name),
                                        metadata=world.md("manager"))
    except Exception:  # noqa: BLE001  NOT_FOUND is the point
        return None
    return "the emoji is still there"


async def _availability_named(world, caller, request, response):
    return None if response.name.endswith("/availability") else f"got {response.name}"


async def _no_check(world, caller, request, response):
    return None


SCENARIOS = {
    "CreateSection": (_create_section, _section_created),
    "ListSections": (_list_sections, _sections_listed),
    "UpdateSection": (_update_section, _section_renamed),
    "DeleteSection": (_delete_section, _section_gone),
    "PositionSection": (_position_section, _no_check),
    "ListSectionItems": (_list_items, _no_check),
    "MoveSectionItem": (_move_item, _moved),
    "GetSpaceReadState": (_get_read_state, _no_check),
    "UpdateSpaceReadState": (_update_read_state, _read_state_set),
    "GetThreadReadState": (_thread_read_state, _no_check),
    "GetSpaceNotificationSetting": (_get_setting, _no_check),
    "UpdateSpaceNotificationSetting": (_update_setting, _muted),
    "GetAvailability": (_get_availability, _availability_named),
    "UpdateAvailability": (_update_availability, _availability_named),
    "MarkAsActive": (None, _availability_named),
    "MarkAsAway": (None, _availability_named),
    "MarkAsDoNotDisturb": (None, _availability_named),
    "CreateCustomEmoji": (_create_emoji, _no_check),
    "GetCustomEmoji": (_get_emoji, _no_check),
    "ListCustomEmojis": (_list_emojis, _emoji_listed),
    "DeleteCustomEmoji": (_delete_emoji, _emoji_gone),
}
MARKS = {"MarkAsActive": availability_pb2.MarkAsActiveRequest, "MarkAsAway": availability_pb2.MarkAsAwayRequest,
         "MarkAsDoNotDisturb": availability_pb2.MarkAsDoNotDisturbRequest}

# What a hidden MoveSectionItem hides is the target section (the member sees the space being moved).
def _the_manager(world, request) -> list[str]:
    return [world.email("manager").split("@")[0]]


VARY = {"MoveSectionItem": lambda world, request: [request.target_section.rsplit("/", 1)[1]],
        **{rpc: _the_manager for rpc, table in TABLE.items() if table is OWN_AVAILABILITY}}

NUANCES = {
    "DeleteSection": [Case(MEMBER, like_absent(denied("NOT_CALLING_USER")),
                           "the manager's section by the manager's email", build=_explicit_other, vary=_the_manager)],
    "GetSpaceReadState": [Case(MEMBER, CALLER_ONLY, "the manager's read state by the manager's email",
                               build=_other_read_state, vary=_the_manager)],
}


def _build_for(rpc):
    build, effect = SCENARIOS[rpc]
    if rpc in MARKS:
        async def build(world, caller, kind=MARKS[rpc]):
            ttl = {"ttl": duration_pb2.Duration(seconds=3600)} if rpc == "MarkAsDoNotDisturb" else {}  # required
            return kind(name=_availability(world), **ttl)
    return build, effect


async def _check(roles_server, rpc: str, transport: str = GRPC) -> None:
    build, effect = _build_for(rpc)
    cases = table_cases(applicable(rpc, TABLE[rpc]), vary=VARY.get(rpc)) + NUANCES.get(rpc, [])
    problems = await run(roles_server, rpc, build, cases, effect, make_world, transport)
    assert not problems, report(rpc, cases, problems)


@pytest.mark.parametrize("rpc", sorted(TABLE))
async def test_own_resource_roles(roles_server, rpc):
    await _check(roles_server, rpc)


@pytest.mark.parametrize("rpc", sorted(TABLE))
async def test_own_resource_roles_over_rest(roles_server, rpc):
    """The same row with the call under test sent over REST (tests/authz/rest_leg.py)."""
    await _check(roles_server, rpc, REST)


def test_every_chat_rpc_has_a_row():
    """The five modules' tables cover the 52 ChatService RPCs, each once."""
    from google.chat.v1 import chat_service_pb2

    from tests.authz import (
        test_membership_roles,
        test_message_roles,
        test_reaction_pin_event_roles,
        test_space_roles,
    )

    rows = [rpc for module in (test_space_roles, test_membership_roles, test_message_roles,
                               test_reaction_pin_event_roles) for rpc in module.TABLE] + list(TABLE)
    methods = chat_service_pb2.DESCRIPTOR.services_by_name["ChatService"].methods_by_name
    assert sorted(rows) == sorted(methods) and len(rows) == 52
