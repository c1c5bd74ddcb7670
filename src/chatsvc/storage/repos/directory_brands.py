"""Brands and their members. Member rows carry the user's email, joined from users."""
from __future__ import annotations

from sqlalchemy import and_, delete, func, insert, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from chatsvc.domain.directory_models import Brand, Member, MemberRole
from chatsvc.storage.tables import users
from chatsvc.storage.tables_campaigns import email_campaigns
from chatsvc.storage.tables_directory import brand_members, brands


def after_position(time_column, id_column, after: tuple[int, str] | None):
    """The keyset condition "strictly after (time, id)" in ascending order; None on the first page."""
    if after is None:
        return None
    time_us, last_id = after
    return or_(time_column > time_us, and_(time_column == time_us, id_column > last_id))


def _brand(row) -> Brand:
    return Brand(id=row.id, display_name=row.display_name, create_time_us=row.create_time_us)


def _member(row) -> Member:
    return Member(brand_id=row.brand_id, user_id=row.user_id, email=row.email or "", role=MemberRole(row.role),
                  display_name=row.display_name, email_signature=row.email_signature,
                  create_time_us=row.create_time_us)


_MEMBER_COLUMNS = (*brand_members.c, users.c.email)
_MEMBERS_WITH_EMAIL = brand_members.join(users, users.c.id == brand_members.c.user_id)


class BrandRows:
    _conn: AsyncConnection

    async def brand(self, brand_id: str) -> Brand | None:
        row = (await self._conn.execute(select(brands).where(brands.c.id == brand_id))).first()
        return _brand(row) if row else None

    async def add_brand(self, brand: Brand) -> None:
        await self._conn.execute(insert(brands).values(id=brand.id, display_name=brand.display_name,
                                                       create_time_us=brand.create_time_us))

    async def lock_brand(self, brand_id: str) -> Brand | None:
        """The brand, locked until the transaction ends (PostgreSQL; SQLite writers are serialised anyway), so
        that checks such as "another admin remains" cannot race with a concurrent change of members."""
        row = (await self._conn.execute(select(brands).where(brands.c.id == brand_id).with_for_update())).first()
        return _brand(row) if row else None

    async def delete_brand(self, brand_id: str) -> None:
        """Members, contacts, tags and lists go with it (ON DELETE CASCADE)."""
        await self._conn.execute(delete(brands).where(brands.c.id == brand_id))

    async def brand_has_campaigns(self, brand_id: str) -> bool:
        row = (await self._conn.execute(select(email_campaigns.c.id)
                                        .where(email_campaigns.c.brand_id == brand_id).limit(1))).first()
        return row is not None

    async def brands_of_user(self, user_id: str, after: tuple[int, str] | None, limit: int) -> list[Brand]:
        """The user's brands, oldest first (keyset on the brand's creation time and id)."""
        query = (select(brands).join(brand_members, brand_members.c.brand_id == brands.c.id)
                 .where(brand_members.c.user_id == user_id))
        condition = after_position(brands.c.create_time_us, brands.c.id, after)
        if condition is not None:
            query = query.where(condition)
        query = query.order_by(brands.c.create_time_us, brands.c.id).limit(limit)
        return [_brand(row) for row in await self._conn.execute(query)]

    async def member(self, brand_id: str, user_id: str) -> Member | None:
        row = (await self._conn.execute(select(*_MEMBER_COLUMNS).select_from(_MEMBERS_WITH_EMAIL).where(
            brand_members.c.brand_id == brand_id, brand_members.c.user_id == user_id))).first()
        return _member(row) if row else None

    async def members(self, brand_id: str, after: tuple[int, str] | None, limit: int) -> list[Member]:
        """In the order they joined (keyset on join time and user id)."""
        query = select(*_MEMBER_COLUMNS).select_from(_MEMBERS_WITH_EMAIL).where(brand_members.c.brand_id == brand_id)
        condition = after_position(brand_members.c.create_time_us, brand_members.c.user_id, after)
        if condition is not None:
            query = query.where(condition)
        query = query.order_by(brand_members.c.create_time_us, brand_members.c.user_id).limit(limit)
        return [_member(row) for row in await self._conn.execute(query)]

    async def add_member(self, member: Member) -> None:
        await self._conn.execute(insert(brand_members).values(
            brand_id=member.brand_id, user_id=member.user_id, role=int(member.role),
            display_name=member.display_name, email_signature=member.email_signature,
            create_time_us=member.create_time_us))

    async def delete_member(self, brand_id: str, user_id: str) -> None:
        await self._conn.execute(delete(brand_members).where(brand_members.c.brand_id == brand_id,
                                                             brand_members.c.user_id == user_id))

    async def admin_count(self, brand_id: str) -> int:
        return (await self._conn.execute(select(func.count()).select_from(brand_members).where(
            brand_members.c.brand_id == brand_id, brand_members.c.role == int(MemberRole.ADMIN)))).scalar_one()
