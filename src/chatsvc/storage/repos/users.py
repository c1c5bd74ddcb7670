"""Users: humans by email, Chat apps by name."""
from __future__ import annotations

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from chatsvc.domain.models import (
    User,
    UserType,
)
from chatsvc.domain.people import Profile
from chatsvc.storage.tables import chat_apps, users


def _user(row) -> User:
    return User(id=row.id, type=UserType(row.type), email=row.email or "", app_name=row.app_name or "",
                display_name=row.display_name)


_BY_IDS = select(users).where(users.c.id.in_(bindparam("b_ids", expanding=True)))
# People: users with, for a registered Chat app, its registration's display name and avatar (one statement a batch).
_PROFILES = (select(users, chat_apps.c.display_name.label("app_display_name"), chat_apps.c.avatar_url)
             .select_from(users.outerjoin(chat_apps, chat_apps.c.user_id == users.c.id))
             .where(users.c.id.in_(bindparam("b_ids", expanding=True))))


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
        rows = await self._conn.execute(_BY_IDS, {"b_ids": sorted(user_ids)})
        return {row.id: _user(row) for row in rows}

    async def profiles(self, user_ids: set[str]) -> dict[str, Profile]:
        """The directory profiles of these users (chatsvc.domain.people), by id; unknown ids are left out."""
        if not user_ids:
            return {}
        rows = await self._conn.execute(_PROFILES, {"b_ids": sorted(user_ids)})
        return {row.id: Profile(_user(row), row.app_display_name or "", row.avatar_url or "") for row in rows}

    async def get_many_by_email(self, emails: set[str]) -> dict[str, User]:
        """Users by (lower-case) email, in one query."""
        if not emails:
            return {}
        rows = await self._conn.execute(select(users).where(users.c.email.in_(sorted(emails))))
        return {row.email: _user(row) for row in rows}

    async def set_display_name(self, user_id: str, display_name: str) -> None:
        await self._conn.execute(update(users).where(users.c.id == user_id).values(display_name=display_name))

    async def add(self, user: User, now_us: int) -> None:
        await self._conn.execute(insert(users).values(
            id=user.id, type=int(user.type), email=user.email or None, app_name=user.app_name or None,
            display_name=user.display_name, create_time_us=now_us))
