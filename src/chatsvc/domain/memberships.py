"""Memberships: who belongs to a space, and in which role.

Every add is a direct add (state JOINED): Google invites instead only when the member's auto-accept policy
is off, and a self-hosted server has no such policy. INVITED memberships are still honoured wherever they
are stored (listing with show_invited, get, delete, role changes); they count towards nothing.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from chatsvc.aip.names import MemberRef, membership_name
from chatsvc.domain import events
from chatsvc.domain import membership_rules as rules
from chatsvc.domain.access import read, visible_space, write
from chatsvc.domain.errors import AlreadyExists, FailedPrecondition, InvalidArgument, NotFound, PermissionDenied
from chatsvc.domain.events import EventType
from chatsvc.domain.membership_filter import Condition
from chatsvc.domain.membership_rules import Actor
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
from chatsvc.domain.ports import Clock, Repositories, Transactions
from chatsvc.domain.principal import Principal
from chatsvc.domain.users import Directory
from chatsvc.events import outbox

MEMBER_FIELD = "membership.member.name"


@dataclass(frozen=True)
class MemberView:
    """A membership with the user it is about (None for a group)."""

    membership: Membership
    user: User | None


@dataclass(frozen=True)
class MemberDraft:
    """What CreateMembership asks for. The times are honoured only in import-mode spaces."""

    member: MemberRef
    declared_type: UserType = UserType.UNSPECIFIED  # membership.member.type, when the caller set it
    create_time_us: int = 0
    delete_time_us: int = 0


class Memberships:
    def __init__(self, db: Transactions, directory: Directory, clock: Clock):
        self._db = db
        self._directory = directory
        self._clock = clock

    async def create(self, principal: Principal, space_id: str, draft: MemberDraft, *,
                     admin_access: bool = False) -> MemberView:
        member = draft.member
        if principal.is_app and member.is_group:
            raise PermissionDenied("Adding a Google Group requires user authentication.",
                                   reason="APP_CANNOT_ADD_GROUP")
        if principal.is_app and member.is_app:
            raise PermissionDenied("A Chat app can't add a Chat app (itself included) with app authentication; "
                                   "use user authentication with the chat.memberships.app scope.",
                                   reason="APP_CANNOT_ADD_APP")
        if admin_access and member.is_app:
            raise InvalidArgument.field(MEMBER_FIELD, "Chat apps can't be added with administrator access")
        caller = await self._directory.caller(principal)

        async def work(repos: Repositories) -> MemberView:
            space, own = await visible_space(repos, space_id, caller, admin_access=admin_access)
            actor = Actor(principal, caller, own, admin_access)
            if member.is_group:
                user = None
                if space.space_type != SpaceType.SPACE:
                    raise InvalidArgument.field("membership.group_member.name",
                                                "Google Groups can only join spaces of type SPACE")
            else:
                user = await self._new_member(repos, member, principal, admin_access)
            is_app = user is not None and user.type == UserType.BOT
            if draft.declared_type not in (UserType.UNSPECIFIED, user.type if user else UserType.UNSPECIFIED):
                raise InvalidArgument.field("membership.member.type", f"`{member.value}` is not a "
                                            f"{draft.declared_type.name} user")
            rules.require_scope(actor, space, "chat.memberships.app" if is_app else "chat.memberships",
                                import_mode=not is_app)
            if space.space_type == SpaceType.DIRECT_MESSAGE and not is_app:
                raise FailedPrecondition("People can't be added to a direct message; only the calling app can.",
                                         reason="SPACE_IS_DM")
            rules.check_add(actor, space, app=is_app)
            member_id = user.id if user else member.value
            now = self._clock()
            created = Membership(
                space_id=space.id, member_id=member_id, state=MembershipState.JOINED, is_group=member.is_group,
                # Google Groups always have the unspecified role; people and apps join as members.
                role=MembershipRole.UNSPECIFIED if member.is_group else MembershipRole.MEMBER,
                create_time_us=now)
            if space.import_mode:
                created = _historical(created, draft, space, now)
            existing = await repos.memberships.get(space.id, member_id)
            if existing is not None:
                if existing.state != MembershipState.NOT_A_MEMBER:
                    raise AlreadyExists(f"`{membership_name(space.id, member_id)}` already exists.",
                                        reason="MEMBERSHIP_ALREADY_EXISTS")
                await repos.memberships.remove(space.id, member_id)  # an imported past membership
            await repos.memberships.add(created)
            await _count(repos, created, user, +1)
            await events.record(repos, space.id, EventType.MEMBERSHIP_CREATED, membership_name(space.id, member_id),
                                now)
            if is_app and not principal.is_app:  # the app's ADDED_TO_SPACE, queued with the membership
                await outbox.queue_for_membership(repos, space, member_id, caller.id, True, now)
            return MemberView(created, user)

        return await write(self._db, work)

    async def _new_member(self, repos: Repositories, member: MemberRef, principal: Principal,
                          admin_access: bool) -> User:
        """The user a new membership is for: a human (created on first sight by email) or the calling app."""
        user = await self._directory.resolve(repos, member, principal, MEMBER_FIELD, create=True)
        if user.type == UserType.BOT:
            if principal.is_app:
                raise PermissionDenied("A Chat app can't add a Chat app with app authentication.",
                                       reason="APP_CANNOT_ADD_APP")
            if admin_access:
                raise InvalidArgument.field(MEMBER_FIELD, "Chat apps can't be added with administrator access")
            if user.app_name != principal.app:
                raise InvalidArgument.field(MEMBER_FIELD, "only the calling app (`users/app`) can be added; "
                                            "memberships for other Chat apps can't be created")
        return user

    async def get(self, principal: Principal, space_id: str, member: MemberRef, *,
                  admin_access: bool = False) -> MemberView:
        if admin_access and member.is_app:
            raise InvalidArgument.field("name", "Chat apps' memberships can't be read with administrator access")
        caller = await self._directory.caller(principal)

        async def work(repos: Repositories) -> MemberView:
            space, own = await visible_space(repos, space_id, caller, admin_access=admin_access)
            view = await _find(repos, space, member, principal)
            actor = Actor(principal, caller, own, admin_access)
            if view.membership.member_id != caller.id:
                rules.check_view(actor, space)
            _check_kind_allowed(view, principal, admin_access, "name", "read")
            return view

        return await read(self._db, work)

    async def list(self, principal: Principal, space_id: str, *, after: str | None, limit: int,
                   condition: Condition | None = None, show_invited: bool = False, show_groups: bool = False,
                   admin_access: bool = False) -> Page:
        """A page of MemberViews; the users of a page are read in one query."""
        caller = await self._directory.caller(principal)

        async def work(repos: Repositories) -> Page:
            space, own = await visible_space(repos, space_id, caller, admin_access=admin_access)
            actor = Actor(principal, caller, own, admin_access)
            rules.require_scope(actor, space, "chat.memberships", "chat.memberships.readonly")
            rules.check_view(actor, space)
            states = (MembershipState.JOINED, MembershipState.INVITED) if show_invited else (MembershipState.JOINED,)
            # Google: with app authentication the list leaves out Chat apps' memberships (the caller's own too);
            # administrators never see them either.
            page = await repos.memberships.list(space_id, after=after, limit=limit, states=states,
                                                include_groups=show_groups, condition=condition,
                                                include_apps=not (principal.is_app or admin_access))
            users = await repos.users.get_many({m.member_id for m in page.items if not m.is_group})
            return Page([MemberView(m, users.get(m.member_id)) for m in page.items], page.next_position)

        return await read(self._db, work)

    async def update_role(self, principal: Principal, space_id: str, member: MemberRef, role: MembershipRole, *,
                          admin_access: bool = False) -> MemberView:
        if admin_access and member.is_app:
            raise InvalidArgument.field("membership.name", "Chat apps' memberships have no role to change")
        caller = await self._directory.caller(principal)

        async def work(repos: Repositories) -> MemberView:
            await repos.memberships.lock_space(space_id)
            space, own = await visible_space(repos, space_id, caller, admin_access=admin_access)
            actor = Actor(principal, caller, own, admin_access)
            rules.require_scope(actor, space, "chat.memberships")
            if principal.is_app and not admin_access and space.creator_id != caller.id:
                raise PermissionDenied("With app authentication, a Chat app can change roles only in spaces it "
                                       "created.", reason="NOT_SPACE_CREATOR")
            view = await _find(repos, space, member, principal)
            target = view.membership
            _check_kind_allowed(view, principal, admin_access, "membership.name", "changed")
            if target.is_group or (view.user is not None and view.user.type == UserType.BOT):
                raise InvalidArgument.field("membership.role", "only people have roles; Google Groups and Chat "
                                            "apps keep theirs")
            rules.check_role_change(actor, space, target, role)
            if target.role == role:
                return view
            if target.role == MembershipRole.MANAGER:
                await _keep_an_owner(repos, space, target, "change the role of")
            await repos.memberships.set_role(space.id, target.member_id, role)
            await events.record(repos, space.id, EventType.MEMBERSHIP_UPDATED,
                                membership_name(space.id, target.member_id), self._clock())
            return MemberView(replace(target, role=role), view.user)

        return await write(self._db, work)

    async def delete(self, principal: Principal, space_id: str, member: MemberRef, *,
                     admin_access: bool = False) -> MemberView:
        """Removes a membership and returns it as it was, now NOT_A_MEMBER with its delete time."""
        if admin_access and member.is_app:
            raise InvalidArgument.field("name", "Chat apps' memberships can't be deleted with administrator access")
        if principal.is_app and member.is_app:
            raise PermissionDenied("Removing a Chat app requires user authentication with the "
                                   "chat.memberships.app scope.", reason="APP_CANNOT_REMOVE_APP")
        caller = await self._directory.caller(principal)

        async def work(repos: Repositories) -> MemberView:
            await repos.memberships.lock_space(space_id)
            space, own = await visible_space(repos, space_id, caller, admin_access=admin_access)
            actor = Actor(principal, caller, own, admin_access)
            view = await _find(repos, space, member, principal)
            target = view.membership
            _check_kind_allowed(view, principal, admin_access, "name", "deleted")
            is_app = view.user is not None and view.user.type == UserType.BOT
            if is_app and principal.is_app:
                raise PermissionDenied("Removing a Chat app requires user authentication with the "
                                       "chat.memberships.app scope.", reason="APP_CANNOT_REMOVE_APP")
            if is_app and view.user.app_name != principal.app:
                raise PermissionDenied("A Chat app can remove only its own membership, not other apps'.",
                                       reason="OTHER_APP_MEMBERSHIP")
            rules.require_scope(actor, space, "chat.memberships.app" if is_app else "chat.memberships",
                                import_mode=not is_app)
            if space.space_type == SpaceType.DIRECT_MESSAGE and not is_app:
                raise FailedPrecondition("People can't leave or be removed from a direct message.",
                                         reason="SPACE_IS_DM")
            rules.check_remove(actor, space, target, leaving=target.member_id == caller.id, app=is_app)
            if target.role == MembershipRole.MANAGER:
                await _keep_an_owner(repos, space, target, "remove")
            now = self._clock()
            await repos.memberships.remove(space.id, target.member_id)
            await _count(repos, target, view.user, -1)
            await events.record(repos, space.id, EventType.MEMBERSHIP_DELETED,
                                membership_name(space.id, target.member_id), now)
            if is_app:  # the app's REMOVED_FROM_SPACE, queued with the removal
                await outbox.queue_for_membership(repos, space, target.member_id, caller.id, False, now)
            return MemberView(replace(target, state=MembershipState.NOT_A_MEMBER, delete_time_us=now), view.user)

        return await write(self._db, work)


async def _find(repos: Repositories, space: Space, member: MemberRef, principal: Principal) -> MemberView:
    """The membership `spaces/{space}/members/{member}` names: a user id, an email, `app` or a group id."""
    member_id: str | None = member.value
    if member.is_app:
        app = await repos.users.by_app_name(principal.app)
        member_id = app.id if app else None
    elif member.is_email:
        human = await repos.users.by_email(member.value.lower())
        member_id = human.id if human else None
    found = await repos.memberships.get(space.id, member_id) if member_id else None
    if found is None:
        raise NotFound(f"Membership `{membership_name(space.id, member.value)}` not found.",
                       reason="MEMBERSHIP_NOT_FOUND")
    user = None if found.is_group else await repos.users.get(found.member_id)
    return MemberView(found, user)


def _check_kind_allowed(view: MemberView, principal: Principal, admin_access: bool, field: str, verb: str) -> None:
    """Google Groups' memberships need user authentication; apps' memberships are out of administrators' reach."""
    if view.membership.is_group and principal.is_app:
        raise PermissionDenied(f"Google Group memberships can be {verb} only with user authentication.",
                               reason="APP_CANNOT_ACCESS_GROUP")
    if admin_access and view.user is not None and view.user.type == UserType.BOT:
        raise InvalidArgument.field(field, f"Chat apps' memberships can't be {verb} with administrator access")


async def _keep_an_owner(repos: Repositories, space: Space, target: Membership, action: str) -> None:
    """Google: a space's only owner can't be removed (or demoted); another owner must be appointed first."""
    if space.space_type != SpaceType.SPACE or target.state != MembershipState.JOINED:
        return
    owners = await repos.memberships.joined_with_role(space.id, MembershipRole.MANAGER)
    if owners == [target.member_id]:
        raise FailedPrecondition(
            f"Can't {action} the only owner (ROLE_MANAGER) of this space; make another member an owner first.",
            reason="LAST_SPACE_OWNER")


async def _count(repos: Repositories, membership: Membership, user: User | None, sign: int) -> None:
    """membership_count counts joined people and joined groups."""
    if membership.state != MembershipState.JOINED:
        return
    human = int(user is not None and user.type == UserType.HUMAN)
    if human or membership.is_group:
        await repos.spaces.add_member_counts(membership.space_id, humans=sign * human,
                                             groups=sign * int(membership.is_group))


def _historical(created: Membership, draft: MemberDraft, space: Space, now: int) -> Membership:
    """Import mode: a membership may carry its historical create time, and a delete time if it has ended."""
    start = draft.create_time_us or now
    if draft.create_time_us and not space.create_time_us <= draft.create_time_us <= now:
        raise InvalidArgument.field("membership.create_time",
                                    "must lie between the space's create time and now")
    if draft.delete_time_us:
        if not start < draft.delete_time_us <= now:
            raise InvalidArgument.field("membership.delete_time", "must lie after the create time and not in the "
                                        "future")
        return replace(created, create_time_us=start, delete_time_us=draft.delete_time_us,
                       state=MembershipState.NOT_A_MEMBER)
    return replace(created, create_time_us=start)
