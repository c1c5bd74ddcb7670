"""Differential: the same request over gRPC and over REST (tests/http/rest_calls.py, a real socket, built from
the method's google.api.http binding) from the same caller against one server must answer alike, field for
field.

- Reads (Get / List / Search / Find, on one seeded world, one call right after the other): the two responses
  must be equal, page tokens included; a page token of either surface opens the same next page on the other.
- Writes: twin resources, one changed over gRPC and its twin over REST by the same request. The responses must
  be equal once what must differ is set aside: the ids inside resource names of the two twins (paired up by
  position, one to one), times, and generated values (uid, upload tokens, signed image URLs).
- Errors: the same refused request over both: same canonical code, message and details (ErrorInfo reason,
  domain, metadata; BadRequest), and over REST the HTTP status Google's mapping gives the code.

ChatService: every RPC the lifecycle tests cover; the own services: a few calls of each. One seeded server per
backend for the module.
"""
from __future__ import annotations

import json
import re
import time
import urllib.parse
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

import aiohttp
import grpc
import pytest
from google.apps.card.v1 import card_pb2
from google.chat.v1 import (
    attachment_pb2,
    availability_pb2,
    membership_pb2,
    message_pb2,
    message_pin_pb2,
    reaction_pb2,
    section_pb2,
    space_event_pb2,
    space_notification_setting_pb2,
    space_pb2,
    space_read_state_pb2,
    space_setup_pb2,
    thread_read_state_pb2,
    user_pb2,
)
from google.protobuf import duration_pb2, field_mask_pb2, json_format, message_factory, timestamp_pb2
from google.protobuf.message import Message

from chatsvc.auth.scopes import CAMPAIGN_RULES, CHAT_RULES, CREDENTIAL_RULES, DIRECTORY_RULES
from chatsvc.campaigns.v1 import campaign_service_pb2 as campaigns
from chatsvc.credentials.v1 import credential_pb2, credential_service_pb2_grpc
from chatsvc.credentials.v1 import credential_service_pb2 as credentials
from chatsvc.directory.v1 import directory_pb2
from chatsvc.directory.v1 import directory_service_pb2 as directory
from tests.api.media_support import png, upload_token, with_tokens
from tests.campaigns.support import create as create_campaign
from tests.campaigns.support import draft
from tests.conftest import BACKENDS, fresh_database_url, serving
from tests.credentials.fake_provider import FakeProvider
from tests.directory.support import make_brand
from tests.helpers import rpc_error_details
from tests.http.rest_calls import GOOGLE_HTTP, RestClient, RestError, method_of, rules_of

CHAT = "google.chat.v1.ChatService"
DIRECTORY = "chatsvc.directory.v1.DirectoryService"
CAMPAIGNS = "chatsvc.campaigns.v1.CampaignService"
CREDENTIALS = "chatsvc.credentials.v1.CredentialService"
ALICE, BOB, CAROL, ADMIN = "diff-alice@example.com", "diff-bob@example.com", "diff-carol@example.com", \
    "diff-admin@example.com"
APP = "diff-bot"
Reply = message_pb2.CreateMessageRequest.MessageReplyOption
SPACE = space_pb2.Space.SpaceType.SPACE
FAR = timestamp_pb2.Timestamp(seconds=4102444800)  # 2100-01-01


def _scopes(rules, kind: str) -> list[str]:
    wanted = {"user": lambda s: not s.startswith(("chat.bot", "chat.app.", "chat.admin.")),
              "app": lambda s: s == "chat.bot" or s.startswith("chat.app."),
              "admin": lambda s: True}[kind]
    return sorted({s for rule in rules.values() for s in rule.scopes if wanted(s)})


USER_SCOPES = [*_scopes(CHAT_RULES, "user"), *_scopes(DIRECTORY_RULES, "user"), *_scopes(CAMPAIGN_RULES, "user"),
               *_scopes(CREDENTIAL_RULES, "user")]


# --- the world ----------------------------------------------------------------------------------------------------
@dataclass(repr=False)
class World:
    harness: object
    rest: RestClient
    backend: str
    n: dict = field(default_factory=dict)  # seeded resource names

    def md(self, email: str = ALICE, **kwargs) -> tuple:
        kwargs.setdefault("scopes", USER_SCOPES)
        return self.harness.md(user=email, **kwargs)

    def app_md(self, *scopes: str) -> tuple:
        return self.harness.md(app=APP, scopes=scopes or ("chat.bot",))

    def admin_md(self) -> tuple:
        return self.harness.md(user=ADMIN, scopes=_scopes(CHAT_RULES, "admin"), admin=True)

    @property
    def chat(self):
        return self.harness.chat

    async def space(self, display_name: str | None = None, *, members=(BOB,), **fields) -> space_pb2.Space:
        """A fresh space of alice's with `members` in it."""
        space = await self.chat.CreateSpace(space_pb2.CreateSpaceRequest(space=space_pb2.Space(
            space_type=SPACE, display_name=display_name or f"Diff {uuid.uuid4().hex[:10]}", **fields)),
            metadata=self.md())
        for email in members:
            await self.add(space.name, email)
        return space

    async def add(self, space_name: str, email: str) -> membership_pb2.Membership:
        return await self.chat.CreateMembership(membership_pb2.CreateMembershipRequest(
            parent=space_name, membership=membership_pb2.Membership(member=user_pb2.User(name=f"users/{email}"))),
            metadata=self.md())

    async def post(self, space_name: str, text: str = "hello", md=None, **request) -> message_pb2.Message:
        message = request.pop("message", None) or message_pb2.Message(text=text)
        return await self.chat.CreateMessage(message_pb2.CreateMessageRequest(
            parent=space_name, message=message, **request), metadata=md or self.md())


async def _seed(world: World) -> None:
    chat, alice, bob = world.chat, world.md(), world.md(BOB)
    n = world.n
    space = await world.space("Differential room", members=(BOB, CAROL),
                              space_details=space_pb2.Space.SpaceDetails(description="where both surfaces meet"))
    n["space"] = space.name
    n["app_membership"] = (await chat.CreateMembership(membership_pb2.CreateMembershipRequest(
        parent=space.name, membership=membership_pb2.Membership(member=user_pb2.User(name="users/app"))),
        metadata=world.harness.md(user=ALICE, app=APP, scopes=("chat.memberships.app",)))).name
    bob_membership = await chat.GetMembership(membership_pb2.GetMembershipRequest(
        name=f"{space.name}/members/{BOB}"), metadata=alice)
    n["bob_membership"], n["bob_id"] = bob_membership.name, bob_membership.member.name
    first = await world.post(space.name, "hello *diff* https://example.com", thread_key="diff-thread",
                             message_reply_option=Reply.REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD,
                             message_id="client-diff-1")
    n["message"], n["thread"] = first.name, first.thread.name
    reply = await world.post(space.name, "a reply", md=bob, message=message_pb2.Message(
        text="a reply", thread=message_pb2.Thread(name=first.thread.name)),
        message_reply_option=Reply.REPLY_MESSAGE_OR_FAIL)
    n["reply"] = reply.name
    n["mention"] = (await world.post(space.name, f"hey <{n['bob_id']}> look")).name
    n["bot_message"] = (await world.post(space.name, "from the bot", md=world.app_md())).name
    token = await upload_token(world.harness, alice, space.name, b"differential bytes", "diff.txt")
    attached = await world.post(space.name, md=alice, message=with_tokens(token, text="with a file"))
    n["attached"], n["attachment"] = attached.name, attached.attachment[0].name
    emoji = await chat.CreateCustomEmoji(reaction_pb2.CreateCustomEmojiRequest(custom_emoji=reaction_pb2.CustomEmoji(
        emoji_name=":diff-party:", payload=reaction_pb2.CustomEmoji.CustomEmojiPayload(
            file_content=png(64), filename="party.png"))), metadata=alice)
    n["emoji"] = emoji.name
    for md, emoji_value in ((bob, reaction_pb2.Emoji(unicode="🙂")), (alice, reaction_pb2.Emoji(unicode="🎉")),
                            (alice, reaction_pb2.Emoji(custom_emoji=reaction_pb2.CustomEmoji(uid=emoji.uid)))):
        reaction = await chat.CreateReaction(reaction_pb2.CreateReactionRequest(
            parent=first.name, reaction=reaction_pb2.Reaction(emoji=emoji_value)), metadata=md)
        n.setdefault("reaction", reaction.name)
    n["pin"] = (await chat.CreateMessagePin(message_pin_pb2.CreateMessagePinRequest(
        parent=space.name, message_pin=message_pin_pb2.MessagePin(message=first.name)), metadata=alice)).name
    await chat.UpdateSpaceReadState(space_read_state_pb2.UpdateSpaceReadStateRequest(
        space_read_state=space_read_state_pb2.SpaceReadState(name=f"users/me/{space.name}/spaceReadState",
                                                             last_read_time=FAR),
        update_mask=field_mask_pb2.FieldMask(paths=["last_read_time"])), metadata=alice)
    await chat.UpdateSpaceNotificationSetting(space_notification_setting_pb2.UpdateSpaceNotificationSettingRequest(
        space_notification_setting=space_notification_setting_pb2.SpaceNotificationSetting(
            name=f"users/me/{space.name}/spaceNotificationSetting",
            mute_setting=space_notification_setting_pb2.SpaceNotificationSetting.MuteSetting.MUTED),
        update_mask=field_mask_pb2.FieldMask(paths=["mute_setting"])), metadata=alice)
    await chat.UpdateAvailability(availability_pb2.UpdateAvailabilityRequest(
        availability=availability_pb2.Availability(name="users/me/availability", custom_status=(
            availability_pb2.CustomStatus(text="Differential testing", emoji=reaction_pb2.Emoji(unicode="🔬"),
                                          expire_time=FAR))),
        update_mask=field_mask_pb2.FieldMask(paths=["custom_status"])), metadata=alice)
    section = await chat.CreateSection(section_pb2.CreateSectionRequest(parent="users/me", section=section_pb2.Section(
        display_name="Diff", type=section_pb2.Section.SectionType.CUSTOM_SECTION)), metadata=alice)
    n["section"] = section.name
    items = await chat.ListSectionItems(section_pb2.ListSectionItemsRequest(
        parent="users/me/sections/default-spaces", filter=f'space = "{space.name}"'), metadata=alice)
    await chat.MoveSectionItem(section_pb2.MoveSectionItemRequest(name=items.section_items[0].name,
                                                                  target_section=section.name), metadata=alice)
    n["dm"] = (await chat.SetUpSpace(space_setup_pb2.SetUpSpaceRequest(
        space=space_pb2.Space(space_type=space_pb2.Space.SpaceType.DIRECT_MESSAGE),
        memberships=[membership_pb2.Membership(member=user_pb2.User(name=f"users/{BOB}"))]), metadata=alice)).name
    n["group"] = (await chat.SetUpSpace(space_setup_pb2.SetUpSpaceRequest(
        space=space_pb2.Space(space_type=space_pb2.Space.SpaceType.GROUP_CHAT),
        memberships=[membership_pb2.Membership(member=user_pb2.User(name=f"users/{who}")) for who in (BOB, CAROL)]),
        metadata=alice)).name
    await world.space("Differential second")
    events = await chat.ListSpaceEvents(space_event_pb2.ListSpaceEventsRequest(
        parent=space.name, filter='event_types:"google.workspace.chat.message.v1.created"'), metadata=alice)
    n["event"] = events.space_events[0].name
    await _seed_own_services(world)


async def _seed_own_services(world: World) -> None:
    brand = await make_brand(world.harness, ALICE, members=[BOB], lists=["Buyers"],
                             contacts=[{"display_name": "Bo", "emails": ["bo@example.net"], "tags": ["vip"],
                                        "lists": ["Buyers"]}, {"emails": ["cy@example.net"]}])
    world.n.update(brand=brand.name, contact=brand.contacts[0].name, list=brand.lists["Buyers"].name,
                   brand_member=brand.members[BOB].name)
    world.n["campaign"] = (await create_campaign(world.harness, brand.name, ALICE, subject="Differential")).name
    stub = credential_service_pb2_grpc.CredentialServiceStub(world.harness.channel)
    answer = await stub.RequestAccess(credentials.RequestAccessRequest(
        parent="users/me", provider=credential_pb2.PROVIDER_GOOGLE, scopes=["contacts", "gmail.readonly", "calendar"],
        redirect="http://localhost:3078/dashboard/contacts/", brand="diff"), metadata=world.md())
    async with aiohttp.ClientSession() as session, session.get(answer.url, allow_redirects=False) as redirect:
        query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(redirect.headers["Location"]).query))
    credential = await stub.VerifyGrant(credentials.VerifyGrantRequest(
        parent="users/me", state=query["state"], code=query.get("code", "")), metadata=world.md())
    world.n["credential"] = credential.name


@pytest.fixture(scope="module", params=BACKENDS)
async def world(request, tmp_path_factory):
    provider = await FakeProvider().start()
    providers = {"google": provider.endpoints("google"), "microsoft": provider.endpoints("microsoft")}
    try:
        async with (fresh_database_url(request.param, tmp_path_factory.mktemp("differential")) as url,
                    serving(url, providers=providers, scheduler_enabled=False) as harness,
                    RestClient(harness.media_url) as rest):
            made = World(harness, rest, request.param)
            await _seed(made)
            yield made
    finally:
        await provider.stop()


# --- calling both surfaces ----------------------------------------------------------------------------------------
@dataclass
class Outcome:
    response: Message | None = None
    error: Exception | None = None  # grpc.aio.AioRpcError or RestError

    def __str__(self) -> str:
        if self.error is None:
            return f"OK {_text(self.response)[:2000]}"
        return f"{self.error.code().name} {self.error.details()!r}"


def _full(service: str, rpc: str) -> str:
    return f"/{service}/{rpc}"


async def over_grpc(world: World, service: str, rpc: str, request: Message, md) -> Outcome:
    method = method_of(_full(service, rpc))
    response_class = message_factory.GetMessageClass(method.output_type)
    call = world.harness.channel.unary_unary(_full(service, rpc), request_serializer=type(request).SerializeToString,
                                             response_deserializer=response_class.FromString)
    try:
        return Outcome(await call(request, metadata=md, timeout=30))
    except grpc.aio.AioRpcError as error:
        return Outcome(error=error)


async def over_rest(world: World, service: str, rpc: str, request: Message, md, binding: str = "",
                    params=()) -> Outcome:
    """`binding`: the HTTP method of an additional binding to use instead of the primary one; `params`: system
    parameters to add to the query."""
    rule = next(r for r in rules_of(method_of(_full(service, rpc))) if r.http_method == binding) if binding else None
    try:
        return Outcome(await world.rest.call(_full(service, rpc), request, metadata=md, rule=rule, params=params))
    except RestError as error:
        return Outcome(error=error)


def _text(message: Message) -> str:
    return json.dumps(json_format.MessageToDict(message), indent=1, ensure_ascii=False, sort_keys=True)


def error_shape(error) -> dict:
    """What must agree between a gRPC error and a REST one: code, message, and every detail."""
    details = rpc_error_details(error)
    return {"code": error.code().name, "message": error.details(),
            "details": {kind: json_format.MessageToDict(message) for kind, message in sorted(details.items())}}


def assert_same_error(over: Outcome, rest: Outcome) -> None:
    assert over.error is not None and rest.error is not None, f"gRPC: {over}\nREST: {rest}"
    assert error_shape(rest.error) == error_shape(over.error), f"gRPC: {over}\nREST: {rest}"
    assert rest.error.http_status == GOOGLE_HTTP[rest.error.code()], (
        f"HTTP {rest.error.http_status} for {rest.error.code().name}, Google maps it to "
        f"{GOOGLE_HTTP[rest.error.code()]}")


def assert_alike(over: Outcome, rest: Outcome, *, own_page_tokens: bool = False) -> None:
    """Both succeeded with equal responses, or both failed alike. `own_page_tokens`: the page tokens may differ
    (a token that records the time of the listing), as long as both or neither have one."""
    if over.error is not None or rest.error is not None:
        assert_same_error(over, rest)
        return
    a, b = over.response, rest.response
    if own_page_tokens and a.next_page_token and b.next_page_token:
        a, b = type(a)(), type(b)()
        a.CopyFrom(over.response)
        b.CopyFrom(rest.response)
        a.next_page_token = b.next_page_token = "<own>"
    assert _text(b) == _text(a)
    assert b == a


# --- system parameters: the same answer in another form --------------------------------------------------------
def _kept(message: Message, *json_names: str) -> Message:
    """`message` with only the top-level fields named (what `fields=` keeps)."""
    document = json_format.MessageToDict(message)
    return json_format.ParseDict({k: v for k, v in document.items() if k in json_names}, type(message)())


SYSTEM_PARAMETERS = {  # case -> (query parameters, what the gRPC answer must be reduced to, the caller's header)
    "enum-encoding=int": ([("alt", "json;enum-encoding=int")], None, True),
    "$alt=json, prettyPrint=false": ([("$alt", "json"), ("prettyPrint", "false")], None, True),
    "alt=proto": ([("alt", "proto")], None, True),
    "$.xgafv=2, quotaUser, key": ([("$.xgafv", "2"), ("quotaUser", "q"), ("key", "k")], None, True),
    "fields=name,displayName,spaceType": ([("fields", "name,displayName,spaceType")],
                                          ("name", "displayName", "spaceType"), True),
    "access_token instead of a header": ([], None, False),
}


@pytest.mark.parametrize("case", list(SYSTEM_PARAMETERS))
async def test_system_parameters_change_the_form_not_the_answer(world, case):
    params, kept, header = SYSTEM_PARAMETERS[case]
    request, md = S.GetSpaceRequest(name=world.n["space"]), world.md()
    over = await over_grpc(world, CHAT, "GetSpace", request, md)
    if not header:
        params = [("access_token", dict(md)["authorization"].split(" ", 1)[1])]
    rest = await over_rest(world, CHAT, "GetSpace", request, md if header else (), params=params)
    assert over.error is None and rest.error is None, f"gRPC: {over}\nREST: {rest}"
    expected = _kept(over.response, *kept) if kept else over.response
    assert _text(rest.response) == _text(expected)


# --- masking what twins may differ in ---------------------------------------------------------------------------
TIME_KEYS = {"createTime", "updateTime", "lastUpdateTime", "deleteTime", "lastActiveTime", "eventTime",
             "expireTime", "lastReadTime", "importModeExpireTime", "dueTime", "sendTime", "enableTime",
             "expirationTime", "startTime", "endTime"}
GENERATED_KEYS = {"uid", "attachmentUploadToken", "temporaryImageUri", "downloadUri", "thumbnailUri"}
_NAME = re.compile(r"^[A-Za-z]+/[^/\s]+(/[A-Za-z]+/[^/\s]+)*(/[A-Za-z]+)?$")
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def _pair_ids(a, b, pairs: dict[str, str]) -> None:
    """Pairs up the ids inside resource names found at the same place in `a` and `b`."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in a.keys() & b.keys():
            _pair_ids(a[key], b[key], pairs)
    elif isinstance(a, list) and isinstance(b, list):
        for x, y in zip(a, b, strict=False):
            _pair_ids(x, y, pairs)
    elif isinstance(a, str) and isinstance(b, str) and _UUID.match(a) and _UUID.match(b):
        if a != b:
            assert pairs.setdefault(a, b) == b, f"id {a} pairs with both {pairs[a]} and {b}"
    elif isinstance(a, str) and isinstance(b, str) and _NAME.match(a) and _NAME.match(b):
        x, y = a.split("/"), b.split("/")
        if len(x) == len(y) and x[::2] == y[::2]:
            for p, q in zip(x[1::2], y[1::2], strict=True):
                if p != q:
                    assert pairs.setdefault(p, q) == q, f"id {p} pairs with both {pairs[p]} and {q}"


def _renamed(value, pairs: dict[str, str]):
    if isinstance(value, dict):
        return {k: ("<time>" if k in TIME_KEYS else "<generated>" if k in GENERATED_KEYS else _renamed(v, pairs))
                for k, v in value.items()}
    if isinstance(value, list):
        return [_renamed(v, pairs) for v in value]
    if isinstance(value, str) and _NAME.match(value):
        parts = value.split("/")
        return "/".join(pairs.get(p, p) if i % 2 else p for i, p in enumerate(parts))
    if isinstance(value, str):  # an id inside other text (a space's URL): long ids only, never a short number
        for old, new in pairs.items():
            if len(old) >= 8:
                value = value.replace(old, new)
    return value


def assert_twins_alike(over: Outcome, rest: Outcome, swaps: tuple[tuple[str, str], ...] = ()) -> None:
    """gRPC's answer about twin A and REST's about twin B are equal, ids of the twins and times aside."""
    if over.error is not None or rest.error is not None:
        assert over.error is not None and rest.error is not None, f"gRPC: {over}\nREST: {rest}"
        a, b = error_shape(over.error), error_shape(rest.error)
        if isinstance(rest.error, RestError):
            assert rest.error.http_status == GOOGLE_HTTP[rest.error.code()]
    else:
        a, b = json_format.MessageToDict(over.response), json_format.MessageToDict(rest.response)
    text = json.dumps(a, ensure_ascii=False)
    for old, new in swaps:
        text = text.replace(old, new)
    a = json.loads(text)
    pairs: dict[str, str] = {}
    _pair_ids(a, b, pairs)
    assert not set(pairs) & set(pairs.values()), f"twins share ids: {pairs}"
    assert len(set(pairs.values())) == len(pairs), f"two ids of A pair with one of B: {pairs}"
    masked_a, masked_b = _renamed(a, pairs), _renamed(b, {})
    assert json.dumps(masked_b, indent=1, ensure_ascii=False, sort_keys=True) == \
        json.dumps(masked_a, indent=1, ensure_ascii=False, sort_keys=True)


# --- reads: exact equality ----------------------------------------------------------------------------------------
Read = Callable[[World], tuple[str, str, Message, tuple]]  # world -> (service, rpc, request, metadata)


def chat(rpc: str, build: Callable[[World], Message], who: Callable[[World], tuple] = lambda w: w.md()) -> Read:
    return lambda w: (CHAT, rpc, build(w), who(w))


def own(service: str, rpc: str, build: Callable[[World], Message]) -> Read:
    return lambda w: (service, rpc, build(w), w.md())


def _day_ago() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 86400))


M, S, R = message_pb2, space_pb2, reaction_pb2
READS: dict[str, Read] = {
    "GetSpace": chat("GetSpace", lambda w: S.GetSpaceRequest(name=w.n["space"])),
    "GetSpace as app": chat("GetSpace", lambda w: S.GetSpaceRequest(name=w.n["space"]), lambda w: w.app_md()),
    "GetSpace as admin": chat("GetSpace", lambda w: S.GetSpaceRequest(name=w.n["space"], use_admin_access=True),
                              lambda w: w.admin_md()),
    "GetSpace of a DM": chat("GetSpace", lambda w: S.GetSpaceRequest(name=w.n["dm"])),
    "ListSpaces": chat("ListSpaces", lambda w: S.ListSpacesRequest(page_size=100)),
    "ListSpaces filtered, paged": chat("ListSpaces", lambda w: S.ListSpacesRequest(
        page_size=1, filter='space_type = "SPACE" OR space_type = "GROUP_CHAT"')),
    "SearchSpaces": chat("SearchSpaces", lambda w: S.SearchSpacesRequest(
        use_admin_access=True, page_size=10, order_by="create_time desc",
        query='customer = "customers/my_customer" AND space_type = "SPACE" AND display_name:"Differential"'),
        lambda w: w.admin_md()),
    "FindDirectMessage": chat("FindDirectMessage", lambda w: S.FindDirectMessageRequest(name=f"users/{BOB}")),
    "FindGroupChats": chat("FindGroupChats", lambda w: S.FindGroupChatsRequest(
        users=[f"users/{BOB}", f"users/{CAROL}"], page_size=10)),
    "GetMembership": chat("GetMembership", lambda w: membership_pb2.GetMembershipRequest(
        name=f"{w.n['space']}/members/{BOB}")),
    "GetMembership of the app": chat("GetMembership", lambda w: membership_pb2.GetMembershipRequest(
        name=w.n["app_membership"])),
    "ListMemberships": chat("ListMemberships", lambda w: membership_pb2.ListMembershipsRequest(
        parent=w.n["space"], page_size=2)),
    "ListMemberships filtered": chat("ListMemberships", lambda w: membership_pb2.ListMembershipsRequest(
        parent=w.n["space"], filter='member.type = "HUMAN" AND role = "ROLE_MEMBER"', show_invited=True,
        show_groups=True)),
    "GetMessage": chat("GetMessage", lambda w: M.GetMessageRequest(name=w.n["message"])),
    "GetMessage by its client id": chat("GetMessage", lambda w: M.GetMessageRequest(
        name=f"{w.n['space']}/messages/client-diff-1")),
    "GetMessage with a mention": chat("GetMessage", lambda w: M.GetMessageRequest(name=w.n["mention"])),
    "GetMessage with an attachment": chat("GetMessage", lambda w: M.GetMessageRequest(name=w.n["attached"])),
    "GetMessage as app": chat("GetMessage", lambda w: M.GetMessageRequest(name=w.n["bot_message"]),
                              lambda w: w.app_md()),
    "ListMessages": chat("ListMessages", lambda w: M.ListMessagesRequest(parent=w.n["space"], page_size=100)),
    "ListMessages of a thread, newest first, paged": chat("ListMessages", lambda w: M.ListMessagesRequest(
        parent=w.n["space"], page_size=1, order_by="create_time desc", show_deleted=True,
        filter=f'create_time > "2020-01-01T00:00:00Z" AND thread.name = {w.n["thread"]}')),
    "ListReactions": chat("ListReactions", lambda w: R.ListReactionsRequest(parent=w.n["message"], page_size=2)),
    "ListReactions filtered": chat("ListReactions", lambda w: R.ListReactionsRequest(
        parent=w.n["message"], filter='emoji.unicode = "🙂" OR emoji.unicode = "🎉"')),
    "ListMessagePins": chat("ListMessagePins", lambda w: message_pin_pb2.ListMessagePinsRequest(
        parent=w.n["space"])),
    "GetCustomEmoji": chat("GetCustomEmoji", lambda w: R.GetCustomEmojiRequest(name=w.n["emoji"])),
    "GetCustomEmoji by its :name:": chat("GetCustomEmoji", lambda w: R.GetCustomEmojiRequest(
        name="customEmojis/:diff-party:")),
    "ListCustomEmojis": chat("ListCustomEmojis", lambda w: R.ListCustomEmojisRequest(
        page_size=5, filter='creator("users/me")')),
    "GetAttachment": chat("GetAttachment", lambda w: attachment_pb2.GetAttachmentRequest(name=w.n["attachment"]),
                          lambda w: w.app_md()),
    "GetSpaceReadState": chat("GetSpaceReadState", lambda w: space_read_state_pb2.GetSpaceReadStateRequest(
        name=f"users/me/{w.n['space']}/spaceReadState")),
    "GetThreadReadState": chat("GetThreadReadState", lambda w: thread_read_state_pb2.GetThreadReadStateRequest(
        name=f"users/me/{w.n['thread']}/threadReadState")),
    "GetSpaceNotificationSetting": chat(
        "GetSpaceNotificationSetting", lambda w: space_notification_setting_pb2.GetSpaceNotificationSettingRequest(
            name=f"users/{ALICE}/{w.n['space']}/spaceNotificationSetting")),
    "GetAvailability": chat("GetAvailability", lambda w: availability_pb2.GetAvailabilityRequest(
        name="users/me/availability")),
    "GetAvailability by email": chat("GetAvailability", lambda w: availability_pb2.GetAvailabilityRequest(
        name=f"users/{ALICE}/availability")),
    "ListSections": chat("ListSections", lambda w: section_pb2.ListSectionsRequest(parent="users/me", page_size=3)),
    "ListSectionItems": chat("ListSectionItems", lambda w: section_pb2.ListSectionItemsRequest(
        parent=w.n["section"])),
    "ListSectionItems of all sections, filtered": chat(
        "ListSectionItems", lambda w: section_pb2.ListSectionItemsRequest(
            parent="users/me/sections/-", filter=f'space = "{w.n["space"]}"')),
    "GetSpaceEvent": chat("GetSpaceEvent", lambda w: space_event_pb2.GetSpaceEventRequest(name=w.n["event"])),
    "ListSpaceEvents": chat("ListSpaceEvents", lambda w: space_event_pb2.ListSpaceEventsRequest(
        parent=w.n["space"], page_size=3, filter=f'start_time="{_day_ago()}" AND (event_types:'
        '"google.workspace.chat.message.v1.created" OR event_types:"google.workspace.chat.reaction.v1.created" OR '
        'event_types:"google.workspace.chat.membership.v1.created")')),
    "SearchMessages": chat("SearchMessages", lambda w: M.SearchMessagesRequest(
        parent="spaces/-", filter="diff OR reply", page_size=1,
        view=M.SearchMessagesRequest.SearchMessagesView.SEARCH_MESSAGES_VIEW_FULL),
        lambda w: w.md(BOB)),  # alice muted the room: her searches leave it out
    "SearchMessages in one space, by sender": chat("SearchMessages", lambda w: M.SearchMessagesRequest(
        parent="spaces/-", filter=f'reply AND space.name = "{w.n["space"]}" AND sender.name = "{w.n["bob_id"]}"'),
        lambda w: w.md(BOB)),
    "GetBrand": own(DIRECTORY, "GetBrand", lambda w: directory.GetBrandRequest(name=w.n["brand"])),
    "ListMembers": own(DIRECTORY, "ListMembers", lambda w: directory.ListMembersRequest(parent=w.n["brand"])),
    "GetContact": own(DIRECTORY, "GetContact", lambda w: directory.GetContactRequest(name=w.n["contact"])),
    "ListContacts filtered": own(DIRECTORY, "ListContacts", lambda w: directory.ListContactsRequest(
        parent=w.n["brand"], filter='tag = "vip"')),
    "ListContactLists": own(DIRECTORY, "ListContactLists", lambda w: directory.ListContactListsRequest(
        parent=w.n["brand"])),
    "GetEmailCampaign": own(CAMPAIGNS, "GetEmailCampaign", lambda w: campaigns.GetEmailCampaignRequest(
        name=w.n["campaign"])),
    "ListEmailCampaigns": own(CAMPAIGNS, "ListEmailCampaigns", lambda w: campaigns.ListEmailCampaignsRequest(
        parent=w.n["brand"], page_size=10)),
    "GetEmailQuota": own(CAMPAIGNS, "GetEmailQuota", lambda w: campaigns.GetEmailQuotaRequest(
        name=f"{w.n['brand']}/emailQuota")),
    "GetCredential": own(CREDENTIALS, "GetCredential", lambda w: credentials.GetCredentialRequest(
        name=w.n["credential"])),
    "ListCredentials": own(CREDENTIALS, "ListCredentials", lambda w: credentials.ListCredentialsRequest(
        parent="users/me")),
    "CheckCapability": own(CREDENTIALS, "CheckCapability", lambda w: credentials.CheckCapabilityRequest(
        name=w.n["credential"], capability="mail.read")),
    "ListCalendars": own(CREDENTIALS, "ListCalendars", lambda w: credentials.ListCalendarsRequest(
        name=w.n["credential"])),
}


# Listings whose page token records the time it was made (the 28-day window of space events).
OWN_PAGE_TOKENS = {"ListSpaceEvents"}


def _next_page(request: Message, token: str) -> Message:
    following = type(request)()
    following.CopyFrom(request)
    following.page_token = token
    return following


@pytest.mark.parametrize("case", list(READS))
async def test_reads_answer_alike(world, case):
    service, rpc, request, md = READS[case](world)
    over = await over_grpc(world, service, rpc, request, md)
    rest = await over_rest(world, service, rpc, request, md)
    assert over.error is None, f"the gRPC read itself failed: {over}"
    assert over.response.ByteSize(), "an empty answer compares nothing"
    assert_alike(over, rest, own_page_tokens=rpc in OWN_PAGE_TOKENS)
    if getattr(over.response, "next_page_token", ""):  # the next page, by either token over either surface
        second = await over_grpc(world, service, rpc, _next_page(request, over.response.next_page_token), md)
        assert second.error is None and second.response != over.response, f"no second page: {second}"
        for token in {over.response.next_page_token, rest.response.next_page_token}:
            assert_alike(second, await over_rest(world, service, rpc, _next_page(request, token), md),
                         own_page_tokens=rpc in OWN_PAGE_TOKENS)


# --- writes: twins, one changed over gRPC and the other over REST ------------------------------------------------
@dataclass
class Twin:
    """`a` is sent over gRPC and `b` over REST, by `md`; then each `after` read (rpc, request about A, request
    about B, service) is sent over gRPC for both, and must answer alike too. `swaps`: text of A's answers to
    read as B's (names that differ on purpose)."""

    rpc: str
    a: Message
    b: Message
    md: tuple
    service: str = CHAT
    binding: str = ""
    swaps: tuple[tuple[str, str], ...] = ()
    after: list[tuple] = field(default_factory=list)


def _tag() -> str:
    return uuid.uuid4().hex[:8]


def _both(make: Callable[[str], Message]) -> tuple[Message, Message]:
    return make("A"), make("B")


def _mask(*paths: str) -> field_mask_pb2.FieldMask:
    return field_mask_pb2.FieldMask(paths=list(paths))


async def _twin_spaces(w: World, *, with_app: bool = False, **kwargs) -> tuple[space_pb2.Space, space_pb2.Space]:
    made = await w.space(**kwargs), await w.space(**kwargs)
    for space in made if with_app else ():
        await w.chat.CreateMembership(membership_pb2.CreateMembershipRequest(parent=space.name, membership=(
            membership_pb2.Membership(member=user_pb2.User(name="users/app")))),
            metadata=w.harness.md(user=ALICE, app=APP, scopes=("chat.memberships.app",)))
    return made


def _id_swaps(*names: tuple[str, str]) -> tuple[tuple[str, str], ...]:
    """The ids that differ between pairs of names (`spaces/A/messages/B`), as swaps."""
    found = []
    for a, b in names:
        found += [(x, y) for x, y in zip(a.split("/")[1::2], b.split("/")[1::2], strict=True) if x != y]
    return tuple(found)


def _space_swaps(a: space_pb2.Space, b: space_pb2.Space) -> tuple[tuple[str, str], ...]:
    return (*_id_swaps((a.name, b.name)), (a.display_name, b.display_name))


def _get_space(a, b) -> list[tuple]:
    return [("GetSpace", S.GetSpaceRequest(name=a.name), S.GetSpaceRequest(name=b.name))]


async def twin_create_space(w):
    tag = _tag()
    a, b = _both(lambda t: S.CreateSpaceRequest(space=S.Space(
        space_type=SPACE, display_name=f"Twin {t} {tag}", external_user_allowed=False,
        predefined_permission_settings=S.Space.PredefinedPermissionSettings.ANNOUNCEMENT_SPACE,
        space_details=S.Space.SpaceDetails(description="twins", guidelines="be alike"),
        )))
    return Twin("CreateSpace", a, b, w.md(), swaps=((f"Twin A {tag}", f"Twin B {tag}"),))


async def twin_set_up_space(w):
    tag = _tag()
    a, b = _both(lambda t: space_setup_pb2.SetUpSpaceRequest(
        space=S.Space(space_type=SPACE, display_name=f"Set up {t} {tag}"),
        memberships=[membership_pb2.Membership(member=user_pb2.User(name=f"users/{who}")) for who in (BOB, CAROL)]))
    return Twin("SetUpSpace", a, b, w.md(), swaps=((f"Set up A {tag}", f"Set up B {tag}"),))


async def twin_update_space(w):
    x, y = await _twin_spaces(w)
    a, b = (S.UpdateSpaceRequest(space=S.Space(name=s.name, display_name=f"Renamed {s.display_name}",
                                               space_details=S.Space.SpaceDetails(description="renamed")),
                                 update_mask=_mask("display_name", "space_details")) for s in (x, y))
    return Twin("UpdateSpace", a, b, w.md(), swaps=_space_swaps(x, y), after=_get_space(x, y))


async def twin_update_space_permissions(w):
    x, y = await _twin_spaces(w)
    setting = S.Space.PermissionSetting(managers_allowed=True, members_allowed=False)
    a, b = (S.UpdateSpaceRequest(space=S.Space(name=s.name, permission_settings=S.Space.PermissionSettings(
        manage_members_and_groups=setting, reply_messages=setting)), update_mask=_mask(
        "permission_settings.manage_members_and_groups", "permission_settings.reply_messages")) for s in (x, y))
    return Twin("UpdateSpace", a, b, w.md(), swaps=_space_swaps(x, y), after=_get_space(x, y))


async def twin_delete_space(w):
    x, y = await _twin_spaces(w)
    return Twin("DeleteSpace", S.DeleteSpaceRequest(name=x.name), S.DeleteSpaceRequest(name=y.name), w.md(),
                swaps=_space_swaps(x, y), after=_get_space(x, y))


async def twin_complete_import(w):
    x, y = await _twin_spaces(w, members=(), import_mode=True)
    return Twin("CompleteImportSpace", S.CompleteImportSpaceRequest(name=x.name),
                S.CompleteImportSpaceRequest(name=y.name), w.md(), swaps=_space_swaps(x, y), after=_get_space(x, y))


def _list_members(x, y) -> list[tuple]:
    return [("ListMemberships", membership_pb2.ListMembershipsRequest(parent=x.name),
             membership_pb2.ListMembershipsRequest(parent=y.name))]


async def twin_create_membership(w):
    x, y = await _twin_spaces(w, members=())
    a, b = (membership_pb2.CreateMembershipRequest(parent=s.name, membership=membership_pb2.Membership(
        member=user_pb2.User(name=f"users/{CAROL}", type=user_pb2.User.Type.HUMAN))) for s in (x, y))
    return Twin("CreateMembership", a, b, w.md(), swaps=_space_swaps(x, y), after=_list_members(x, y))


async def twin_update_membership(w):
    x, y = await _twin_spaces(w)
    a, b = (membership_pb2.UpdateMembershipRequest(membership=membership_pb2.Membership(
        name=f"{s.name}/members/{BOB}", role=membership_pb2.Membership.MembershipRole.ROLE_MANAGER),
        update_mask=_mask("role")) for s in (x, y))
    return Twin("UpdateMembership", a, b, w.md(), swaps=_space_swaps(x, y), after=_list_members(x, y))


async def twin_delete_membership(w):
    x, y = await _twin_spaces(w, members=(BOB, CAROL))
    a, b = (membership_pb2.DeleteMembershipRequest(name=f"{s.name}/members/{CAROL}") for s in (x, y))
    return Twin("DeleteMembership", a, b, w.md(), swaps=_space_swaps(x, y), after=_list_members(x, y))


def _get_message(x: str, y: str) -> list[tuple]:
    return [("GetMessage", M.GetMessageRequest(name=x), M.GetMessageRequest(name=y))]


def _list_messages(x, y) -> list[tuple]:
    return [("ListMessages", M.ListMessagesRequest(parent=x.name, show_deleted=True),
             M.ListMessagesRequest(parent=y.name, show_deleted=True))]


async def twin_create_message(w):
    x, y = await _twin_spaces(w)
    a, b = (M.CreateMessageRequest(parent=s.name, message=M.Message(
        text="*Twins* say _hello_ to https://example.com", fallback_text="twins")) for s in (x, y))
    return Twin("CreateMessage", a, b, w.md(), swaps=_space_swaps(x, y), after=_list_messages(x, y))


async def twin_create_message_in_thread_by_key(w):
    x, y = await _twin_spaces(w)
    a, b = (M.CreateMessageRequest(parent=s.name, message=M.Message(text="threaded twin"), thread_key="twin-key",
                                   message_reply_option=Reply.REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD,
                                   message_id="client-twin", request_id="twin-request") for s in (x, y))
    return Twin("CreateMessage", a, b, w.md(), swaps=_space_swaps(x, y), after=_list_messages(x, y))


async def twin_reply_in_thread(w):
    x, y = await _twin_spaces(w)
    first = [await w.post(s.name, "start of a thread") for s in (x, y)]
    a, b = (M.CreateMessageRequest(parent=s.name, message=M.Message(text="a reply", thread=M.Thread(
        name=m.thread.name)), message_reply_option=Reply.REPLY_MESSAGE_OR_FAIL) for s, m in zip((x, y), first))
    return Twin("CreateMessage", a, b, w.md(BOB), swaps=_space_swaps(x, y), after=_list_messages(x, y))


def _card() -> M.CardWithId:
    return M.CardWithId(card_id="twin-card", card=card_pb2.Card(
        header=card_pb2.Card.CardHeader(title="Twins", subtitle="over two surfaces"),
        sections=[card_pb2.Card.Section(header="One", widgets=[
            card_pb2.Widget(text_paragraph=card_pb2.TextParagraph(text="<b>alike</b>")),
            card_pb2.Widget(button_list=card_pb2.ButtonList(buttons=[card_pb2.Button(
                text="Open", on_click=card_pb2.OnClick(open_link=card_pb2.OpenLink(url="https://example.com"))),
            ]))])]))


async def twin_create_message_with_card_as_app(w):
    x, y = await _twin_spaces(w, with_app=True)
    a, b = (M.CreateMessageRequest(parent=s.name, message=M.Message(text="a card", cards_v2=[_card()]))
            for s in (x, y))
    return Twin("CreateMessage", a, b, w.app_md(), swaps=_space_swaps(x, y), after=_list_messages(x, y))


async def twin_create_message_with_attachment(w):
    x, y = await _twin_spaces(w)
    tokens = [await upload_token(w.harness, w.md(), s.name, b"twin bytes", "twin.txt") for s in (x, y)]
    a, b = (M.CreateMessageRequest(parent=s.name, message=with_tokens(t, text="a file"))
            for s, t in zip((x, y), tokens))
    return Twin("CreateMessage", a, b, w.md(), swaps=_space_swaps(x, y), after=_list_messages(x, y))


async def _twin_messages(w, text="to be changed"):
    x, y = await _twin_spaces(w)
    return x, y, await w.post(x.name, text), await w.post(y.name, text)


async def twin_update_message(w):
    x, y, m, n = await _twin_messages(w)
    a, b = (M.UpdateMessageRequest(message=M.Message(name=t.name, text="changed *twice*"),
                                   update_mask=_mask("text")) for t in (m, n))
    return Twin("UpdateMessage", a, b, w.md(), swaps=_space_swaps(x, y), after=_get_message(m.name, n.name))


async def twin_update_message_by_patch_as_app(w):
    x, y = await _twin_spaces(w, with_app=True)
    m, n = [await w.post(s.name, "the app's", md=w.app_md()) for s in (x, y)]
    a, b = (M.UpdateMessageRequest(message=M.Message(name=t.name, text="changed by the app", cards_v2=[_card()]),
                                   update_mask=_mask("text", "cards_v2")) for t in (m, n))
    return Twin("UpdateMessage", a, b, w.app_md(), binding="PATCH", swaps=_space_swaps(x, y),
                after=_get_message(m.name, n.name))


async def twin_delete_message(w):
    x, y, m, n = await _twin_messages(w)
    for t in (m, n):
        await w.post(t.name.split("/messages/")[0], "a reply", message=M.Message(text="a reply", thread=t.thread),
                     message_reply_option=Reply.REPLY_MESSAGE_OR_FAIL)
    a, b = (M.DeleteMessageRequest(name=t.name, force=True) for t in (m, n))
    return Twin("DeleteMessage", a, b, w.md(), swaps=(*_space_swaps(x, y), *_id_swaps((m.name, n.name))),
                after=[*_get_message(m.name, n.name), *_list_messages(x, y)])


async def twin_create_reaction(w):
    x, y, m, n = await _twin_messages(w)
    a, b = (R.CreateReactionRequest(parent=t.name, reaction=R.Reaction(emoji=R.Emoji(unicode="👍"))) for t in (m, n))
    return Twin("CreateReaction", a, b, w.md(BOB), swaps=_space_swaps(x, y), after=_get_message(m.name, n.name))


async def twin_delete_reaction(w):
    x, y, m, n = await _twin_messages(w)
    made = [await w.chat.CreateReaction(R.CreateReactionRequest(parent=t.name, reaction=R.Reaction(
        emoji=R.Emoji(unicode="👍"))), metadata=w.md(BOB)) for t in (m, n)]
    return Twin("DeleteReaction", R.DeleteReactionRequest(name=made[0].name),
                R.DeleteReactionRequest(name=made[1].name), w.md(BOB), swaps=_space_swaps(x, y),
                after=_get_message(m.name, n.name))


def _list_pins(x, y) -> list[tuple]:
    return [("ListMessagePins", message_pin_pb2.ListMessagePinsRequest(parent=x.name),
             message_pin_pb2.ListMessagePinsRequest(parent=y.name))]


async def twin_create_pin(w):
    x, y, m, n = await _twin_messages(w)
    a, b = (message_pin_pb2.CreateMessagePinRequest(parent=s.name, message_pin=message_pin_pb2.MessagePin(
        message=t.name)) for s, t in ((x, m), (y, n)))
    return Twin("CreateMessagePin", a, b, w.md(), swaps=_space_swaps(x, y), after=_list_pins(x, y))


async def twin_delete_pin(w):
    x, y, m, n = await _twin_messages(w)
    pins = [await w.chat.CreateMessagePin(message_pin_pb2.CreateMessagePinRequest(
        parent=s.name, message_pin=message_pin_pb2.MessagePin(message=t.name)), metadata=w.md())
        for s, t in ((x, m), (y, n))]
    return Twin("DeleteMessagePin", message_pin_pb2.DeleteMessagePinRequest(name=pins[0].name),
                message_pin_pb2.DeleteMessagePinRequest(name=pins[1].name), w.md(), swaps=_space_swaps(x, y),
                after=_list_pins(x, y))


async def twin_create_custom_emoji(w):
    tag = _tag()
    a, b = _both(lambda t: R.CreateCustomEmojiRequest(custom_emoji=R.CustomEmoji(
        emoji_name=f":twin-{t.lower()}-{tag}:", payload=R.CustomEmoji.CustomEmojiPayload(
            file_content=png(64), filename="twin.png"))))
    return Twin("CreateCustomEmoji", a, b, w.md(), swaps=((f":twin-a-{tag}:", f":twin-b-{tag}:"),),
                after=[("GetCustomEmoji", R.GetCustomEmojiRequest(name=f"customEmojis/:twin-a-{tag}:"),
                        R.GetCustomEmojiRequest(name=f"customEmojis/:twin-b-{tag}:"))])


async def twin_delete_custom_emoji(w):
    made = []
    for t in "ab":
        made.append(await w.chat.CreateCustomEmoji(R.CreateCustomEmojiRequest(custom_emoji=R.CustomEmoji(
            emoji_name=f":gone-{t}-{_tag()}:", payload=R.CustomEmoji.CustomEmojiPayload(
                file_content=png(64), filename="gone.png"))), metadata=w.md()))
    return Twin("DeleteCustomEmoji", R.DeleteCustomEmojiRequest(name=made[0].name),
                R.DeleteCustomEmojiRequest(name=made[1].name), w.md(),
                swaps=(*_id_swaps((made[0].name, made[1].name)), (made[0].emoji_name, made[1].emoji_name)),
                after=[("GetCustomEmoji", R.GetCustomEmojiRequest(name=made[0].name),
                        R.GetCustomEmojiRequest(name=made[1].name))])


async def twin_update_read_state(w):
    x, y, _, _ = await _twin_messages(w, "unread")
    names = [f"users/me/{s.name}/spaceReadState" for s in (x, y)]
    a, b = (space_read_state_pb2.UpdateSpaceReadStateRequest(space_read_state=space_read_state_pb2.SpaceReadState(
        name=name, last_read_time=FAR), update_mask=_mask("last_read_time")) for name in names)
    return Twin("UpdateSpaceReadState", a, b, w.md(), swaps=_space_swaps(x, y), after=[(
        "GetSpaceReadState", *(space_read_state_pb2.GetSpaceReadStateRequest(name=name) for name in names))])


async def twin_update_notification_setting(w):
    x, y = await _twin_spaces(w)
    setting = space_notification_setting_pb2.SpaceNotificationSetting
    names = [f"users/{BOB}/{s.name}/spaceNotificationSetting" for s in (x, y)]
    a, b = (space_notification_setting_pb2.UpdateSpaceNotificationSettingRequest(space_notification_setting=setting(
        name=name, notification_setting=setting.NotificationSetting.MAIN_CONVERSATIONS,
        mute_setting=setting.MuteSetting.MUTED), update_mask=_mask("notification_setting", "mute_setting"))
        for name in names)
    return Twin("UpdateSpaceNotificationSetting", a, b, w.md(BOB), swaps=_space_swaps(x, y), after=[(
        "GetSpaceNotificationSetting", *(space_notification_setting_pb2.GetSpaceNotificationSettingRequest(
            name=name) for name in names))])


async def _twin_users(w) -> tuple[tuple, tuple]:
    """Two fresh users: A acts over gRPC, B over REST (each call names `users/me`)."""
    tag = _tag()
    return w.md(f"twin-a-{tag}@example.com"), w.md(f"twin-b-{tag}@example.com")


@dataclass
class UserTwin(Twin):
    """A twin whose two requests come from two users (A's metadata `md`, B's `md_b`)."""

    md_b: tuple = ()


def _availability_after() -> list[tuple]:
    get = availability_pb2.GetAvailabilityRequest(name="users/me/availability")
    return [("GetAvailability", get, get)]


async def twin_update_availability(w):
    ma, mb = await _twin_users(w)
    request = availability_pb2.UpdateAvailabilityRequest(availability=availability_pb2.Availability(
        name="users/me/availability", custom_status=availability_pb2.CustomStatus(
            text="Twinning", emoji=R.Emoji(unicode="👯"), expire_time=FAR)), update_mask=_mask("custom_status"))
    return UserTwin("UpdateAvailability", request, request, ma, md_b=mb, after=_availability_after())


async def twin_mark_as_active(w):
    ma, mb = await _twin_users(w)
    request = availability_pb2.MarkAsActiveRequest(name="users/me/availability",
                                                   ttl=duration_pb2.Duration(seconds=3600))
    return UserTwin("MarkAsActive", request, request, ma, md_b=mb, after=_availability_after())


async def twin_mark_as_away(w):
    ma, mb = await _twin_users(w)
    request = availability_pb2.MarkAsAwayRequest(name="users/me/availability")
    return UserTwin("MarkAsAway", request, request, ma, md_b=mb, after=_availability_after())


async def twin_mark_as_do_not_disturb(w):
    ma, mb = await _twin_users(w)
    request = availability_pb2.MarkAsDoNotDisturbRequest(name="users/me/availability",
                                                         expire_time=timestamp_pb2.Timestamp(
                                                             seconds=int(time.time()) + 86400))
    return UserTwin("MarkAsDoNotDisturb", request, request, ma, md_b=mb, after=_availability_after())


def _sections_after() -> list[tuple]:
    listing = section_pb2.ListSectionsRequest(parent="users/me")
    return [("ListSections", listing, listing)]


Section = section_pb2.Section


async def _twin_sections(w, *display_names: str):
    ma, mb = await _twin_users(w)
    made = {}
    for md in (ma, mb):
        made[md] = [await w.chat.CreateSection(section_pb2.CreateSectionRequest(parent="users/me", section=Section(
            display_name=name, type=Section.SectionType.CUSTOM_SECTION)), metadata=md) for name in display_names]
    return ma, mb, made[ma], made[mb]


async def twin_create_section(w):
    ma, mb = await _twin_users(w)
    request = section_pb2.CreateSectionRequest(parent="users/me", section=Section(
        display_name="Projects", type=Section.SectionType.CUSTOM_SECTION))
    return UserTwin("CreateSection", request, request, ma, md_b=mb, after=_sections_after())


async def twin_update_section(w):
    ma, mb, x, y = await _twin_sections(w, "Old")
    a, b = (section_pb2.UpdateSectionRequest(section=Section(name=s[0].name, display_name="New"),
                                             update_mask=_mask("display_name")) for s in (x, y))
    return UserTwin("UpdateSection", a, b, ma, md_b=mb, after=_sections_after())


async def twin_delete_section(w):
    ma, mb, x, y = await _twin_sections(w, "Doomed")
    a, b = (section_pb2.DeleteSectionRequest(name=s[0].name) for s in (x, y))
    return UserTwin("DeleteSection", a, b, ma, md_b=mb, after=_sections_after())


async def twin_position_section(w):
    ma, mb, x, y = await _twin_sections(w, "First", "Second")
    a, b = (section_pb2.PositionSectionRequest(
        name=s[1].name, relative_position=section_pb2.PositionSectionRequest.Position.START) for s in (x, y))
    return UserTwin("PositionSection", a, b, ma, md_b=mb, after=_sections_after())


async def twin_move_section_item(w):
    ma, mb, x, y = await _twin_sections(w, "Target")
    requests = []
    for md, sections in ((ma, x), (mb, y)):
        space = await w.chat.CreateSpace(S.CreateSpaceRequest(space=S.Space(
            space_type=SPACE, display_name=f"Mover {_tag()}")), metadata=md)
        requests.append(section_pb2.MoveSectionItemRequest(
            name=f"users/me/sections/default-spaces/items/{space.name.split('/')[1]}",
            target_section=sections[0].name))
    items = [("ListSectionItems", *(section_pb2.ListSectionItemsRequest(parent=s[0].name) for s in (x, y)))]
    return UserTwin("MoveSectionItem", *requests, ma, md_b=mb, after=items)


async def twin_upload_attachment(w):
    x, y = await _twin_spaces(w)
    a, b = (attachment_pb2.UploadAttachmentRequest(parent=s.name, filename="empty.txt") for s in (x, y))
    return Twin("UploadAttachment", a, b, w.md(), swaps=_space_swaps(x, y))


async def twin_create_contact(w):
    a, b = _both(lambda t: directory.CreateContactRequest(parent=w.n["brand"], contact=directory_pb2.Contact(
        display_name="Twin", emails=[f"twin-{t.lower()}-{w.n['brand'][-6:]}@example.net"], tags=["twin"],
        lists=[w.n["list"]])))
    return Twin("CreateContact", a, b, w.md(), service=DIRECTORY, swaps=(
        (a.contact.emails[0], b.contact.emails[0]),))


async def twin_create_contact_list(w):
    tag = _tag()
    a, b = _both(lambda t: directory.CreateContactListRequest(parent=w.n["brand"], contact_list=(
        directory_pb2.ContactList(display_name=f"List {t} {tag}"))))
    return Twin("CreateContactList", a, b, w.md(), service=DIRECTORY, swaps=((f"List A {tag}", f"List B {tag}"),))


async def twin_delete_contact(w):
    made = []
    for t in "ab":
        made.append(await w.harness.channel.unary_unary(
            _full(DIRECTORY, "CreateContact"), request_serializer=directory.CreateContactRequest.SerializeToString,
            response_deserializer=directory_pb2.Contact.FromString)(directory.CreateContactRequest(
                parent=w.n["brand"], contact=directory_pb2.Contact(emails=[f"gone-{t}-{_tag()}@example.net"])),
                metadata=w.md()))
    return Twin("DeleteContact", directory.DeleteContactRequest(name=made[0].name),
                directory.DeleteContactRequest(name=made[1].name), w.md(), service=DIRECTORY,
                swaps=_id_swaps((made[0].name, made[1].name)),
                after=[("GetContact", directory.GetContactRequest(name=made[0].name),
                        directory.GetContactRequest(name=made[1].name), DIRECTORY)])


async def twin_create_campaign(w):
    request = campaigns.CreateEmailCampaignRequest(parent=w.n["brand"], email_campaign=draft(subject="Twins"))
    return Twin("CreateEmailCampaign", request, request, w.md(), service=CAMPAIGNS)


async def twin_update_campaign(w):
    made = [await create_campaign(w.harness, w.n["brand"], ALICE, subject="Before") for _ in "ab"]
    a, b = (campaigns.UpdateEmailCampaignRequest(email_campaign=draft(name=c.name, subject="After", text="Later"),
                                                 update_mask=_mask("subject", "text")) for c in made)
    return Twin("UpdateEmailCampaign", a, b, w.md(), service=CAMPAIGNS, after=[(
        "GetEmailCampaign", *(campaigns.GetEmailCampaignRequest(name=c.name) for c in made), CAMPAIGNS)])


WRITES = {
    "CreateSpace": twin_create_space,
    "SetUpSpace": twin_set_up_space,
    "UpdateSpace": twin_update_space,
    "UpdateSpace permission settings": twin_update_space_permissions,
    "DeleteSpace": twin_delete_space,
    "CompleteImportSpace": twin_complete_import,
    "CreateMembership": twin_create_membership,
    "UpdateMembership": twin_update_membership,
    "DeleteMembership": twin_delete_membership,
    "CreateMessage": twin_create_message,
    "CreateMessage in a thread by key, with a client id": twin_create_message_in_thread_by_key,
    "CreateMessage replying in a thread": twin_reply_in_thread,
    "CreateMessage with a card, as app": twin_create_message_with_card_as_app,
    "CreateMessage with an attachment": twin_create_message_with_attachment,
    "UpdateMessage (PUT)": twin_update_message,
    "UpdateMessage (PATCH, as app, with a card)": twin_update_message_by_patch_as_app,
    "DeleteMessage with force": twin_delete_message,
    "CreateReaction": twin_create_reaction,
    "DeleteReaction": twin_delete_reaction,
    "CreateMessagePin": twin_create_pin,
    "DeleteMessagePin": twin_delete_pin,
    "CreateCustomEmoji": twin_create_custom_emoji,
    "DeleteCustomEmoji": twin_delete_custom_emoji,
    "UpdateSpaceReadState": twin_update_read_state,
    "UpdateSpaceNotificationSetting": twin_update_notification_setting,
    "UpdateAvailability": twin_update_availability,
    "MarkAsActive": twin_mark_as_active,
    "MarkAsAway": twin_mark_as_away,
    "MarkAsDoNotDisturb": twin_mark_as_do_not_disturb,
    "CreateSection": twin_create_section,
    "UpdateSection": twin_update_section,
    "DeleteSection": twin_delete_section,
    "PositionSection": twin_position_section,
    "MoveSectionItem": twin_move_section_item,
    "UploadAttachment": twin_upload_attachment,
    "CreateContact": twin_create_contact,
    "CreateContactList": twin_create_contact_list,
    "DeleteContact": twin_delete_contact,
    "CreateEmailCampaign": twin_create_campaign,
    "UpdateEmailCampaign": twin_update_campaign,
}


@pytest.mark.parametrize("case", list(WRITES))
async def test_writes_answer_alike(world, case):
    twin = await WRITES[case](world)
    md_b = getattr(twin, "md_b", ()) or twin.md
    over = await over_grpc(world, twin.service, twin.rpc, twin.a, twin.md)
    rest = await over_rest(world, twin.service, twin.rpc, twin.b, md_b, twin.binding)
    assert over.error is None, f"the gRPC write itself failed: {over}"
    assert_twins_alike(over, rest, twin.swaps)
    for rpc, about_a, about_b, *service in twin.after:
        service = service[0] if service else twin.service
        assert_twins_alike(await over_grpc(world, service, rpc, about_a, twin.md),
                           await over_grpc(world, service, rpc, about_b, md_b), twin.swaps)


# --- errors: the same refusal over both surfaces ---------------------------------------------------------------
ABSENT_SPACE = "spaces/AAAAabsent00"
Error = Callable[[World], tuple[str, str, Message, tuple]]  # world -> (service, rpc, request, metadata)

ERRORS: dict[str, Error] = {
    # NOT_FOUND
    "GetSpace of an absent space": chat("GetSpace", lambda w: S.GetSpaceRequest(name=ABSENT_SPACE)),
    "GetSpace of a space the caller is not in": chat("GetSpace", lambda w: S.GetSpaceRequest(name=w.n["space"]),
                                                     lambda w: w.md("diff-stranger@example.com")),
    "GetMessage of an absent message": chat("GetMessage", lambda w: M.GetMessageRequest(
        name=f"{w.n['space']}/messages/absent-message")),
    "CreateMessage in an absent space": chat("CreateMessage", lambda w: M.CreateMessageRequest(
        parent=ABSENT_SPACE, message=M.Message(text="nobody hears"))),
    "DeleteReaction of an absent reaction": chat("DeleteReaction", lambda w: R.DeleteReactionRequest(
        name=f"{w.n['message']}/reactions/absent")),
    "GetCustomEmoji of an absent name": chat("GetCustomEmoji", lambda w: R.GetCustomEmojiRequest(
        name="customEmojis/:no-such-emoji:")),
    "GetBrand of a brand the caller is not in": lambda w: (DIRECTORY, "GetBrand", directory.GetBrandRequest(
        name=w.n["brand"]), w.md("diff-stranger@example.com")),
    "GetCredential of an absent credential": own(CREDENTIALS, "GetCredential", lambda w: (
        credentials.GetCredentialRequest(name="users/me/googleCredentials/00000000-0000-4000-8000-000000000000"))),
    # INVALID_ARGUMENT
    "GetSpace with a malformed name": chat("GetSpace", lambda w: S.GetSpaceRequest(name="spaces/not a name!")),
    "ListSpaces with a negative page size": chat("ListSpaces", lambda w: S.ListSpacesRequest(page_size=-1)),
    "ListSpaces with a bad filter": chat("ListSpaces", lambda w: S.ListSpacesRequest(filter='space_type = "ROCK"')),
    "ListMessages with a bad filter": chat("ListMessages", lambda w: M.ListMessagesRequest(
        parent=w.n["space"], filter="create_time > yesterday")),
    "ListMessages with a forged page token": chat("ListMessages", lambda w: M.ListMessagesRequest(
        parent=w.n["space"], page_token="forged-token")),
    "CreateSpace without a display name": chat("CreateSpace", lambda w: S.CreateSpaceRequest(space=S.Space(
        space_type=SPACE))),
    "UpdateSpace with an unknown mask path": chat("UpdateSpace", lambda w: S.UpdateSpaceRequest(
        space=S.Space(name=w.n["space"], display_name="x"), update_mask=_mask("display_name", "bogus_field"))),
    "CreateMessage replying to no thread, or failing": chat("CreateMessage", lambda w: M.CreateMessageRequest(
        parent=w.n["space"], message=M.Message(text="x"), message_reply_option=Reply.REPLY_MESSAGE_OR_FAIL)),
    "CreateReaction without an emoji": chat("CreateReaction", lambda w: R.CreateReactionRequest(
        parent=w.n["message"], reaction=R.Reaction())),
    "ListSpaceEvents without event types": chat("ListSpaceEvents", lambda w: space_event_pb2.ListSpaceEventsRequest(
        parent=w.n["space"], filter='start_time="2000-01-01T00:00:00Z"')),
    "SearchMessages with a bad query": chat("SearchMessages", lambda w: M.SearchMessagesRequest(
        parent="spaces/-", filter="(unbalanced")),
    "MarkAsDoNotDisturb without an expiration": chat("MarkAsDoNotDisturb", lambda w: (
        availability_pb2.MarkAsDoNotDisturbRequest(name="users/me/availability"))),
    "CreateContact without an address": own(DIRECTORY, "CreateContact", lambda w: directory.CreateContactRequest(
        parent=w.n["brand"], contact=directory_pb2.Contact(display_name="Nobody", emails=["not an address"]))),
    # PERMISSION_DENIED
    "GetSpace with a scope that does not cover it": chat("GetSpace", lambda w: S.GetSpaceRequest(
        name=w.n["space"]), lambda w: w.md(scopes=("chat.messages.reactions",))),
    "SearchSpaces as an app": chat("SearchSpaces", lambda w: S.SearchSpacesRequest(
        query='customer = "customers/my_customer" AND space_type = "SPACE"'), lambda w: w.app_md("chat.app.spaces")),
    "GetSpace with use_admin_access by a plain user": chat("GetSpace", lambda w: S.GetSpaceRequest(
        name=w.n["space"], use_admin_access=True), lambda w: w.md(BOB)),
    "DeleteSpace by a member": chat("DeleteSpace", lambda w: S.DeleteSpaceRequest(name=w.n["space"]),
                                    lambda w: w.md(BOB)),
    "UpdateMessage of another user's message": chat("UpdateMessage", lambda w: M.UpdateMessageRequest(
        message=M.Message(name=w.n["reply"], text="not mine"), update_mask=_mask("text"))),
    "GetAvailability of another user": chat("GetAvailability", lambda w: availability_pb2.GetAvailabilityRequest(
        name=f"users/{ALICE}/availability"), lambda w: w.md(BOB)),
    "DeleteBrand by an agent": lambda w: (DIRECTORY, "DeleteBrand", directory.DeleteBrandRequest(
        name=w.n["brand"]), w.md(BOB)),
    "ListCredentials as an app": lambda w: (CREDENTIALS, "ListCredentials", credentials.ListCredentialsRequest(
        parent="users/me"), w.harness.md(app=APP, scopes=("chatsvc.credentials",))),
    # UNAUTHENTICATED
    "GetSpace without a token": chat("GetSpace", lambda w: S.GetSpaceRequest(name=w.n["space"]), lambda w: ()),
    "GetSpace with a garbage token": chat("GetSpace", lambda w: S.GetSpaceRequest(name=w.n["space"]),
                                          lambda w: (("authorization", "Bearer not-a-token"),)),
    "GetSpace with an expired token": chat("GetSpace", lambda w: S.GetSpaceRequest(name=w.n["space"]),
                                           lambda w: w.md(ttl=-60)),
    "GetSpace with a token of another scheme": chat("GetSpace", lambda w: S.GetSpaceRequest(name=w.n["space"]),
                                                    lambda w: (("authorization", "Basic YTpi"),)),
    "CreateEmailCampaign without a token": lambda w: (CAMPAIGNS, "CreateEmailCampaign",
                                                      campaigns.CreateEmailCampaignRequest(parent=w.n["brand"]), ()),
    # ALREADY_EXISTS
    "CreateCustomEmoji with a taken name": chat("CreateCustomEmoji", lambda w: R.CreateCustomEmojiRequest(
        custom_emoji=R.CustomEmoji(emoji_name=":diff-party:", payload=R.CustomEmoji.CustomEmojiPayload(
            file_content=png(64), filename="again.png")))),
    "CreateMembership of a member": chat("CreateMembership", lambda w: membership_pb2.CreateMembershipRequest(
        parent=w.n["space"], membership=membership_pb2.Membership(member=user_pb2.User(name=f"users/{BOB}")))),
    "CreateMessage with a taken client id": chat("CreateMessage", lambda w: M.CreateMessageRequest(
        parent=w.n["space"], message=M.Message(text="again"), message_id="client-diff-1")),
    # FAILED_PRECONDITION
    "CompleteImportSpace of a space not in import mode": chat("CompleteImportSpace", lambda w: (
        S.CompleteImportSpaceRequest(name=w.n["space"]))),
    "ListBusinessAccounts without business.manage": own(CREDENTIALS, "ListBusinessAccounts", lambda w: (
        credentials.ListBusinessAccountsRequest(name=w.n["credential"]))),
}


REFUSED: dict[str, set[str]] = {}  # backend -> the codes the error cases got


@pytest.mark.parametrize("case", list(ERRORS))
async def test_errors_answer_alike(world, case):
    service, rpc, request, md = ERRORS[case](world)
    over = await over_grpc(world, service, rpc, request, md)
    rest = await over_rest(world, service, rpc, request, md)
    assert over.error is not None, f"the gRPC call was meant to fail: {over}"
    assert_same_error(over, rest)
    REFUSED.setdefault(world.backend, set()).add(over.error.code().name)


async def test_the_error_cases_covered_every_code_asked_for(world):
    """Runs after the error cases of its backend."""
    wanted = {"NOT_FOUND", "INVALID_ARGUMENT", "PERMISSION_DENIED", "UNAUTHENTICATED", "ALREADY_EXISTS",
              "FAILED_PRECONDITION"}
    assert wanted <= REFUSED.get(world.backend, set()), REFUSED
