"""The role matrix's machinery: who calls (non-member, member, manager, apps, administrators), a fresh world of
real resources per RPC, expected outcomes, and the check that a refused caller learns nothing.

Each test module holds a readable table, RPC x caller -> outcome, and a scenario per RPC that builds a valid
request against real seeded resources (fresh ones for every case that changes something). `run` plays every
case of one RPC and returns the list of cases that went wrong.
"""
from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import grpc
from google.chat.v1 import membership_pb2, message_pb2, space_pb2, user_pb2
from google.protobuf import text_format

from chatsvc.auth.scopes import ADMIN, APP, CHAT_RULES, CHAT_SERVICE, USER
from tests.authz import rest_leg
from tests.helpers import error_reason, rpc_error_details
from tests.http.rest_calls import RestError

# --- callers --------------------------------------------------------------------------------------------------
OUTSIDER = "non-member"
MEMBER = "member"
MANAGER = "manager"
APP_MEMBER = "app in the space"
APP_OUTSIDER = "app not in the space"
ADMIN_ACCESS = "admin with use_admin_access"
ADMIN_PLAIN = "admin without use_admin_access"
USER_FLAG = "ordinary user with use_admin_access"
CALLERS = (OUTSIDER, MEMBER, MANAGER, APP_MEMBER, APP_OUTSIDER, ADMIN_ACCESS, ADMIN_PLAIN, USER_FLAG)

# Scopes for setting worlds up (never the scopes under test).
SETUP_SCOPES = ("chat.spaces", "chat.memberships", "chat.memberships.app", "chat.messages", "chat.delete",
                "chat.messages.reactions", "chat.customemojis", "chat.users.sections", "chat.users.readstate",
                "chat.users.spacesettings", "chat.users.availability")


# --- outcomes --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Refused:
    code: grpc.StatusCode
    reason: str | None = None  # the ErrorInfo reason; None: any (HIDDEN compares with a nonexistent resource)
    hidden: bool = False  # NOT_FOUND that must be indistinguishable from "does not exist"
    as_if_absent: bool = False  # another refusal that must not tell whether the resource exists

    def __str__(self) -> str:
        if self.hidden:
            return "HIDDEN (NOT_FOUND as if absent)"
        return f"{self.code.name} {self.reason or ''}".strip() + (" (as if absent)" if self.as_if_absent else "")


OK = "OK"
HIDDEN = Refused(grpc.StatusCode.NOT_FOUND, hidden=True)


def denied(reason: str) -> Refused:
    return Refused(grpc.StatusCode.PERMISSION_DENIED, reason)


def like_absent(refused: Refused) -> Refused:
    """The same refusal, also checked to be identical for a resource that does not exist."""
    return Refused(refused.code, refused.reason, as_if_absent=True)


APP_NOT_SUPPORTED = denied("APP_AUTHENTICATION_NOT_SUPPORTED")
USER_NOT_SUPPORTED = denied("USER_AUTHENTICATION_NOT_SUPPORTED")
ADMIN_REQUIRED = denied("ADMIN_PRIVILEGES_REQUIRED")


# --- the world --------------------------------------------------------------------------------------------------
@dataclass
class World:
    """One fresh space (SPACE, collaboration settings) with its creator (ROLE_MANAGER), a ROLE_MEMBER, a Chat
    app added as a member, and a message from each. Every name is unique to the world, so worlds never meet."""

    server: object
    tag: str
    space: space_pb2.Space = None
    messages: dict = field(default_factory=dict)  # "manager" / "member" / "app" -> Message
    ids: set = field(default_factory=set)  # ids of resources created here (the ones a HIDDEN case varies)
    extra: dict = field(default_factory=dict)

    def email(self, who: str) -> str:
        return f"{who}-{self.tag}@example.com"

    @property
    def app_name(self) -> str:
        return f"bot-{self.tag}"

    def md(self, who: str, *scopes: str, app: str | None = None) -> tuple:
        """Metadata of a human of this world, with broad set-up scopes unless `scopes` are given."""
        return self.server.md(user=self.email(who), app=app, scopes=scopes or SETUP_SCOPES)

    def app_md(self, *scopes: str, outsider: bool = False) -> tuple:
        name = f"stranger-{self.tag}" if outsider else self.app_name
        return self.server.md(app=name, scopes=scopes or ("chat.bot",))

    def remember(self, *names: str) -> None:
        """Records the ids in resource names like `spaces/A/messages/B` as this world's."""
        for name in names:
            parts = name.split("/")
            self.ids.update(parts[i] for i in range(1, len(parts), 2) if parts[i] not in ("me", "-"))

    @property
    def chat(self):
        return self.server.chat

    async def add(self, space_name: str, email: str, md=None, role=None) -> membership_pb2.Membership:
        membership = await self.chat.CreateMembership(membership_pb2.CreateMembershipRequest(
            parent=space_name, membership=membership_pb2.Membership(member=user_pb2.User(name=f"users/{email}"))),
            metadata=md or self.md("manager"))
        if role:
            membership = await self.chat.UpdateMembership(membership_pb2.UpdateMembershipRequest(
                membership=membership_pb2.Membership(name=membership.name, role=role),
                update_mask={"paths": ["role"]}), metadata=md or self.md("manager"))
        return membership

    async def post(self, who: str = "manager", text: str = "hello", space_name: str | None = None,
                   **fields) -> message_pb2.Message:
        md = self.app_md() if who == "app" else self.md(who)
        message = await self.chat.CreateMessage(message_pb2.CreateMessageRequest(
            parent=space_name or self.space.name, message=message_pb2.Message(text=text, **fields)), metadata=md)
        self.remember(message.name)
        return message

    async def new_space(self, **fields) -> space_pb2.Space:
        """Another space of the manager's with the member (and the app) in it, like the world's own."""
        display_name = f"Matrix {self.tag} {uuid.uuid4().hex[:4]}"  # the tag: searches find the world's spaces
        space = await self.chat.CreateSpace(space_pb2.CreateSpaceRequest(space=space_pb2.Space(
            space_type=space_pb2.Space.SpaceType.SPACE, display_name=display_name, **fields)),
            metadata=self.md("manager"))
        self.remember(space.name)
        member = await self.add(space.name, self.email("member"))
        self.extra.setdefault("member_ids", {})["member"] = member.member.name
        app = await self.chat.CreateMembership(membership_pb2.CreateMembershipRequest(
            parent=space.name, membership=membership_pb2.Membership(member=user_pb2.User(name="users/app"))),
            metadata=self.md("manager", "chat.memberships.app", app=self.app_name))
        self.extra.setdefault("app_membership", app.name)
        return space


async def make_world(server, *, messages: bool = True) -> World:
    world = World(server, uuid.uuid4().hex[:8])
    world.space = await world.new_space()
    if messages:
        for who in ("manager", "member", "app"):
            world.messages[who] = await world.post(who, f"from the {who} {world.tag}")
    return world


# --- playing cases ------------------------------------------------------------------------------------------------
Build = Callable[[World, str], Awaitable[object]]  # (world, caller) -> request
Effect = Callable[[World, str, object, object], Awaitable[str | None]]  # (world, caller, request, response)


@dataclass
class Case:
    caller: str
    expect: object  # OK or a Refused
    note: str = ""  # a nuance: what is special about this case
    build: Build | None = None  # overrides the scenario's request
    effect: Effect | None = None  # overrides the scenario's effect check
    vary: Callable[[World, object], list[str]] | None = None  # HIDDEN: which ids to swap for absent ones

    @property
    def label(self) -> str:
        return f"{self.caller}{f' ({self.note})' if self.note else ''}"


def table_cases(table: dict[str, object], vary=None) -> list[Case]:
    return [Case(caller, expect, vary=vary) for caller, expect in table.items()]


def metadata(world: World, rpc: str, caller: str) -> tuple:
    """The caller's credentials with every scope the RPC accepts for its kind of caller, so that only the role
    can refuse it."""
    rule = CHAT_RULES[rpc]
    user_scopes = sorted(rule.scopes_for(USER)) or ["chat.spaces"]
    if caller in (APP_MEMBER, APP_OUTSIDER):
        return world.app_md(*(sorted(rule.scopes_for(APP)) or ["chat.bot"]), outsider=caller == APP_OUTSIDER)
    if caller in (ADMIN_ACCESS, ADMIN_PLAIN):
        scopes = sorted(rule.scopes_for(ADMIN)) + user_scopes if caller == ADMIN_ACCESS else user_scopes
        return world.server.md(user=world.email("admin"), scopes=scopes, admin=True)
    who = {OUTSIDER: "outsider", MEMBER: "member", MANAGER: "manager", USER_FLAG: "member"}[caller]
    scopes = sorted(set(rule.scopes)) if caller == USER_FLAG else user_scopes
    return world.md(who, *scopes)


def _fake(identifier: str) -> str:
    """An id of the same shape that names nothing: the last three characters shifted within their class."""
    def shift(c: str) -> str:
        for lo, hi in (("0", "9"), ("a", "z"), ("A", "Z")):
            if lo <= c <= hi:
                return lo if c == hi else chr(ord(c) + 1)
        return c
    return identifier[:-3] + "".join(shift(c) for c in identifier[-3:])


def _substituted(request, real: str, fake: str):
    text = text_format.MessageToString(request)
    return text_format.Parse(text.replace(real, fake), type(request)())


def _error_shape(error: grpc.aio.AioRpcError, fake: str, real: str) -> tuple:
    info = rpc_error_details(error).get("ErrorInfo")
    reason = info.reason if info else None
    meta = tuple(sorted((k, v.replace(fake, real)) for k, v in info.metadata.items())) if info else ()
    return error.code(), (error.details() or "").replace(fake, real), reason, meta


async def _call(world: World, rpc: str, request, md, transport: str = rest_leg.GRPC):
    try:
        if transport == rest_leg.REST:
            return await rest_leg.call(world.server, CHAT_SERVICE, rpc, request, md), None
        return await getattr(world.chat, rpc)(request, metadata=md, timeout=10), None
    except (grpc.aio.AioRpcError, RestError) as error:
        return None, error


async def run(server, rpc: str, build: Build, cases: list[Case], effect: Effect | None = None,
              world_factory=make_world, transport: str = rest_leg.GRPC) -> list[str]:
    """Plays every case of one RPC in one fresh world; returns a line per case that went wrong. `transport`:
    how the call under test travels (`rest`: over HTTP/JSON; set-up and effect checks stay on gRPC)."""
    world = await world_factory(server)
    problems = []
    for case in cases:
        try:
            problem = await _play(world, rpc, build, case, effect, transport)
        except grpc.aio.AioRpcError as error:  # set-up or effect check failed
            problem = f"set-up or check call failed: {error.code().name} {error.details()}"
        if problem:
            problems.append(f"{case.label}: expected {case.expect}; {problem}")
    return problems


async def _play(world: World, rpc: str, build: Build, case: Case, effect: Effect | None,
                transport: str = rest_leg.GRPC) -> str | None:
    request = await (case.build or build)(world, case.caller)
    if case.caller in (ADMIN_ACCESS, USER_FLAG):
        request.use_admin_access = True
    md = metadata(world, rpc, case.caller)
    response, error = await _call(world, rpc, request, md, transport)
    if case.expect == OK:
        if error is not None:
            reason = error_reason(error)
            return f"got {error.code().name} {reason}: {error.details()}"
        check = case.effect or effect
        return await check(world, case.caller, request, response) if check else None
    if error is None:
        return "the call succeeded"
    reason = error_reason(error)
    if error.code() != case.expect.code or (case.expect.reason and reason != case.expect.reason):
        return f"got {error.code().name} {reason}: {error.details()}"
    if not (case.expect.hidden or case.expect.as_if_absent):
        return None
    # A refused caller learns nothing: the same call for an absent resource of the same kind fails alike.
    text = text_format.MessageToString(request)
    ids = case.vary(world, request) if case.vary else [i for i in world.ids if i in text]
    if not ids:
        return "no resource id to vary (the HIDDEN check would prove nothing)"
    for real in ids:
        fake = _fake(real)
        _, other = await _call(world, rpc, _substituted(request, real, fake), md, transport)
        if other is None:
            return f"the call for an absent {real!r} succeeded"
        hidden, absent = _error_shape(error, fake, real), _error_shape(other, fake, real)
        if hidden != absent:
            return f"hidden and absent differ when varying {real!r}:\n      hidden {hidden}\n      absent {absent}"
    return None



def report(rpc: str, cases: list[Case], problems: list[str]) -> str:
    return f"{rpc}: {len(problems)} of {len(cases)} cases wrong:\n  " + "\n  ".join(problems)


def applicable(rpc: str, table: dict[str, object]) -> dict[str, object]:
    """Drops the admin-access callers of RPCs whose request has no use_admin_access field."""
    from google.chat.v1 import chat_service_pb2

    method = chat_service_pb2.DESCRIPTOR.services_by_name["ChatService"].methods_by_name[rpc]
    if "use_admin_access" in method.input_type.fields_by_name:
        return table
    return {c: e for c, e in table.items() if c not in (ADMIN_ACCESS, USER_FLAG)}


KINDS = {"user": USER, "app": APP, "admin": ADMIN}
