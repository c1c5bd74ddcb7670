"""The world the fuzzer plays in: one server per backend, seeded over gRPC with one of everything (a space
with members, messages in a thread, a reaction, a pin, a section; a brand with members, lists, contacts and a
campaign; a mail credential), the pools of real resource names and page tokens the request strategies draw
from, the callers' tokens, and a canary space the fuzzer never learns the name of, used to prove that the
server still answers normal calls after a hostile run."""
from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass, field

import aiohttp
from aiohttp import web
from google.chat.v1 import (
    membership_pb2,
    message_pb2,
    message_pin_pb2,
    reaction_pb2,
    section_pb2,
    space_event_pb2,
    space_pb2,
    user_pb2,
)
from google.protobuf import json_format
from google.protobuf.message import Message

from chatsvc.apps.v1 import app_service_pb2, app_service_pb2_grpc, chat_app_pb2
from chatsvc.auth.scopes import (
    APP_RULES,
    CAMPAIGN_RULES,
    CHAT_RULES,
    CREDENTIAL_RULES,
    DIRECTORY_RULES,
    INTERACTION_RULES,
    LIVE_RULES,
    PEOPLE_RULES,
    WEBHOOK_RULES,
)
from chatsvc.credentials.v1 import credential_pb2, credential_service_pb2, credential_service_pb2_grpc
from tests.campaigns.support import create as create_campaign
from tests.conftest import Harness
from tests.directory.support import make_brand

OWNER = "fuzz-owner@example.com"  # the user who made everything seeded: the fuzzer's user caller
MEMBER = "fuzz-member@example.com"
ADMIN = "fuzz-admin@example.com"
APP = "fuzz-bot"
CANARY = "fuzz-canary@example.com"  # owns the canary space; never a fuzzing caller
SEEDED_APP = "fuzz-app"  # the registered Chat app, a member of the fuzz room (APP is an app identity only)
CARD = {"cardId": "fuzz", "card": {"sections": [{"widgets": [
    {"buttonList": {"buttons": [{"text": "Go", "onClick": {"action": {
        "function": "fuzzClick", "parameters": [{"key": "k", "value": "v"}]}}}]}},
    {"textInput": {"name": "city", "label": "City", "autoCompleteAction": {"function": "suggest"}}}]}]}}

RULES_BY_SERVICE = {
    "google.chat.v1.ChatService": CHAT_RULES,
    "chatsvc.credentials.v1.CredentialService": CREDENTIAL_RULES,
    "chatsvc.directory.v1.DirectoryService": DIRECTORY_RULES,
    "chatsvc.campaigns.v1.CampaignService": CAMPAIGN_RULES,
    "chatsvc.webhooks.v1.WebhookService": WEBHOOK_RULES,
    "chatsvc.apps.v1.AppService": APP_RULES,
    "chatsvc.interactions.v1.InteractionService": INTERACTION_RULES,
    "chatsvc.live.v1.LiveService": LIVE_RULES,
    "chatsvc.people.v1.PeopleService": PEOPLE_RULES,
}
_RESOURCE = re.compile(r"^[A-Za-z]+/[^\s]{1,300}$")
_POOL_LIMIT = 400  # names and tokens kept; enough variety without growing without end


@dataclass(repr=False)
class World:
    harness: Harness
    backend: str
    canary_space: str = ""
    # The pools the strategies draw from. They stay fixed while a test runs (hypothesis replays examples and
    # needs the same choices each time); what responses reveal waits in `_learned` until `absorb`.
    names: list[str] = field(default_factory=list)
    page_tokens: list[str] = field(default_factory=list)
    callers: dict[str, dict[str, tuple]] = field(default_factory=dict)  # service -> kind -> metadata
    room: str = ""  # the seeded space
    app_endpoint: str = ""  # the seeded app's HTTP endpoint (AppEndpoint)
    card_message: str = ""  # the seeded app's message with a card: an action to click, an input to autocomplete
    _learned: list[tuple[str, str]] = field(default_factory=list)

    def __repr__(self) -> str:
        return f"World({self.backend}, {len(self.names)} names, {len(self.page_tokens)} page tokens)"

    def learn(self, response: Message) -> None:
        """Notes the resource names and page tokens found anywhere in `response` (never the canary's: a
        fuzzed admin DeleteSpace must not be able to find it)."""
        for field_name, value in _strings(response):
            if self.canary_space and self.canary_space.split("/")[1] in value:
                continue
            if field_name == "next_page_token" and value:
                self._learned.append(("token", value))
            elif _RESOURCE.match(value):
                self._learned.append(("name", value))

    def absorb(self) -> None:
        """Moves what was learned into the pools; called between tests."""
        for kind, value in self._learned:
            _add(self.page_tokens if kind == "token" else self.names, value)
        self._learned.clear()

    def canary_md(self) -> tuple:
        return self.harness.md(user=CANARY, scopes=("chat.spaces",))


def _add(pool: list[str], value: str) -> None:
    if value not in pool and len(pool) < _POOL_LIMIT:
        pool.append(value)


def _strings(message: Message):
    for descriptor, value in message.ListFields():
        if descriptor.type == descriptor.TYPE_STRING:
            for item in (value if is_repeated(descriptor) else [value]):
                yield descriptor.name, item
        elif descriptor.type == descriptor.TYPE_MESSAGE:
            if descriptor.message_type.GetOptions().map_entry:
                items = [entry for entry in value.values() if isinstance(entry, Message)]
            else:
                items = value if is_repeated(descriptor) else [value]
            for item in items:
                yield from _strings(item)


def is_repeated(field) -> bool:
    """Whether a field descriptor is repeated (newer protobuf says so directly; older ones by its label)."""
    return field.is_repeated if hasattr(field, "is_repeated") else field.label == field.LABEL_REPEATED


def _all_scopes(rules) -> list[str]:
    return sorted({scope for rule in rules.values() for scope in rule.scopes})


class AppEndpoint:
    """The seeded app's HTTP endpoint on 127.0.0.1: answers every event `{}` (nothing to do), so a fuzzed
    interaction that passes validation is delivered and recorded, without leaving the machine."""

    def __init__(self):
        self.runner: web.AppRunner | None = None
        self.url = ""

    async def start(self) -> AppEndpoint:
        app = web.Application()
        app.router.add_post("/", _nothing_to_do)
        self.runner = web.AppRunner(app)
        await self.runner.setup()
        await web.TCPSite(self.runner, "127.0.0.1", 0).start()
        self.url = f"http://127.0.0.1:{self.runner.addresses[0][1]}/"
        return self

    async def stop(self) -> None:
        await self.runner.cleanup()


async def _nothing_to_do(_request: web.Request) -> web.Response:
    return web.json_response({})


async def seed(harness: Harness, backend: str, app_endpoint: str) -> World:
    """Seeds one of everything through the public API and returns the world around it."""
    world = World(harness, backend, app_endpoint=app_endpoint)
    for service, rules in RULES_BY_SERVICE.items():
        scopes = _all_scopes(rules)
        world.callers[service] = {
            "user": harness.md(user=OWNER, scopes=scopes),
            "admin": harness.md(user=ADMIN, scopes=scopes, admin=True),
            "app": harness.md(app=APP, scopes=[*scopes, "chat.bot"]),
        }
    await _seed_chat(world)
    await _seed_directory_and_campaign(world)
    await _seed_credential(world)
    await _seed_app(world)
    canary = await harness.chat.CreateSpace(space_pb2.CreateSpaceRequest(space=space_pb2.Space(
        space_type=space_pb2.Space.SpaceType.SPACE, display_name="Canary")), metadata=world.canary_md())
    world.canary_space = canary.name
    world.absorb()  # the seeded names first: templates take the first name of each kind
    for base in ("users/me", f"users/{OWNER}", f"users/{MEMBER}", "spaces/-", "brands/-", "users/-"):
        _add(world.names, base)
    world.absorb()
    return world


async def _seed_chat(world: World) -> None:
    chat, owner = world.harness.chat, world.callers["google.chat.v1.ChatService"]["user"]
    space = await chat.CreateSpace(space_pb2.CreateSpaceRequest(space=space_pb2.Space(
        space_type=space_pb2.Space.SpaceType.SPACE, display_name="Fuzz room")), metadata=owner)
    world.room = space.name
    world.learn(space)
    world.learn(await chat.CreateMembership(membership_pb2.CreateMembershipRequest(
        parent=space.name, membership=membership_pb2.Membership(member={"name": f"users/{MEMBER}"})),
        metadata=owner))
    first = await chat.CreateMessage(message_pb2.CreateMessageRequest(
        parent=space.name, message=message_pb2.Message(text="hello *fuzz* https://example.com"),
        message_id="client-fuzz-1"), metadata=owner)
    world.learn(first)
    world.learn(await chat.CreateMessage(message_pb2.CreateMessageRequest(
        parent=space.name, message=message_pb2.Message(text="a reply", thread=first.thread),
        message_reply_option=message_pb2.CreateMessageRequest.REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD),
        metadata=owner))
    world.learn(await chat.CreateReaction(reaction_pb2.CreateReactionRequest(
        parent=first.name, reaction=reaction_pb2.Reaction(emoji=reaction_pb2.Emoji(unicode="🙂"))), metadata=owner))
    world.learn(await chat.CreateMessagePin(message_pin_pb2.CreateMessagePinRequest(
        parent=space.name, message_pin=message_pin_pb2.MessagePin(message=first.name)), metadata=owner))
    world.learn(await chat.CreateSection(section_pb2.CreateSectionRequest(
        parent="users/me", section=section_pb2.Section(display_name="Fuzz", type=section_pb2.Section.CUSTOM_SECTION)),
        metadata=owner))
    world.learn(await chat.ListSpaceEvents(space_event_pb2.ListSpaceEventsRequest(
        parent=space.name, filter='event_types:"google.workspace.chat.message.v1.created"'), metadata=owner))
    # A page of two, so the pool has a real page token to mutate.
    world.learn(await chat.ListMessages(message_pb2.ListMessagesRequest(parent=space.name, page_size=1),
                                        metadata=owner))


async def _seed_directory_and_campaign(world: World) -> None:
    made = await make_brand(world.harness, OWNER, members=[MEMBER], lists=["Buyers"],
                            contacts=[{"emails": ["c1@example.com"], "tags": ["vip"], "lists": ["Buyers"]},
                                      {"emails": ["c2@example.com"]}])
    world.learn(made.members[OWNER])
    for proto in [*made.members.values(), *made.lists.values(), *made.contacts]:
        world.learn(proto)
    _add(world.names, made.name)
    world.learn(await create_campaign(world.harness, made.name, OWNER))


async def _seed_credential(world: World) -> None:
    """A Google credential of the owner, through the fake provider's consent flow."""
    stub = credential_service_pb2_grpc.CredentialServiceStub(world.harness.channel)
    owner = world.callers["chatsvc.credentials.v1.CredentialService"]["user"]
    response = await stub.RequestAccess(credential_service_pb2.RequestAccessRequest(
        parent="users/me", provider=credential_pb2.PROVIDER_GOOGLE, scopes=["contacts", "gmail.readonly"],
        redirect="http://localhost:3078/dashboard/contacts/", brand="brand-1"), metadata=owner)
    async with aiohttp.ClientSession() as session, session.get(response.url, allow_redirects=False) as answer:
        location = answer.headers["Location"]
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(location).query))
    world.learn(await stub.VerifyGrant(credential_service_pb2.VerifyGrantRequest(
        parent="users/me", state=query["state"], code=query.get("code", "")), metadata=owner))


async def _seed_app(world: World) -> None:
    """A Chat app the owner registered, with a slash and a quick command and a link-preview pattern, a member of
    the fuzz room, where it posted a card (a button, an input with autocomplete) for interactions to act on."""
    stub = app_service_pb2_grpc.AppServiceStub(world.harness.channel)
    world.learn(await stub.CreateApp(app_service_pb2.CreateAppRequest(app_id=SEEDED_APP, app=chat_app_pb2.ChatApp(
        endpoint_url=world.app_endpoint,
        commands=[chat_app_pb2.AppCommand(command_id=1, name="/fuzz"),
                  chat_app_pb2.AppCommand(command_id=2, name="Fuzz now",
                                          command_type=chat_app_pb2.AppCommand.QUICK_COMMAND)],
        link_preview_patterns=[chat_app_pb2.LinkPreviewPattern(host_pattern="*.example.com")])),
        metadata=world.callers["chatsvc.apps.v1.AppService"]["user"]))
    chat, room = world.harness.chat, world.room
    app_member = membership_pb2.Membership(member=user_pb2.User(name="users/app", type=user_pb2.User.Type.BOT))
    await chat.CreateMembership(membership_pb2.CreateMembershipRequest(parent=room, membership=app_member),
                                metadata=world.harness.md(user=OWNER, app=SEEDED_APP, scopes=("chat.memberships.app",)))
    card = await chat.CreateMessage(message_pb2.CreateMessageRequest(parent=room, message=json_format.ParseDict(
        {"text": "a card", "cardsV2": [CARD]}, message_pb2.Message())),
        metadata=world.harness.md(app=SEEDED_APP, scopes=("chat.bot",)))
    world.card_message = card.name
    world.learn(card)
