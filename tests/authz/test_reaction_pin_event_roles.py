"""Role matrix of reactions, message pins and space events: who may react, pin and read a space's history.

Google's documentation, in short: reactions and pins take user authentication; the members of a space react
to its messages and list the reactions; a reaction is deleted by the user who added it; pinning follows the
space's posting permission (an announcement space keeps it to managers); space events are read by members of
the space (humans, or Chat apps with app scopes). A non-member is told the space does not exist.
"""
from __future__ import annotations

import pytest
from google.chat.v1 import message_pin_pb2, reaction_pb2, space_event_pb2

from chatsvc.domain.events import EventType
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
    Case,
    applicable,
    denied,
    make_world,
    report,
    run,
    table_cases,
)

USERS = {OUTSIDER: HIDDEN, MEMBER: OK, MANAGER: OK, APP_MEMBER: APP_NOT_SUPPORTED, APP_OUTSIDER: APP_NOT_SUPPORTED,
         ADMIN_PLAIN: HIDDEN}
MEMBERS_AND_APPS = {OUTSIDER: HIDDEN, MEMBER: OK, MANAGER: OK, APP_MEMBER: OK, APP_OUTSIDER: HIDDEN,
                    ADMIN_PLAIN: HIDDEN}

# RPC -> caller -> outcome. HIDDEN: NOT_FOUND, identical to the answer for an absent space or resource.
TABLE = {
    "CreateReaction": USERS,  # on the manager's message
    "ListReactions": USERS,
    # A fresh reaction of the member: only its creator deletes it, a manager included.
    "DeleteReaction": USERS | {MANAGER: denied("NOT_REACTION_CREATOR")},
    "CreateMessagePin": USERS,  # a fresh message of the manager
    "ListMessagePins": USERS,
    "DeleteMessagePin": USERS,  # a fresh pin of the manager's
    "GetSpaceEvent": MEMBERS_AND_APPS,
    "ListSpaceEvents": MEMBERS_AND_APPS,
}

SMILE = reaction_pb2.Emoji(unicode="🙂")
EVENT_FILTER = " OR ".join(f'event_types:"{t.value}"' for t in (EventType.MESSAGE_CREATED,
                                                                 EventType.MEMBERSHIP_CREATED))


async def _react(world, md, message_name) -> reaction_pb2.Reaction:
    reaction = await world.chat.CreateReaction(reaction_pb2.CreateReactionRequest(
        parent=message_name, reaction=reaction_pb2.Reaction(emoji=reaction_pb2.Emoji(unicode="👍"))), metadata=md)
    world.remember(reaction.name)
    return reaction


async def _pin(world, message_name) -> message_pin_pb2.MessagePin:
    pin = await world.chat.CreateMessagePin(message_pin_pb2.CreateMessagePinRequest(
        parent=world.space.name, message_pin=message_pin_pb2.MessagePin(message=message_name)),
        metadata=world.md("manager"))
    world.remember(pin.name)
    return pin


async def _create_reaction(world, caller):
    return reaction_pb2.CreateReactionRequest(parent=world.messages["manager"].name,
                                              reaction=reaction_pb2.Reaction(emoji=SMILE))


async def _list_reactions(world, caller):
    await _react(world, world.md("member"), world.messages["manager"].name)
    return reaction_pb2.ListReactionsRequest(parent=world.messages["manager"].name, page_size=100)


async def _delete_reaction(world, caller):
    reaction = await _react(world, world.md("member"), (await world.post("manager")).name)
    return reaction_pb2.DeleteReactionRequest(name=reaction.name)


async def _create_pin(world, caller):
    message = await world.post("manager")
    return message_pin_pb2.CreateMessagePinRequest(parent=world.space.name,
                                                   message_pin=message_pin_pb2.MessagePin(message=message.name))


async def _list_pins(world, caller):
    if "pin" not in world.extra:
        world.extra["pin"] = await _pin(world, world.messages["manager"].name)
    return message_pin_pb2.ListMessagePinsRequest(parent=world.space.name, page_size=100)


async def _delete_pin(world, caller):
    return message_pin_pb2.DeleteMessagePinRequest(name=(await _pin(world, (await world.post("manager")).name)).name)


async def _announcement_pin(world, caller):
    space = await world.new_space(predefined_permission_settings=2)  # ANNOUNCEMENT_SPACE
    message = await world.post("manager", space_name=space.name)
    return message_pin_pb2.CreateMessagePinRequest(parent=space.name,
                                                   message_pin=message_pin_pb2.MessagePin(message=message.name))


async def _event_name(world) -> str:
    if "event" not in world.extra:
        page = await world.chat.ListSpaceEvents(space_event_pb2.ListSpaceEventsRequest(
            parent=world.space.name, filter=EVENT_FILTER, page_size=1), metadata=world.md("manager"))
        world.extra["event"] = page.space_events[0].name
        world.remember(world.extra["event"])
    return world.extra["event"]


async def _get_event(world, caller):
    return space_event_pb2.GetSpaceEventRequest(name=await _event_name(world))


async def _list_events(world, caller):
    return space_event_pb2.ListSpaceEventsRequest(parent=world.space.name, filter=EVENT_FILTER, page_size=100)


# --- effects ------------------------------------------------------------------------------------------------------
async def _reactions_of(world, message_name) -> list:
    page = await world.chat.ListReactions(reaction_pb2.ListReactionsRequest(parent=message_name, page_size=100),
                                          metadata=world.md("manager"))
    return list(page.reactions)


async def _reacted(world, caller, request, response):
    names = [r.name for r in await _reactions_of(world, request.parent)]
    return None if response.name in names else "the reaction is not listed"


async def _reactions_listed(world, caller, request, response):
    return None if response.reactions else "no reactions listed"


async def _reaction_gone(world, caller, request, response):
    message = request.name.split("/reactions/")[0]
    return "the reaction is still there" if any(r.name == request.name for r in await _reactions_of(world, message)) \
        else None


async def _pins(world) -> list[str]:
    page = await world.chat.ListMessagePins(message_pin_pb2.ListMessagePinsRequest(parent=world.space.name,
                                                                                   page_size=100),
                                            metadata=world.md("manager"))
    return [p.name for p in page.message_pins]


async def _pinned(world, caller, request, response):
    return None if response.name in await _pins(world) else "the pin is not listed"


async def _pins_listed(world, caller, request, response):
    return None if world.extra["pin"].name in [p.name for p in response.message_pins] else "the pin is not listed"


async def _unpinned(world, caller, request, response):
    return "the pin is still listed" if request.name in await _pins(world) else None


async def _event_got(world, caller, request, response):
    return None if response.name == request.name else f"got {response.name}"


async def _events_listed(world, caller, request, response):
    created = [e for e in response.space_events if e.event_type == EventType.MESSAGE_CREATED.value]
    return None if len(created) >= 3 else f"{len(created)} message events listed"


SCENARIOS = {
    "CreateReaction": (_create_reaction, _reacted),
    "ListReactions": (_list_reactions, _reactions_listed),
    "DeleteReaction": (_delete_reaction, _reaction_gone),
    "CreateMessagePin": (_create_pin, _pinned),
    "ListMessagePins": (_list_pins, _pins_listed),
    "DeleteMessagePin": (_delete_pin, _unpinned),
    "GetSpaceEvent": (_get_event, _event_got),
    "ListSpaceEvents": (_list_events, _events_listed),
}

NUANCES = {
    "CreateMessagePin": [
        Case(MEMBER, denied("PIN_MESSAGES_NOT_PERMITTED"), "announcement space", build=_announcement_pin),
        Case(MANAGER, OK, "announcement space", build=_announcement_pin, effect=lambda *a: _no_check()),
    ],
}


async def _no_check():
    return None


async def _check(roles_server, rpc: str, transport: str = GRPC) -> None:
    build, effect = SCENARIOS[rpc]
    cases = table_cases(applicable(rpc, TABLE[rpc])) + NUANCES.get(rpc, [])
    problems = await run(roles_server, rpc, build, cases, effect, make_world, transport)
    assert not problems, report(rpc, cases, problems)


@pytest.mark.parametrize("rpc", sorted(TABLE))
async def test_reaction_pin_event_roles(roles_server, rpc):
    await _check(roles_server, rpc)


@pytest.mark.parametrize("rpc", sorted(TABLE))
async def test_reaction_pin_event_roles_over_rest(roles_server, rpc):
    """The same row with the call under test sent over REST (tests/authz/rest_leg.py)."""
    await _check(roles_server, rpc, REST)
