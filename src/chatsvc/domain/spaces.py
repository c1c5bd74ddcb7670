"""Spaces: create, get, list, update, delete, complete an import, search. The rules of new spaces live in
space_drafts.py, of updates in space_updates.py, set-up and the DM / group chat look-ups in space_setup.py,
the query languages in space_search.py."""
from __future__ import annotations

from dataclasses import replace

from chatsvc.aip.names import membership_name, space_name
from chatsvc.domain import events
from chatsvc.domain.access import read, visible_space, write
from chatsvc.domain.errors import FailedPrecondition, InvalidArgument, PermissionDenied
from chatsvc.domain.events import EventType
from chatsvc.domain.models import Membership, MembershipRole, MembershipState, Page, Space, SpaceType, User, UserType
from chatsvc.domain.ports import Clock, Repositories, Transactions
from chatsvc.domain.principal import Principal
from chatsvc.domain.space_drafts import (
    CUSTOMER,
    EARLIEST_IMPORT_US,
    NO_GRANTS,
    Grants,
    SpaceDraft,
    check_details,
    check_request_id,
    claim_display_name,
    earlier_request,
    new_space,
)
from chatsvc.domain.space_rules import DEFAULT_CUSTOMER
from chatsvc.domain.space_search import SearchOrder, SpaceQuery
from chatsvc.domain.space_setup import SpaceSetup
from chatsvc.domain.space_updates import SpacePatch, apply_patch
from chatsvc.domain.users import Directory


class Spaces(SpaceSetup):
    def __init__(self, db: Transactions, directory: Directory, clock: Clock):
        self._db = db
        self._directory = directory
        self._clock = clock

    async def caller(self, principal: Principal) -> User:
        return await self._directory.caller(principal)

    async def create(self, principal: Principal, draft: SpaceDraft, request_id: str = "", *,
                     grants: Grants = NO_GRANTS) -> Space:
        now = self._clock()
        _check_create(principal, draft, grants, now)
        check_request_id(request_id)
        creator = await self._directory.caller(principal)

        async def work(repos: Repositories) -> Space:
            earlier = await earlier_request(repos, creator.id, request_id)
            if earlier is not None:
                return earlier
            space = new_space(draft, creator.id, now, request_id, draft.customer or DEFAULT_CUSTOMER)
            await claim_display_name(repos, space)
            if draft.import_mode:  # members come with the import, the creator when it completes
                await repos.spaces.add(space)
                return space
            space.joined_humans = int(creator.type == UserType.HUMAN)
            await repos.spaces.add(space)
            role = MembershipRole.MEMBER if principal.is_app else MembershipRole.MANAGER
            await repos.memberships.add(Membership(space_id=space.id, member_id=creator.id, role=role,
                                                   state=MembershipState.JOINED, create_time_us=now))
            return space

        return await write(self._db, work)

    async def get(self, principal: Principal, space_id: str, *, admin_access: bool = False) -> Space:
        caller = await self._directory.caller(principal)

        async def work(repos: Repositories) -> Space:
            space, _ = await visible_space(repos, space_id, caller, admin_access=admin_access)
            return space

        return await read(self._db, work)

    async def list(self, principal: Principal, *, after: str | None, limit: int,
                   types: frozenset[SpaceType] | None = None) -> Page:
        caller = await self._directory.caller(principal)
        return await read(self._db, lambda repos: repos.spaces.list_for_member(
            caller.id, after=after, limit=limit, types=types))

    async def update(self, principal: Principal, space_id: str, patch: SpacePatch, *, admin_access: bool = False,
                     grants: Grants = NO_GRANTS) -> Space:
        caller = await self._directory.caller(principal)

        async def work(repos: Repositories) -> Space:
            space, membership = await visible_space(repos, space_id, caller, admin_access=admin_access)
            _import_scope_reaches(grants, space)
            now = self._clock()
            updated, promote = apply_patch(space, patch, principal=principal, caller=caller, membership=membership,
                                           admin_access=admin_access)
            if (updated.display_name, updated.space_type) != (space.display_name, space.space_type):
                await claim_display_name(repos, updated)
            await repos.spaces.update(updated)
            await events.record(repos, space.id, EventType.SPACE_UPDATED, space_name(space.id), now)
            if promote:  # a group chat turned into a space gets its first manager: whoever turned it
                await repos.memberships.set_role(space.id, caller.id, MembershipRole.MANAGER)
                await events.record(repos, space.id, EventType.MEMBERSHIP_UPDATED,
                                    membership_name(space.id, caller.id), now)
            return updated

        return await write(self._db, work)

    async def delete(self, principal: Principal, space_id: str, *, admin_access: bool = False,
                     grants: Grants = NO_GRANTS) -> None:
        caller = await self._directory.caller(principal)

        async def work(repos: Repositories) -> None:
            space, membership = await visible_space(repos, space_id, caller, admin_access=admin_access)
            _import_scope_reaches(grants, space)
            # Admins may delete any space; an import-mode space is seen by its creator alone, who may.
            if not admin_access and not space.import_mode:
                if principal.is_app and space.creator_id != caller.id:
                    raise PermissionDenied("A Chat app can delete only the spaces it created.",
                                           reason="NOT_SPACE_CREATOR")
                if not principal.is_app and space.space_type == SpaceType.SPACE and (
                        membership.role != MembershipRole.MANAGER):
                    raise PermissionDenied("Only space managers can delete a space.", reason="NOT_SPACE_MANAGER")
            await repos.spaces.delete(space.id)

        await write(self._db, work)

    async def complete_import(self, principal: Principal, space_id: str) -> Space:
        """Ends import mode: the space becomes visible to its members, and its creator joins it (a manager of
        a named space) unless the import already made them a member."""
        caller = await self._directory.caller(principal)

        async def work(repos: Repositories) -> Space:
            space, _ = await visible_space(repos, space_id, caller)
            if not space.import_mode:
                raise FailedPrecondition(f"Space `{space_name(space.id)}` is not in import mode.",
                                         reason="SPACE_NOT_IN_IMPORT_MODE")
            now = self._clock()
            completed = replace(space, import_mode=False, import_mode_expire_time_us=0)
            await repos.spaces.update(completed)
            if await repos.memberships.get(space.id, caller.id) is None:
                role = MembershipRole.MANAGER if space.space_type == SpaceType.SPACE else MembershipRole.MEMBER
                await repos.memberships.add(Membership(space_id=space.id, member_id=caller.id, role=role,
                                                       state=MembershipState.JOINED, create_time_us=now))
                await repos.spaces.add_member_counts(space.id, humans=1, groups=0)
                completed.joined_humans += 1
                await events.record(repos, space.id, EventType.MEMBERSHIP_CREATED,
                                    membership_name(space.id, caller.id), now)
            await events.record(repos, space.id, EventType.SPACE_UPDATED, space_name(space.id), now)
            return completed

        return await write(self._db, work)

    async def search(self, principal: Principal, query: SpaceQuery, order: SearchOrder, *, after: tuple | None,
                     limit: int, admin_access: bool = False) -> tuple[Page, int]:
        """A page of matching spaces and how many match in all. Admins search their whole organization;
        others the spaces they have joined, and only by display name (Google answers nothing without one)."""
        caller = await self._directory.caller(principal)
        if not admin_access:
            if query.display_names is None:
                return Page([], None), 0
            query = query.for_member(caller.id)

        async def work(repos: Repositories) -> tuple[Page, int]:
            page = await repos.spaces.search(query, order, after=after, limit=limit)
            total = await repos.spaces.count(query) if admin_access else 0
            return page, total

        return await read(self._db, work)


def _import_scope_reaches(grants: Grants, space: Space) -> None:
    if grants.import_only and not space.import_mode:
        raise PermissionDenied("The `chat.import` scope reaches only spaces in import mode.",
                               reason="IMPORT_MODE_REQUIRED")


def _check_create(principal: Principal, draft: SpaceDraft, grants: Grants, now: int) -> None:
    check_details(draft)
    if draft.space_type == SpaceType.DIRECT_MESSAGE or (
            draft.space_type == SpaceType.GROUP_CHAT and not draft.import_mode):
        raise InvalidArgument.field("space.space_type", "must be SPACE (or GROUP_CHAT in import mode); use SetUpSpace "
                                                        "for group chats and direct messages")
    if draft.single_user_bot_dm:
        raise InvalidArgument.field("space.single_user_bot_dm", "applies only to direct messages (SetUpSpace)")
    if principal.is_app:
        if not draft.customer:
            raise InvalidArgument.field("space.customer", "is required when a Chat app creates a space")
        if draft.audience or draft.access_permissions:
            raise PermissionDenied("Making a space discoverable needs user authentication.",
                                   reason="USER_AUTHENTICATION_REQUIRED")
    elif draft.customer and draft.customer != DEFAULT_CUSTOMER:
        raise InvalidArgument.field("space.customer", f"a user creates spaces in their own organization; leave it "
                                                      f"unset or use `{DEFAULT_CUSTOMER}`")
    if draft.customer and not CUSTOMER.match(draft.customer):
        raise InvalidArgument.field("space.customer", "must have the form `customers/{customer}`")
    if draft.import_mode:
        if principal.is_app:
            raise PermissionDenied("Creating a space in import mode needs user authentication.",
                                   reason="USER_AUTHENTICATION_REQUIRED")
        if not grants.import_scope:
            raise PermissionDenied("Creating a space in import mode needs the `chat.import` scope.",
                                   reason="IMPORT_SCOPE_REQUIRED")
        if draft.audience or draft.access_permissions:
            raise InvalidArgument.field("space.access_settings", "cannot be set while the space is in import mode")
        if draft.create_time_us and not EARLIEST_IMPORT_US <= draft.create_time_us <= now:
            raise InvalidArgument.field("space.create_time", "must be between 2000-01-01 and now")
    elif grants.import_only:
        raise PermissionDenied("The `chat.import` scope can only create spaces in import mode.",
                               reason="IMPORT_MODE_REQUIRED")
