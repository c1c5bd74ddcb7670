"""Memberships."""
from __future__ import annotations

from sqlalchemy import and_, bindparam, delete, false, insert, or_, select, true, update
from sqlalchemy.ext.asyncio import AsyncConnection

from chatsvc.domain.membership_filter import AllOf, AnyOf, Condition, RoleIs, TypeIs
from chatsvc.domain.models import (
    Membership,
    MembershipRole,
    MembershipState,
    Page,
    UserType,
)
from chatsvc.storage.raw_statements import Raw, Statement
from chatsvc.storage.tables import memberships, spaces, users

# A membership's columns in the order of Membership's fields: rows are read by position.
_COLUMNS = (memberships.c.space_id, memberships.c.member_id, memberships.c.role, memberships.c.state,
            memberships.c.is_group, memberships.c.create_time_us, memberships.c.delete_time_us)


def _membership(row) -> Membership:
    space_id, member_id, role, state, is_group, created, deleted = row
    return Membership(space_id, member_id, MembershipRole(role), MembershipState(state), is_group, created, deleted)


def _member_type():
    """The user type of a membership's member (NULL for a group)."""
    return select(users.c.type).where(users.c.id == memberships.c.member_id).scalar_subquery()


def _where(condition: Condition):
    """A ListMemberships filter as SQL. A group has no member type and no role (see membership_filter)."""
    if isinstance(condition, RoleIs):
        return memberships.c.role == int(condition.role)
    if isinstance(condition, TypeIs):
        is_type = and_(memberships.c.is_group.is_(False), _member_type() == int(condition.type))
        return is_type if condition.equal else ~is_type
    parts = [_where(part) for part in condition.parts]
    if isinstance(condition, AllOf):
        return and_(true(), *parts)
    if isinstance(condition, AnyOf):
        return or_(false(), *parts)
    raise TypeError(condition)


# The hot paths' statements, run on the driver's connection (storage/raw_statements.py).
_GET = Statement(select(*_COLUMNS).where(memberships.c.space_id == bindparam("b_space_id"),
                                         memberships.c.member_id == bindparam("b_member_id")),
                 "b_space_id", "b_member_id")
_LOCK_SPACE = Statement(select(spaces.c.id).where(spaces.c.id == bindparam("b_space_id")).with_for_update(),
                        "b_space_id")


class MembershipRepository:
    def __init__(self, conn: AsyncConnection, raw: Raw | None = None):
        self._conn = conn
        self._raw = raw or Raw(conn)

    async def lock_space(self, space_id: str) -> None:
        """Serialises membership changes within one space (PostgreSQL row lock on the space; SQLite writers
        are serial already), so rules that read other memberships (the last owner) hold under concurrency."""
        await self._raw.first(_LOCK_SPACE, space_id)

    async def get(self, space_id: str, member_id: str) -> Membership | None:
        row = await self._raw.first(_GET, space_id, member_id)
        return _membership(row) if row else None

    async def get_many(self, space_id: str, member_ids: set[str]) -> dict[str, Membership]:
        """Memberships of one space by member id, in one query."""
        if not member_ids:
            return {}
        rows = await self._conn.execute(select(*_COLUMNS).where(
            memberships.c.space_id == space_id, memberships.c.member_id.in_(sorted(member_ids))))
        return {row.member_id: _membership(row) for row in rows}

    async def add(self, membership: Membership) -> None:
        await self._conn.execute(insert(memberships).values(
            space_id=membership.space_id, member_id=membership.member_id, is_group=membership.is_group,
            role=int(membership.role), state=int(membership.state), create_time_us=membership.create_time_us,
            delete_time_us=membership.delete_time_us))

    async def set_role(self, space_id: str, member_id: str, role: MembershipRole) -> None:
        await self._conn.execute(update(memberships).where(
            memberships.c.space_id == space_id, memberships.c.member_id == member_id).values(role=int(role)))

    async def remove(self, space_id: str, member_id: str) -> None:
        await self._conn.execute(delete(memberships).where(
            memberships.c.space_id == space_id, memberships.c.member_id == member_id))

    async def joined_with_role(self, space_id: str, role: MembershipRole, *, limit: int = 2) -> list[str]:
        """Up to `limit` member ids of joined members holding `role` (enough to tell "the only one")."""
        rows = await self._conn.execute(select(memberships.c.member_id).where(
            memberships.c.space_id == space_id, memberships.c.role == int(role),
            memberships.c.state == int(MembershipState.JOINED)).order_by(memberships.c.member_id).limit(limit))
        return [row.member_id for row in rows]

    async def list(self, space_id: str, *, after: str | None, limit: int, states: tuple[MembershipState, ...],
                   include_groups: bool, include_apps: bool = True, condition: Condition | None = None) -> Page:
        query = select(*_COLUMNS).where(memberships.c.space_id == space_id,
                                          memberships.c.state.in_([int(s) for s in states]))
        if not include_groups:
            query = query.where(memberships.c.is_group.is_(False))
        if not include_apps:
            query = query.where(~select(users.c.id).where(
                users.c.id == memberships.c.member_id, users.c.type == int(UserType.BOT)).exists())
        if condition is not None:
            query = query.where(_where(condition))
        if after is not None:
            query = query.where(memberships.c.member_id > after)
        rows = (await self._conn.execute(query.order_by(memberships.c.member_id).limit(limit + 1))).all()
        items = [_membership(row) for row in rows[:limit]]
        return Page(items, (items[-1].member_id,) if len(rows) > limit else None)
