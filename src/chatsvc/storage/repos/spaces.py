"""Spaces."""
from __future__ import annotations

import asyncio
import functools
import json
import logging

from sqlalchemy import and_, bindparam, case, delete, false, func, insert, or_, select, true, tuple_, update
from sqlalchemy.ext.asyncio import AsyncConnection

from chatsvc.domain.models import (
    HistoryState,
    Membership,
    MembershipRole,
    MembershipState,
    Page,
    Space,
    SpaceType,
    ThreadingState,
    UserType,
)
from chatsvc.domain.permissions import Permission, PermissionSetting
from chatsvc.domain.space_search import Bound, SearchOrder, SpaceQuery, name_words
from chatsvc.storage.raw_statements import Raw, Statement
from chatsvc.storage.tables import memberships, messages, metadata, spaces, users


def permissions_to_json(permissions: dict[Permission, PermissionSetting]) -> str:
    return json.dumps({p.value: [s.managers_allowed, s.members_allowed, s.assistant_managers_allowed]
                       for p, s in sorted(permissions.items())})


def _permissions_from_json(text: str) -> dict[Permission, PermissionSetting]:
    # Spaces share a handful of distinct settings, and every read of a space (each message written) decodes
    # them: decoded once per distinct text; each space still gets a dict of its own.
    return dict(_decoded_permissions(text))


@functools.lru_cache(maxsize=512)
def _decoded_permissions(text: str) -> tuple[tuple[Permission, PermissionSetting], ...]:
    return tuple((Permission(name), PermissionSetting(*flags)) for name, flags in json.loads(text or "{}").items())


# A space's columns in the order of Space's fields: rows are read by position (raw statements give tuples).
_SPACE_COLUMNS = tuple(spaces.c[name] for name in (
    "id", "space_type", "display_name", "description", "guidelines", "threading_state", "history_state",
    "external_user_allowed", "import_mode", "single_user_bot_dm", "customer", "create_time_us",
    "last_active_time_us", "joined_humans", "joined_groups", "creator_id", "request_id", "extras", "permissions",
    "audience", "access_permissions", "import_mode_expire_time_us"))
_SPACE_WIDTH = len(_SPACE_COLUMNS)


def _space(row) -> Space:
    (space_id, space_type, display_name, description, guidelines, threading_state, history_state, external,
     import_mode, bot_dm, customer, created, active, humans, groups, creator_id, request_id, extras, permissions,
     audience, access) = row[:_SPACE_WIDTH - 1]
    return Space(
        space_id, SpaceType(space_type), display_name, description, guidelines, ThreadingState(threading_state),
        HistoryState(history_state), external, import_mode, bot_dm, customer, created, active, humans, groups,
        creator_id, request_id, extras, _permissions_from_json(permissions) if permissions not in _EMPTY else {},
        audience, {k: tuple(v) for k, v in json.loads(access).items()} if access not in _EMPTY else {},
        row[_SPACE_WIDTH - 1])


_EMPTY = ("", "{}")


def _mutable_values(space: Space) -> dict:
    """The columns an update may change (everything but identity, creation and counters)."""
    named = space.space_type == SpaceType.SPACE
    return dict(
        space_type=int(space.space_type), display_name=space.display_name, description=space.description,
        guidelines=space.guidelines, threading_state=int(space.threading_state),
        history_state=int(space.history_state), import_mode=space.import_mode, extras=space.extras,
        permissions=permissions_to_json(space.permissions), audience=space.audience,
        access_permissions=json.dumps({k: list(v) for k, v in sorted(space.access_permissions.items())}),
        import_mode_expire_time_us=space.import_mode_expire_time_us,
        display_name_key=space.display_name.casefold() if named else None,
        name_words=name_words(space.display_name))


def _space_values(space: Space) -> dict:
    return dict(
        _mutable_values(space), id=space.id, external_user_allowed=space.external_user_allowed,
        single_user_bot_dm=space.single_user_bot_dm, customer=space.customer, create_time_us=space.create_time_us,
        last_active_time_us=space.last_active_time_us, joined_humans=space.joined_humans,
        joined_groups=space.joined_groups, creator_id=space.creator_id, request_id=space.request_id)


def _page(rows, limit: int, key) -> Page:
    items = [_space(row) for row in rows[:limit]]
    return Page(items, key(items[-1]) if len(rows) > limit else None)


def _joined_by(member_id: str):
    """Spaces the user (or app) has joined."""
    return select(memberships.c.space_id).where(
        memberships.c.member_id == member_id, memberships.c.state == int(MembershipState.JOINED))


_SORT_COLUMNS = {"create_time": spaces.c.create_time_us, "last_active_time": spaces.c.last_active_time_us,
                 "membership_count.joined_direct_human_user_count": spaces.c.joined_humans}
_SORT_VALUES = {"create_time": lambda s: s.create_time_us, "last_active_time": lambda s: s.last_active_time_us,
                "membership_count.joined_direct_human_user_count": lambda s: s.joined_humans}


def _like_word(token: str):
    escaped = token.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return spaces.c.name_words.like(f"% {escaped}%", escape="\\")


def _bound(column, bound: Bound):
    ops = {"=": column.__eq__, "<": column.__lt__, "<=": column.__le__, ">": column.__gt__, ">=": column.__ge__}
    return ops[bound.op](bound.micros)


def _any_of_intervals(column, intervals: tuple[tuple[Bound, ...], ...]):
    return or_(*(and_(*(_bound(column, b) for b in interval)) for interval in intervals))


_log = logging.getLogger(__name__)

# The hot paths' statements are built once, and run on the driver's connection (storage/raw_statements.py).
_GET = Statement(select(*_SPACE_COLUMNS).where(spaces.c.id == bindparam("b_space_id")), "b_space_id")
_MEMBER_COLUMNS = (memberships.c.role, memberships.c.state, memberships.c.is_group, memberships.c.create_time_us,
                   memberships.c.delete_time_us)
_GET_WITH_MEMBERSHIP = Statement(select(*_SPACE_COLUMNS, *_MEMBER_COLUMNS).select_from(spaces.outerjoin(
    memberships, and_(memberships.c.space_id == spaces.c.id, memberships.c.member_id == bindparam("b_member_id"))
)).where(spaces.c.id == bindparam("b_space_id")), "b_space_id", "b_member_id")
# Only forward: on PostgreSQL two messages' transactions may reach this UPDATE in the other order than their
# create times (each read the space before either wrote it); the later commit must not move the time back.
_TOUCH = Statement(update(spaces).where(spaces.c.id == bindparam("b_space_id"),
                                        spaces.c.last_active_time_us < bindparam("b_now")).values(
    last_active_time_us=bindparam("b_now")), "b_space_id", "b_now")


class SpaceRepository:
    def __init__(self, conn: AsyncConnection, raw: Raw | None = None,
                 touched: list[tuple[str, int]] | None = None):
        self._conn = conn
        self._raw = raw or Raw(conn)
        self._touched = touched  # PostgreSQL: touches left to LastActiveTimes, after the commit

    async def get(self, space_id: str) -> Space | None:
        row = await self._raw.first(_GET, space_id)
        return _space(row) if row else None

    async def get_with_membership(self, space_id: str, member_id: str) -> tuple[Space | None, Membership | None]:
        """The space and the member's membership of it (in any state), in one statement."""
        row = await self._raw.first(_GET_WITH_MEMBERSHIP, space_id, member_id)
        if row is None:
            return None, None
        role, state, is_group, created, deleted = row[_SPACE_WIDTH:]
        membership = None if role is None else Membership(
            space_id, member_id, MembershipRole(role), MembershipState(state), is_group, created, deleted)
        return _space(row), membership

    async def by_request_id(self, creator_id: str, request_id: str) -> Space | None:
        row = (await self._conn.execute(select(*_SPACE_COLUMNS).where(
            spaces.c.creator_id == creator_id, spaces.c.request_id == request_id))).first()
        return _space(row) if row else None

    async def other_creator_used_request_id(self, creator_id: str, request_id: str) -> bool:
        found = await self._conn.scalar(select(spaces.c.id).where(
            spaces.c.request_id == request_id, spaces.c.creator_id != creator_id).limit(1))
        return found is not None

    async def display_name_taken(self, customer: str, display_name: str, *, other_than: str = "") -> bool:
        found = await self._conn.scalar(select(spaces.c.id).where(
            spaces.c.customer == customer, spaces.c.display_name_key == display_name.casefold(),
            spaces.c.id != other_than).limit(1))
        return found is not None

    async def by_dm_key(self, dm_key: str) -> Space | None:
        row = (await self._conn.execute(select(*_SPACE_COLUMNS).where(spaces.c.dm_key == dm_key))).first()
        return _space(row) if row else None

    async def add(self, space: Space, *, dm_key: str | None = None) -> None:
        await self._conn.execute(insert(spaces).values(**_space_values(space), dm_key=dm_key))

    async def update(self, space: Space) -> None:
        await self._conn.execute(update(spaces).where(spaces.c.id == space.id).values(**_mutable_values(space)))

    async def delete(self, space_id: str) -> None:
        """The space and every row of every table keyed by its id. Dependent tables go first, and explicitly
        rather than through ON DELETE CASCADE, so the outcome does not depend on the database enforcing
        foreign keys, and tables added later are covered without being listed here."""
        for table in reversed(metadata.sorted_tables):
            if table is not spaces and "space_id" in table.c:
                await self._conn.execute(delete(table).where(table.c.space_id == space_id))
        await self._conn.execute(delete(spaces).where(spaces.c.id == space_id))

    async def touch(self, space_id: str, now_us: int) -> None:
        """Moves the space's last_active_time to now_us, unless it is already at or past it. On PostgreSQL
        this happens right after the unit commits (LastActiveTimes), so the unit does not hold the row lock."""
        if self._touched is not None:
            self._touched.append((space_id, now_us))
        else:
            await self._raw.run(_TOUCH, space_id, now_us)

    async def add_member_counts(self, space_id: str, humans: int, groups: int) -> None:
        await self._conn.execute(update(spaces).where(spaces.c.id == space_id).values(
            joined_humans=spaces.c.joined_humans + humans, joined_groups=spaces.c.joined_groups + groups))

    async def list_for_member(self, member_id: str, *, after: str | None, limit: int,
                              types: frozenset[SpaceType] | None = None, include_hidden: bool = False) -> Page:
        """Spaces the user has joined, by id. Group chats and DMs count only once they hold a message."""
        query = (select(*_SPACE_COLUMNS).join(memberships, memberships.c.space_id == spaces.c.id)
                 .where(memberships.c.member_id == member_id,
                        memberships.c.state == int(MembershipState.JOINED),
                        spaces.c.import_mode.is_(False)))
        if types is not None:
            query = query.where(spaces.c.space_type.in_(sorted(int(t) for t in types)))
        if not include_hidden:
            has_message = select(messages.c.id).where(messages.c.space_id == spaces.c.id).limit(1).exists()
            query = query.where(or_(spaces.c.space_type == int(SpaceType.SPACE), has_message))
        if after is not None:
            query = query.where(spaces.c.id > after)
        rows = (await self._conn.execute(query.order_by(spaces.c.id).limit(limit + 1))).all()
        return _page(rows, limit, lambda s: (s.id,))

    async def group_chats_of_exactly(self, caller_id: str, user_ids: frozenset[str], *, after: str | None,
                                     limit: int) -> Page:
        """Group chats whose joined human members are exactly `user_ids` (the caller among them), by id."""
        listed = case((memberships.c.member_id.in_(sorted(user_ids)), 1), else_=0)
        humans = (select(memberships.c.space_id)
                  .join(users, users.c.id == memberships.c.member_id)
                  .where(memberships.c.space_id.in_(_joined_by(caller_id)),
                         memberships.c.state == int(MembershipState.JOINED),
                         memberships.c.is_group.is_(False), users.c.type == int(UserType.HUMAN))
                  .group_by(memberships.c.space_id)
                  .having(func.count() == len(user_ids))
                  .having(func.sum(listed) == len(user_ids)))
        query = select(*_SPACE_COLUMNS).where(spaces.c.id.in_(humans), spaces.c.space_type == int(SpaceType.GROUP_CHAT),
                                     spaces.c.import_mode.is_(False))
        if after is not None:
            query = query.where(spaces.c.id > after)
        rows = (await self._conn.execute(query.order_by(spaces.c.id).limit(limit + 1))).all()
        return _page(rows, limit, lambda s: (s.id,))

    def _matching(self, query: SpaceQuery):
        where = [spaces.c.space_type == int(query.space_type), spaces.c.import_mode.is_(False)]
        if query.customer is not None:
            where.append(spaces.c.customer == query.customer)
        if query.member_id is not None:
            where.append(spaces.c.id.in_(_joined_by(query.member_id)))
        if query.display_names is not None:
            where.append(or_(*(and_(true(), *(_like_word(t) for t in tokens)) for tokens in query.display_names)))
        if query.external_user_allowed is not None:
            where.append(or_(*(spaces.c.external_user_allowed.is_(true() if v else false())
                               for v in sorted(query.external_user_allowed))))
        if query.history_states is not None:
            where.append(spaces.c.history_state.in_(sorted(int(s) for s in query.history_states)))
        if query.create_time is not None:
            where.append(_any_of_intervals(spaces.c.create_time_us, query.create_time))
        if query.last_active_time is not None:
            where.append(_any_of_intervals(spaces.c.last_active_time_us, query.last_active_time))
        return where

    async def search(self, query: SpaceQuery, order: SearchOrder, *, after: tuple | None, limit: int) -> Page:
        column = _SORT_COLUMNS[order.field]
        key = tuple_(column, spaces.c.id)
        statement = select(*_SPACE_COLUMNS).where(*self._matching(query))
        if after is not None:
            statement = statement.where(key < tuple_(*after) if order.descending else key > tuple_(*after))
        by = (column.desc(), spaces.c.id.desc()) if order.descending else (column, spaces.c.id)
        rows = (await self._conn.execute(statement.order_by(*by).limit(limit + 1))).all()
        value = _SORT_VALUES[order.field]
        return _page(rows, limit, lambda s: (value(s), s.id))

    async def count(self, query: SpaceQuery) -> int:
        return await self._conn.scalar(select(func.count()).select_from(spaces).where(*self._matching(query)))


class LastActiveTimes:
    """Advances spaces' last_active_time after the commits that made them active (PostgreSQL).

    Doing it inside CreateMessage's transaction held the space's row lock from that UPDATE to the commit's WAL
    flush, so one space's messages were written one at a time. Here each advance is one statement of its own
    (autocommit, only forward), run right after the unit commits and before the call answers, so a read that
    follows the answer sees the new time. Advances of one space are coalesced: while one runs, later ones
    wait for it (if it covers their time) or share the next one, so a busy space gets one UPDATE per flush
    instead of one per message, and no unit waits on another's whole transaction."""

    def __init__(self, engine):
        self._engine = engine
        self._spaces: dict[str, _Advance] = {}

    async def advance(self, space_id: str, time_us: int) -> None:
        entry = self._spaces.get(space_id)
        if entry is None:
            entry = self._spaces[space_id] = _Advance()
        elif entry.running is not None and time_us <= entry.running_time:
            await asyncio.shield(entry.running)
            return
        entry.next_time = max(entry.next_time, time_us)
        if entry.next is None:
            # A task of its own: a caller that goes away (cancelled) leaves the others' advance running.
            entry.next = asyncio.ensure_future(self._run_next(space_id, entry))
        await asyncio.shield(entry.next)

    async def _run_next(self, space_id: str, entry: _Advance) -> None:
        if entry.running is not None:
            await entry.running  # the one before (it never raises)
        entry.running, entry.next, entry.running_time = entry.next, None, entry.next_time
        try:
            async with self._engine.connect() as conn:
                await Raw(conn).run_alone(_TOUCH, space_id, entry.running_time)
        except Exception:  # the messages are committed: a lagging time is no reason to fail their calls
            _log.warning("could not advance last_active_time of space %s", space_id, exc_info=True)
        finally:
            if entry.next is None and self._spaces.get(space_id) is entry:
                del self._spaces[space_id]


class _Advance:
    __slots__ = ("running", "running_time", "next", "next_time")

    def __init__(self):
        self.running: asyncio.Future | None = None  # the advance under way (or the last one, done)
        self.running_time = 0
        self.next: asyncio.Future | None = None  # the advance that waits for it, taking every later time
        self.next_time = 0
