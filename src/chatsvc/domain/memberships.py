"""Memberships: who belongs to a space, and in which role."""
from __future__ import annotations

from dataclasses import dataclass

from chatsvc.aip.names import MemberRef, membership_name
from chatsvc.domain import events
from chatsvc.domain.access import read, visible_space, write
from chatsvc.domain.errors import AlreadyExists, FailedPrecondition, InvalidArgument, PermissionDenied
from chatsvc.domain.events import EventType
from chatsvc.domain.models import Membership, MembershipRole, MembershipState, Page, SpaceType, User, UserType
from chatsvc.domain.ports import Clock, Transactions
from chatsvc.domain.principal import Principal
from chatsvc.domain.users import Directory


@dataclass(frozen=True)
class MemberView:
    """A membership with the user it is about (None for a group)."""

    membership: Membership
    user: User | None


class Memberships:
    def __init__(self, db: Transactions, directory: Directory, clock: Clock):
        self._db = db
        self._directory = directory
        self._clock = clock

    async def create(self, principal: Principal, space_id: str, member: MemberRef,
                     role: MembershipRole = MembershipRole.MEMBER, *, admin_access: bool = False) -> MemberView:
        caller = await self._directory.caller(principal)
        if role == MembershipRole.UNSPECIFIED:
            role = MembershipRole.MEMBER
        if principal.is_app and member.is_group:
            raise PermissionDenied("A Chat app cannot add a Google Group.", reason="APP_CANNOT_ADD_GROUP")

        async def work(repos) -> MemberView:
            space, own = await visible_space(repos, space_id, caller, admin_access=admin_access)
            if space.space_type == SpaceType.DIRECT_MESSAGE:
                raise FailedPrecondition("Members cannot be added to a direct message.", reason="SPACE_IS_DM")
            if member.is_group and space.space_type != SpaceType.SPACE:
                raise InvalidArgument.field("membership.group_member", "groups can only join spaces of type SPACE")
            if role == MembershipRole.MANAGER and not admin_access and (
                    own is None or own.role != MembershipRole.MANAGER):
                raise PermissionDenied("Only space managers can add managers.", reason="NOT_SPACE_MANAGER")
            user = None
            if member.is_group:
                member_id = member.value
            else:
                user = await self._directory.resolve(repos, member, principal, "membership.member.name", create=True)
                if user.type == UserType.BOT and user.app_name != principal.app:
                    raise InvalidArgument.field("membership.member.name", "only the calling app can add itself")
                member_id = user.id
            if await repos.memberships.get(space.id, member_id) is not None:
                raise AlreadyExists(f"`{membership_name(space.id, member_id)}` already exists.",
                                    reason="MEMBERSHIP_ALREADY_EXISTS")
            created = Membership(space_id=space.id, member_id=member_id, role=role, state=MembershipState.JOINED,
                                 is_group=member.is_group, create_time_us=self._clock())
            await repos.memberships.add(created)
            await events.record(repos, space.id, EventType.MEMBERSHIP_CREATED,
                                membership_name(space.id, member_id), created.create_time_us)
            human = int(user is not None and user.type == UserType.HUMAN)
            await repos.spaces.add_member_counts(space.id, humans=human, groups=int(member.is_group))
            return MemberView(created, user)

        return await write(self._db, work)

    async def list(self, principal: Principal, space_id: str, *, after: str | None, limit: int,
                   show_invited: bool = False, show_groups: bool = False, admin_access: bool = False) -> Page:
        """A page of MemberViews; the users of a page are read in one query."""
        caller = await self._directory.caller(principal)

        async def work(repos) -> Page:
            await visible_space(repos, space_id, caller, admin_access=admin_access)
            states = (MembershipState.JOINED, MembershipState.INVITED) if show_invited else (MembershipState.JOINED,)
            # Google: with app authentication the list leaves out Chat apps' memberships, the caller's own too.
            page = await repos.memberships.list(space_id, after=after, limit=limit, states=states,
                                                include_groups=show_groups, include_apps=not principal.is_app)
            users = await repos.users.get_many({m.member_id for m in page.items if not m.is_group})
            return Page([MemberView(m, users.get(m.member_id)) for m in page.items], page.next_position)

        return await read(self._db, work)
