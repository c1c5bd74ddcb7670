"""Brands and their members (agents).

A brand exists only for its members: to anyone else every name in it is NOT_FOUND, with the message an
absent brand gets. Agents may read the members; admins also add and remove them and may delete the brand.
Any member may leave; the last admin may not, so a brand always has someone to manage it. In member names
`brands/{brand}/members/me` means the caller.
"""
from __future__ import annotations

import uuid

from chatsvc.aip import directory_names as names
from chatsvc.aip import names as chat_names
from chatsvc.domain.access import read, write
from chatsvc.domain.brand_access import brand_member, require_admin
from chatsvc.domain.contact_drafts import checked_email, checked_text
from chatsvc.domain.directory_models import Brand, Member, MemberRole
from chatsvc.domain.errors import AlreadyExists, FailedPrecondition, InvalidArgument, NotFound
from chatsvc.domain.models import Page, User, UserType
from chatsvc.domain.ports import Clock, Repositories, Transactions
from chatsvc.domain.principal import Principal
from chatsvc.domain.users import Directory

MAX_DISPLAY_NAME = 256
MAX_SIGNATURE = 10_000


def page_of(items: list, limit: int, position) -> Page:
    """A page from `limit + 1` rows: the extra row only says that there is a next page."""
    shown = items[:limit]
    return Page(shown, position(shown[-1]) if len(items) > limit else None)


def keyset(after: tuple | None) -> tuple[int, str] | None:
    return (int(after[0]), str(after[1])) if after else None


def member_not_found(brand_id: str, user_id: str) -> NotFound:
    return NotFound(f"Member `{names.member_name(brand_id, user_id)}` not found.", reason="MEMBER_NOT_FOUND")


class Brands:
    def __init__(self, db: Transactions, users: Directory, clock: Clock):
        self._db = db
        self._users = users
        self._clock = clock

    # ---- brands

    async def create(self, principal: Principal, display_name: str) -> Brand:
        name = checked_text(display_name, "brand.display_name", MAX_DISPLAY_NAME, required=True)
        user = await self._users.caller(principal)
        now = self._clock()
        brand = Brand(id=str(uuid.uuid4()), display_name=name, create_time_us=now)

        async def create(repos: Repositories) -> Brand:
            await repos.directory.add_brand(brand)
            await repos.directory.add_member(Member(brand.id, user.id, user.email, MemberRole.ADMIN,
                                                    user.display_name, create_time_us=now))
            return brand
        return await write(self._db, create)

    async def get(self, principal: Principal, name: str) -> Brand:
        brand_id = names.parse_brand(name)
        user = await self._users.caller(principal)

        async def get(repos: Repositories) -> Brand:
            await brand_member(repos, brand_id, user)
            return await repos.directory.brand(brand_id)
        return await read(self._db, get)

    async def list(self, principal: Principal, after: tuple | None, limit: int) -> Page:
        user = await self._users.caller(principal)
        rows = await read(self._db, lambda repos: repos.directory.brands_of_user(user.id, keyset(after), limit + 1))
        return page_of(rows, limit, lambda b: (b.create_time_us, b.id))

    async def delete(self, principal: Principal, name: str) -> None:
        brand_id = names.parse_brand(name)
        user = await self._users.caller(principal)

        async def delete(repos: Repositories) -> None:
            await repos.directory.lock_brand(brand_id)
            require_admin(await brand_member(repos, brand_id, user))
            if await repos.directory.brand_has_campaigns(brand_id):
                raise FailedPrecondition(f"Brand `{name}` has email campaigns; delete them first.",
                                         reason="BRAND_HAS_CAMPAIGNS")
            await repos.directory.delete_brand(brand_id)
        await write(self._db, delete)

    # ---- members

    async def add_member(self, principal: Principal, parent: str, user_ref: str, role: MemberRole | None,
                         display_name: str, email_signature: str) -> Member:
        brand_id = names.parse_brand(parent, "parent")
        if not user_ref:
            raise InvalidArgument.field("member.user", "is required: `users/{email}` or `users/{user id}`")
        ref = chat_names.user(user_ref, "member.user")
        if ref.is_email:
            checked_email(ref.value, "member.user")
        display_name = checked_text(display_name, "member.display_name", MAX_DISPLAY_NAME)
        if len(email_signature) > MAX_SIGNATURE:
            raise InvalidArgument.field("member.email_signature", f"must be at most {MAX_SIGNATURE} characters")
        caller = await self._users.caller(principal)

        async def add(repos: Repositories) -> Member:
            require_admin(await brand_member(repos, brand_id, caller))
            user = await self._member_user(repos, ref, caller)
            if await repos.directory.member(brand_id, user.id) is not None:
                raise AlreadyExists(f"`{user_ref}` is already a member of `{parent}`.", reason="MEMBER_ALREADY_EXISTS")
            member = Member(brand_id, user.id, user.email, role or MemberRole.AGENT,
                            display_name or user.display_name, email_signature, self._clock())
            await repos.directory.add_member(member)
            return member
        return await write(self._db, add)

    async def _member_user(self, repos: Repositories, ref, caller: User) -> User:
        """The human a new member names: `me`, an email (created on first sight: that is how one invites a
        newcomer) or a known user id."""
        if ref.is_me:
            return caller
        if ref.is_email:
            return await self._users.ensure(repos, UserType.HUMAN, ref.value)
        user = None if ref.is_app else await repos.users.get(ref.value)
        if user is None:
            raise NotFound(f"User `users/{ref.value}` not found.", reason="USER_NOT_FOUND")
        if user.type != UserType.HUMAN or not user.email:
            raise InvalidArgument.field("member.user", "must be a person with an email address, not an app")
        return user

    async def get_member(self, principal: Principal, name: str) -> Member:
        brand_id, user_id = names.parse_member(name)
        caller = await self._users.caller(principal)

        async def get(repos: Repositories) -> Member:
            mine = await brand_member(repos, brand_id, caller)
            member = mine if user_id in ("me", caller.id) else await repos.directory.member(brand_id, user_id)
            if member is None:
                raise member_not_found(brand_id, user_id)
            return member
        return await read(self._db, get)

    async def list_members(self, principal: Principal, parent: str, after: tuple | None, limit: int) -> Page:
        brand_id = names.parse_brand(parent, "parent")
        caller = await self._users.caller(principal)

        async def members(repos: Repositories) -> list[Member]:
            await brand_member(repos, brand_id, caller)
            return await repos.directory.members(brand_id, keyset(after), limit + 1)
        return page_of(await read(self._db, members), limit, lambda m: (m.create_time_us, m.user_id))

    async def remove_member(self, principal: Principal, name: str) -> None:
        brand_id, user_id = names.parse_member(name)
        caller = await self._users.caller(principal)

        async def remove(repos: Repositories) -> None:
            await repos.directory.lock_brand(brand_id)  # two admins removing each other must not both succeed
            mine = await brand_member(repos, brand_id, caller)
            leaving = user_id in ("me", caller.id)
            if not leaving:
                require_admin(mine)
            target = mine if leaving else await repos.directory.member(brand_id, user_id)
            if target is None:
                raise member_not_found(brand_id, user_id)
            if target.role == MemberRole.ADMIN and await repos.directory.admin_count(brand_id) <= 1:
                raise FailedPrecondition(f"`{names.member_name(brand_id, target.user_id)}` is the brand's last "
                                         "admin; add another admin first, or delete the brand.",
                                         reason="LAST_BRAND_ADMIN")
            await repos.directory.delete_member(brand_id, target.user_id)
        await write(self._db, remove)
