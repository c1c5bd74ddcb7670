"""SetUpSpace (a space, group chat or direct message with its first members), and the look-ups of an
existing direct message (FindDirectMessage) and of group chats by their members (FindGroupChats)."""
from __future__ import annotations

from dataclasses import dataclass

from chatsvc.aip.names import MemberRef, membership_name
from chatsvc.domain import events
from chatsvc.domain.access import read, write
from chatsvc.domain.errors import InvalidArgument, NotFound
from chatsvc.domain.events import EventType
from chatsvc.domain.models import (
    Membership,
    MembershipRole,
    MembershipState,
    Page,
    Space,
    SpaceType,
    User,
    UserType,
)
from chatsvc.domain.ports import Repositories
from chatsvc.domain.principal import Principal
from chatsvc.domain.space_drafts import (
    SpaceDraft,
    check_details,
    check_request_id,
    claim_display_name,
    earlier_request,
    new_space,
)
from chatsvc.domain.space_rules import DEFAULT_CUSTOMER

MAX_SETUP_MEMBERS = 49  # besides the caller
MAX_GROUP_CHAT_USERS = 49


@dataclass(frozen=True)
class Invitee:
    """One of SetUpSpace's memberships: who, the request field that named them, and whether the request
    typed them as a Chat app."""

    ref: MemberRef
    field: str
    typed_bot: bool = False


def dm_key(human_id: str, other_id: str, *, with_app: bool) -> str:
    """Who a direct message is between; storage keeps it unique, so a pair never gets a second DM."""
    if with_app:
        return f"app:{human_id}:{other_id}"
    first, second = sorted((human_id, other_id))
    return f"dm:{first}:{second}"


def dm_not_found() -> NotFound:
    # One answer whether the user is unknown, has no DM with the caller, or the caller left it.
    return NotFound("Direct message not found.", reason="DIRECT_MESSAGE_NOT_FOUND")


class SpaceSetup:
    """Mixed into Spaces, which provides `_db`, `_directory` and `_clock`."""

    async def set_up(self, principal: Principal, draft: SpaceDraft, invitees: list[Invitee],
                     request_id: str = "") -> Space:
        _check_setup(draft, invitees)
        check_request_id(request_id)
        creator = await self._directory.caller(principal)
        app = await self._directory.app(principal.app) if draft.single_user_bot_dm else None

        async def work(repos: Repositories) -> Space:
            earlier = await earlier_request(repos, creator.id, request_id)
            if earlier is not None:
                return earlier
            members = await self._resolve(repos, principal, creator, invitees)
            key = None
            if draft.space_type == SpaceType.DIRECT_MESSAGE:
                if app is not None:
                    members = [(app.id, app, False)]
                other = members[0][1]
                key = dm_key(creator.id, other.id, with_app=app is not None)
                existing = await repos.spaces.by_dm_key(key)
                if existing is not None:  # a pair has one DM: setting it up again finds it
                    return existing
            now = self._clock()
            customer = "" if draft.space_type == SpaceType.DIRECT_MESSAGE else DEFAULT_CUSTOMER
            space = new_space(draft, creator.id, now, request_id, customer)
            await claim_display_name(repos, space)
            space.joined_humans = 1 + sum(1 for _, user, _ in members if user and user.type == UserType.HUMAN)
            space.joined_groups = sum(1 for _, _, is_group in members if is_group)
            await repos.spaces.add(space, dm_key=key)
            own_role = MembershipRole.MANAGER if space.space_type == SpaceType.SPACE else MembershipRole.MEMBER
            await repos.memberships.add(Membership(space_id=space.id, member_id=creator.id, role=own_role,
                                                   state=MembershipState.JOINED, create_time_us=now))
            for member_id, _, is_group in members:
                await repos.memberships.add(Membership(space_id=space.id, member_id=member_id,
                                                       role=MembershipRole.MEMBER, state=MembershipState.JOINED,
                                                       is_group=is_group, create_time_us=now))
                await events.record(repos, space.id, EventType.MEMBERSHIP_CREATED,
                                    membership_name(space.id, member_id), now)
            return space

        return await write(self._db, work)

    async def _resolve(self, repos: Repositories, principal: Principal, creator: User,
                       invitees: list[Invitee]) -> list[tuple[str, User | None, bool]]:
        """(member id, user or None for a group, is_group) per invitee; emails of new people create them."""
        members, seen = [], set()
        for invitee in invitees:
            ref = invitee.ref
            if ref.is_group:
                member_id, user = ref.value, None
            else:
                if ref.is_me:
                    raise InvalidArgument.field(invitee.field, "leave out the calling user: they join anyway")
                if ref.is_app or invitee.typed_bot:
                    raise InvalidArgument.field(invitee.field, "only people can be added when setting up a space; "
                                                               "for a DM with the calling app, set single_user_bot_dm")
                user = await self._directory.resolve(repos, ref, principal, invitee.field, create=True)
                if user.type != UserType.HUMAN:
                    raise InvalidArgument.field(invitee.field, "only people can be added when setting up a space")
                if user.id == creator.id:
                    raise InvalidArgument.field(invitee.field, "leave out the calling user: they join anyway")
                member_id = user.id
            if (member_id, ref.is_group) in seen:
                raise InvalidArgument.field(invitee.field, "names a member listed already")
            seen.add((member_id, ref.is_group))
            members.append((member_id, user, ref.is_group))
        return members

    async def find_direct_message(self, principal: Principal, ref: MemberRef) -> Space:
        """User authentication: the DM between the caller and the user (`users/app`: the calling app).
        App authentication: the DM between the app and the user."""
        caller = await self._directory.caller(principal)
        if principal.is_app and ref.is_email:
            raise InvalidArgument.field("name", "with app authentication, name the user by id (`users/{user}`); "
                                                "emails are accepted with user authentication only")
        app = await self._directory.app(principal.app) if ref.is_app and not principal.is_app else None

        async def work(repos: Repositories) -> Space:
            if ref.is_me or ref.is_app:
                other = app
            elif ref.is_email:
                other = await repos.users.by_email(ref.value.lower())
            else:
                other = await repos.users.get(ref.value)
            if other is None or other.id == caller.id:
                raise dm_not_found()
            if principal.is_app:
                if other.type != UserType.HUMAN:
                    raise dm_not_found()
                key = dm_key(other.id, caller.id, with_app=True)
            else:
                key = dm_key(caller.id, other.id, with_app=other.type == UserType.BOT)
            space = await repos.spaces.by_dm_key(key)
            own = await repos.memberships.get(space.id, caller.id) if space is not None else None
            if own is None or own.state != MembershipState.JOINED:
                raise dm_not_found()
            return space

        return await read(self._db, work)

    async def find_group_chats(self, principal: Principal, refs: list[MemberRef], *, after: str | None,
                               limit: int) -> Page:
        """Group chats whose joined people are exactly the caller and `refs`. Apps among `refs`, or users
        nobody knows, match nothing."""
        if len(refs) > MAX_GROUP_CHAT_USERS:
            raise InvalidArgument.field("users", f"at most {MAX_GROUP_CHAT_USERS} users can be given")
        caller = await self._directory.caller(principal)

        async def work(repos: Repositories) -> Page:
            people = {caller.id}
            for ref in refs:
                if ref.is_me:
                    continue
                if ref.is_app:
                    return Page([], None)
                user = await (repos.users.by_email(ref.value.lower()) if ref.is_email else repos.users.get(ref.value))
                if user is None or user.type != UserType.HUMAN:
                    return Page([], None)
                people.add(user.id)
            return await repos.spaces.group_chats_of_exactly(caller.id, frozenset(people), after=after, limit=limit)

        return await read(self._db, work)


def _check_setup(draft: SpaceDraft, invitees: list[Invitee]) -> None:
    kind = draft.space_type
    if kind == SpaceType.UNSPECIFIED:
        raise InvalidArgument.field("space.space_type", "is required: SPACE, GROUP_CHAT or DIRECT_MESSAGE")
    if draft.import_mode:
        raise InvalidArgument.field("space.import_mode", "SetUpSpace does not import; use CreateSpace")
    if draft.customer and (kind == SpaceType.DIRECT_MESSAGE or draft.customer != DEFAULT_CUSTOMER):
        raise InvalidArgument.field("space.customer", "leave it unset: the space belongs to your organization")
    check_details(draft)
    if len(invitees) > MAX_SETUP_MEMBERS:
        raise InvalidArgument.field("memberships", f"at most {MAX_SETUP_MEMBERS} members can be added besides "
                                                   "the caller")
    if draft.single_user_bot_dm and kind != SpaceType.DIRECT_MESSAGE:
        raise InvalidArgument.field("space.single_user_bot_dm", "applies only to direct messages")
    if kind != SpaceType.SPACE:
        if draft.display_name:
            raise InvalidArgument.field("space.display_name", "leave it unset for group chats and direct messages")
        for invitee in invitees:
            if invitee.ref.is_group:
                raise InvalidArgument.field(invitee.field, "Google Groups can only join spaces of type SPACE")
    if kind == SpaceType.GROUP_CHAT and len(invitees) < 2:
        raise InvalidArgument.field("memberships", "a group chat needs at least two people besides the caller")
    if kind == SpaceType.DIRECT_MESSAGE:
        if draft.description or draft.guidelines:
            raise InvalidArgument.field("space.space_details", "leave it unset for direct messages")
        if draft.single_user_bot_dm and invitees:
            raise InvalidArgument.field("memberships", "must be empty for a direct message with the calling app")
        if not draft.single_user_bot_dm and len(invitees) != 1:
            raise InvalidArgument.field("memberships", "a direct message needs exactly one other person")
