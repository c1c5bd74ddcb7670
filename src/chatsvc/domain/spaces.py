"""Spaces: create, get, list, delete."""
from __future__ import annotations

import re
from dataclasses import dataclass

from chatsvc.aip import ids
from chatsvc.domain.access import read, visible_space, write
from chatsvc.domain.errors import AlreadyExists, InvalidArgument, PermissionDenied
from chatsvc.domain.models import Membership, MembershipRole, MembershipState, Page, Space, SpaceType, UserType
from chatsvc.domain.ports import Clock, Transactions
from chatsvc.domain.principal import Principal
from chatsvc.domain.users import Directory

DEFAULT_CUSTOMER = "customers/my_customer"
MAX_DISPLAY_NAME = 128
MAX_DESCRIPTION = 150
MAX_GUIDELINES = 5000
MAX_REQUEST_ID = 128  # the stored column's width; Google recommends a UUID (36 characters)
_CUSTOMER = re.compile(r"^customers/[A-Za-z0-9_-]{1,54}\Z")  # 64 characters in all, the stored column's width


@dataclass(frozen=True)
class SpaceDraft:
    space_type: SpaceType
    display_name: str = ""
    description: str = ""
    guidelines: str = ""
    external_user_allowed: bool = False
    import_mode: bool = False
    customer: str = ""
    extras: bytes = b""


class Spaces:
    def __init__(self, db: Transactions, directory: Directory, clock: Clock):
        self._db = db
        self._directory = directory
        self._clock = clock

    async def create(self, principal: Principal, draft: SpaceDraft, request_id: str = "") -> Space:
        _validate_draft(principal, draft)
        if len(request_id) > MAX_REQUEST_ID:
            raise InvalidArgument.field("request_id", f"must be at most {MAX_REQUEST_ID} characters")

        creator = await self._directory.caller(principal)

        async def work(repos) -> Space:
            if request_id:
                earlier = await repos.spaces.by_request_id(creator.id, request_id)
                if earlier is not None:
                    return earlier
                if await repos.spaces.other_creator_used_request_id(creator.id, request_id):
                    raise AlreadyExists("Another caller already used this `request_id`.", reason="REQUEST_ID_IN_USE")
            customer = draft.customer or DEFAULT_CUSTOMER
            if draft.space_type == SpaceType.SPACE and await repos.spaces.display_name_taken(
                    customer, draft.display_name):
                raise AlreadyExists(f"A space named `{draft.display_name}` already exists.",
                                    reason="SPACE_DISPLAY_NAME_IN_USE")
            now = self._clock()
            space = Space(
                id=ids.space_id(), space_type=draft.space_type, display_name=draft.display_name,
                description=draft.description, guidelines=draft.guidelines,
                external_user_allowed=draft.external_user_allowed, import_mode=draft.import_mode,
                customer=customer, create_time_us=now, last_active_time_us=now, creator_id=creator.id,
                request_id=request_id, extras=draft.extras)
            if not draft.import_mode:  # an import-mode space gets its members only when the import completes
                space.joined_humans = int(creator.type == UserType.HUMAN)
            await repos.spaces.add(space)
            if not draft.import_mode:
                await repos.memberships.add(Membership(
                    space_id=space.id, member_id=creator.id, state=MembershipState.JOINED, create_time_us=now,
                    role=MembershipRole.MEMBER if principal.is_app else MembershipRole.MANAGER))
            return space

        return await write(self._db, work)

    async def get(self, principal: Principal, space_id: str, *, admin_access: bool = False) -> Space:
        caller = await self._directory.caller(principal)

        async def work(repos) -> Space:
            space, _ = await visible_space(repos, space_id, caller, admin_access=admin_access)
            return space

        return await read(self._db, work)

    async def list(self, principal: Principal, *, after: str | None, limit: int) -> Page:
        caller = await self._directory.caller(principal)
        return await read(self._db, lambda repos: repos.spaces.list_for_member(caller.id, after=after, limit=limit))

    async def delete(self, principal: Principal, space_id: str, *, admin_access: bool = False) -> None:
        caller = await self._directory.caller(principal)

        async def work(repos) -> None:
            space, membership = await visible_space(repos, space_id, caller, admin_access=admin_access)
            if not admin_access:
                if principal.is_app and space.creator_id != caller.id:
                    raise PermissionDenied("A Chat app can delete only the spaces it created.",
                                           reason="NOT_SPACE_CREATOR")
                if not principal.is_app and space.space_type == SpaceType.SPACE and (
                        membership.role != MembershipRole.MANAGER):
                    raise PermissionDenied("Only space managers can delete a space.", reason="NOT_SPACE_MANAGER")
            await repos.spaces.delete(space.id)

        await write(self._db, work)


def _validate_draft(principal: Principal, draft: SpaceDraft) -> None:
    if draft.space_type != SpaceType.SPACE and not draft.import_mode:
        raise InvalidArgument.field("space.space_type", "must be SPACE; use SetUpSpace for group chats and DMs")
    if draft.space_type == SpaceType.SPACE and not draft.display_name.strip():
        raise InvalidArgument.field("space.display_name", "is required for a space of type SPACE")
    if len(draft.display_name) > MAX_DISPLAY_NAME:
        raise InvalidArgument.field("space.display_name", f"must be at most {MAX_DISPLAY_NAME} characters")
    if len(draft.description) > MAX_DESCRIPTION:
        raise InvalidArgument.field("space.space_details.description",
                                    f"must be at most {MAX_DESCRIPTION} characters")
    if len(draft.guidelines) > MAX_GUIDELINES:
        raise InvalidArgument.field("space.space_details.guidelines", f"must be at most {MAX_GUIDELINES} characters")
    if principal.is_app and not draft.customer:
        raise InvalidArgument.field("space.customer", "is required when a Chat app creates a space")
    if draft.customer and not _CUSTOMER.match(draft.customer):
        raise InvalidArgument.field("space.customer", "must have the form `customers/{customer}`")

