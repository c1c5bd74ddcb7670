"""Spaces."""
from __future__ import annotations

import json

from sqlalchemy import delete, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from chatsvc.domain.models import (
    HistoryState,
    MembershipState,
    Page,
    Space,
    SpaceType,
    ThreadingState,
)
from chatsvc.domain.permissions import Permission, PermissionSetting
from chatsvc.storage.tables import memberships, messages, space_events, spaces, threads


def _permissions_to_json(permissions: dict[Permission, PermissionSetting]) -> str:
    return json.dumps({p.value: [s.managers_allowed, s.members_allowed, s.assistant_managers_allowed]
                       for p, s in sorted(permissions.items())})


def _permissions_from_json(text: str) -> dict[Permission, PermissionSetting]:
    return {Permission(name): PermissionSetting(*flags) for name, flags in json.loads(text or "{}").items()}


def _space(row) -> Space:
    return Space(
        id=row.id, space_type=SpaceType(row.space_type), display_name=row.display_name,
        description=row.description, guidelines=row.guidelines,
        threading_state=ThreadingState(row.threading_state), history_state=HistoryState(row.history_state),
        external_user_allowed=row.external_user_allowed, import_mode=row.import_mode,
        single_user_bot_dm=row.single_user_bot_dm, customer=row.customer, create_time_us=row.create_time_us,
        last_active_time_us=row.last_active_time_us, joined_humans=row.joined_humans,
        joined_groups=row.joined_groups, creator_id=row.creator_id, request_id=row.request_id, extras=row.extras,
        permissions=_permissions_from_json(row.permissions))


def _space_values(space: Space) -> dict:
    return dict(
        id=space.id, space_type=int(space.space_type), display_name=space.display_name,
        description=space.description, guidelines=space.guidelines, threading_state=int(space.threading_state),
        history_state=int(space.history_state), external_user_allowed=space.external_user_allowed,
        import_mode=space.import_mode, single_user_bot_dm=space.single_user_bot_dm, customer=space.customer,
        create_time_us=space.create_time_us, last_active_time_us=space.last_active_time_us,
        joined_humans=space.joined_humans, joined_groups=space.joined_groups, creator_id=space.creator_id,
        request_id=space.request_id, extras=space.extras, permissions=_permissions_to_json(space.permissions),
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
        for table in (space_events, messages, threads, memberships):
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
