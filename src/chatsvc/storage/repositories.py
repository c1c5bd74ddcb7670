"""Repositories over one connection in one transaction. SQLAlchemy Core: rows become domain dataclasses."""
from __future__ import annotations

import hashlib

from sqlalchemy import delete, insert, or_, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncConnection

from chatsvc.domain.models import (
    HistoryState,
    Membership,
    MembershipRole,
    MembershipState,
    Message,
    Page,
    Space,
    SpaceType,
    ThreadingState,
    User,
    UserType,
)
from chatsvc.storage.tables import memberships, messages, server_settings, spaces, threads, users


class Repositories:
    def __init__(self, conn: AsyncConnection):
        self.settings = SettingsRepository(conn)
        self.users = UserRepository(conn)
        self.spaces = SpaceRepository(conn)
        self.memberships = MembershipRepository(conn)
        self.threads = ThreadRepository(conn)
        self.messages = MessageRepository(conn)


class SettingsRepository:
    def __init__(self, conn: AsyncConnection):
        self._conn = conn

    async def get(self, key: str) -> bytes | None:
        return await self._conn.scalar(select(server_settings.c.value).where(server_settings.c.key == key))

    async def put_if_absent(self, key: str, value: bytes) -> bytes:
        """Stores value unless the key has one already; returns whichever value is stored."""
        existing = await self.get(key)
        if existing is not None:
            return existing
        await self._conn.execute(insert(server_settings).values(key=key, value=value))
        return value


def _user(row) -> User:
    return User(id=row.id, type=UserType(row.type), email=row.email or "", app_name=row.app_name or "",
                display_name=row.display_name)


class UserRepository:
    def __init__(self, conn: AsyncConnection):
        self._conn = conn

    async def by_email(self, email: str) -> User | None:
        row = (await self._conn.execute(select(users).where(users.c.email == email))).first()
        return _user(row) if row else None

    async def by_app_name(self, app_name: str) -> User | None:
        row = (await self._conn.execute(select(users).where(users.c.app_name == app_name))).first()
        return _user(row) if row else None

    async def get(self, user_id: str) -> User | None:
        row = (await self._conn.execute(select(users).where(users.c.id == user_id))).first()
        return _user(row) if row else None

    async def get_many(self, user_ids: set[str]) -> dict[str, User]:
        if not user_ids:
            return {}
        rows = await self._conn.execute(select(users).where(users.c.id.in_(sorted(user_ids))))
        return {row.id: _user(row) for row in rows}

    async def add(self, user: User, now_us: int) -> None:
        await self._conn.execute(insert(users).values(
            id=user.id, type=int(user.type), email=user.email or None, app_name=user.app_name or None,
            display_name=user.display_name, create_time_us=now_us))


def _space(row) -> Space:
    return Space(
        id=row.id, space_type=SpaceType(row.space_type), display_name=row.display_name,
        description=row.description, guidelines=row.guidelines,
        threading_state=ThreadingState(row.threading_state), history_state=HistoryState(row.history_state),
        external_user_allowed=row.external_user_allowed, import_mode=row.import_mode,
        single_user_bot_dm=row.single_user_bot_dm, customer=row.customer, create_time_us=row.create_time_us,
        last_active_time_us=row.last_active_time_us, joined_humans=row.joined_humans,
        joined_groups=row.joined_groups, creator_id=row.creator_id, request_id=row.request_id, extras=row.extras)


def _space_values(space: Space) -> dict:
    return dict(
        id=space.id, space_type=int(space.space_type), display_name=space.display_name,
        description=space.description, guidelines=space.guidelines, threading_state=int(space.threading_state),
        history_state=int(space.history_state), external_user_allowed=space.external_user_allowed,
        import_mode=space.import_mode, single_user_bot_dm=space.single_user_bot_dm, customer=space.customer,
        create_time_us=space.create_time_us, last_active_time_us=space.last_active_time_us,
        joined_humans=space.joined_humans, joined_groups=space.joined_groups, creator_id=space.creator_id,
        request_id=space.request_id, extras=space.extras,
        display_name_key=space.display_name.casefold() if space.space_type == SpaceType.SPACE else None)


class SpaceRepository:
    def __init__(self, conn: AsyncConnection):
        self._conn = conn

    async def get(self, space_id: str) -> Space | None:
        row = (await self._conn.execute(select(spaces).where(spaces.c.id == space_id))).first()
        return _space(row) if row else None

    async def by_request_id(self, creator_id: str, request_id: str) -> Space | None:
        row = (await self._conn.execute(select(spaces).where(
            spaces.c.creator_id == creator_id, spaces.c.request_id == request_id))).first()
        return _space(row) if row else None

    async def other_creator_used_request_id(self, creator_id: str, request_id: str) -> bool:
        found = await self._conn.scalar(select(spaces.c.id).where(
            spaces.c.request_id == request_id, spaces.c.creator_id != creator_id).limit(1))
        return found is not None

    async def display_name_taken(self, customer: str, display_name: str) -> bool:
        found = await self._conn.scalar(select(spaces.c.id).where(
            spaces.c.customer == customer, spaces.c.display_name_key == display_name.casefold()).limit(1))
        return found is not None

    async def add(self, space: Space) -> None:
        await self._conn.execute(insert(spaces).values(**_space_values(space)))

    async def delete(self, space_id: str) -> None:
        # Children go explicitly, not only through ON DELETE CASCADE, so the outcome is the same whether or
        # not the database enforces foreign keys.
        for table in (messages, threads, memberships):
            await self._conn.execute(delete(table).where(table.c.space_id == space_id))
        await self._conn.execute(delete(spaces).where(spaces.c.id == space_id))

    async def touch(self, space_id: str, now_us: int) -> None:
        await self._conn.execute(update(spaces).where(spaces.c.id == space_id).values(last_active_time_us=now_us))

    async def add_member_counts(self, space_id: str, humans: int, groups: int) -> None:
        await self._conn.execute(update(spaces).where(spaces.c.id == space_id).values(
            joined_humans=spaces.c.joined_humans + humans, joined_groups=spaces.c.joined_groups + groups))

    async def list_for_member(self, member_id: str, *, after: str | None, limit: int,
                              include_hidden: bool = False) -> Page:
        """Spaces the user has joined, by id. Group chats and DMs count only once they hold a message."""
        query = (select(spaces).join(memberships, memberships.c.space_id == spaces.c.id)
                 .where(memberships.c.member_id == member_id,
                        memberships.c.state == int(MembershipState.JOINED),
                        spaces.c.import_mode.is_(False)))
        if not include_hidden:
            has_message = select(messages.c.id).where(messages.c.space_id == spaces.c.id).limit(1).exists()
            query = query.where(or_(spaces.c.space_type == int(SpaceType.SPACE), has_message))
        if after is not None:
            query = query.where(spaces.c.id > after)
        rows = (await self._conn.execute(query.order_by(spaces.c.id).limit(limit + 1))).all()
        items = [_space(row) for row in rows[:limit]]
        return Page(items, (items[-1].id,) if len(rows) > limit else None)


def _membership(row) -> Membership:
    return Membership(space_id=row.space_id, member_id=row.member_id, role=MembershipRole(row.role),
                      state=MembershipState(row.state), is_group=row.is_group, create_time_us=row.create_time_us)


class MembershipRepository:
    def __init__(self, conn: AsyncConnection):
        self._conn = conn

    async def get(self, space_id: str, member_id: str) -> Membership | None:
        row = (await self._conn.execute(select(memberships).where(
            memberships.c.space_id == space_id, memberships.c.member_id == member_id))).first()
        return _membership(row) if row else None

    async def add(self, membership: Membership) -> None:
        await self._conn.execute(insert(memberships).values(
            space_id=membership.space_id, member_id=membership.member_id, is_group=membership.is_group,
            role=int(membership.role), state=int(membership.state), create_time_us=membership.create_time_us))

    async def list(self, space_id: str, *, after: str | None, limit: int, states: tuple[MembershipState, ...],
                   include_groups: bool, include_apps: bool = True) -> Page:
        query = select(memberships).where(memberships.c.space_id == space_id,
                                          memberships.c.state.in_([int(s) for s in states]))
        if not include_groups:
            query = query.where(memberships.c.is_group.is_(False))
        if not include_apps:
            query = query.where(~select(users.c.id).where(
                users.c.id == memberships.c.member_id, users.c.type == int(UserType.BOT)).exists())
        if after is not None:
            query = query.where(memberships.c.member_id > after)
        rows = (await self._conn.execute(query.order_by(memberships.c.member_id).limit(limit + 1))).all()
        items = [_membership(row) for row in rows[:limit]]
        return Page(items, (items[-1].member_id,) if len(rows) > limit else None)


class ThreadRepository:
    def __init__(self, conn: AsyncConnection):
        self._conn = conn

    async def by_key(self, space_id: str, app_id: str, thread_key: str) -> str | None:
        return await self._conn.scalar(select(threads.c.id).where(
            threads.c.space_id == space_id, threads.c.app_id == app_id,
            threads.c.thread_key_hash == _key_hash(thread_key), threads.c.thread_key == thread_key))

    async def exists(self, space_id: str, thread_id: str) -> bool:
        found = await self._conn.scalar(select(threads.c.id).where(
            threads.c.space_id == space_id, threads.c.id == thread_id))
        return found is not None

    async def add(self, space_id: str, thread_id: str, app_id: str, thread_key: str | None, now_us: int) -> None:
        await self._conn.execute(insert(threads).values(
            space_id=space_id, id=thread_id, app_id=app_id, thread_key=thread_key,
            thread_key_hash=_key_hash(thread_key) if thread_key is not None else None, create_time_us=now_us))


def _key_hash(thread_key: str) -> str:
    """Thread keys run to 4000 characters, too long to index (PostgreSQL's B-tree entries stop near 2700
    bytes); uniqueness and look-ups go through this digest instead."""
    return hashlib.sha256(thread_key.encode()).hexdigest()


def _message(row) -> Message:
    return Message(space_id=row.space_id, id=row.id, sender_id=row.sender_id, thread_id=row.thread_id,
                   create_time_us=row.create_time_us, text=row.text, client_id=row.client_id or "",
                   last_update_time_us=row.last_update_time_us, delete_time_us=row.delete_time_us,
                   request_id=row.request_id or "", extras=row.extras)


class MessageRepository:
    def __init__(self, conn: AsyncConnection):
        self._conn = conn

    async def get(self, space_id: str, message_id: str) -> Message | None:
        key = messages.c.client_id if message_id.startswith("client-") else messages.c.id
        row = (await self._conn.execute(select(messages).where(
            messages.c.space_id == space_id, key == message_id))).first()
        return _message(row) if row else None

    async def by_request_id(self, space_id: str, request_id: str) -> Message | None:
        """The message created in this space with this request id, by whichever sender."""
        row = (await self._conn.execute(select(messages).where(
            messages.c.space_id == space_id, messages.c.request_id == request_id))).first()
        return _message(row) if row else None

    async def client_id_taken(self, space_id: str, client_id: str) -> bool:
        found = await self._conn.scalar(select(messages.c.id).where(
            messages.c.space_id == space_id, messages.c.client_id == client_id))
        return found is not None

    async def add(self, message: Message) -> None:
        await self._conn.execute(insert(messages).values(
            space_id=message.space_id, id=message.id, sender_id=message.sender_id, thread_id=message.thread_id,
            create_time_us=message.create_time_us, last_update_time_us=message.last_update_time_us,
            delete_time_us=message.delete_time_us, text=message.text, client_id=message.client_id or None,
            request_id=message.request_id or None, extras=message.extras))

    async def thread_has_earlier(self, space_id: str, thread_id: str, create_time_us: int) -> bool:
        found = await self._conn.scalar(select(messages.c.id).where(
            messages.c.space_id == space_id, messages.c.thread_id == thread_id,
            messages.c.create_time_us < create_time_us).limit(1))
        return found is not None

    async def list(self, space_id: str, *, after: tuple[int, str] | None, limit: int, descending: bool,
                   show_deleted: bool) -> Page:
        """One keyset page in (create_time, id) order; `after` is the last row of the previous page."""
        query = select(messages).where(messages.c.space_id == space_id)
        if not show_deleted:
            query = query.where(messages.c.delete_time_us == 0)
        key = tuple_(messages.c.create_time_us, messages.c.id)
        if after is not None:
            query = query.where(key < tuple_(*after) if descending else key > tuple_(*after))
        order = (messages.c.create_time_us.desc(), messages.c.id.desc()) if descending else (
            messages.c.create_time_us, messages.c.id)
        rows = (await self._conn.execute(query.order_by(*order).limit(limit + 1))).all()
        items = [_message(row) for row in rows[:limit]]
        last = items[-1] if items else None
        return Page(items, (last.create_time_us, last.id) if len(rows) > limit else None)

