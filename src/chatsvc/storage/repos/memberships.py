"""Memberships."""
from __future__ import annotations

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from chatsvc.domain.models import (
    Membership,
    MembershipRole,
    MembershipState,
    Page,
    UserType,
)
from chatsvc.storage.tables import memberships, users


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
