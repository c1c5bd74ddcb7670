"""Custom emoji of an organization."""
from __future__ import annotations

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from chatsvc.domain.models import CustomEmoji, Page
from chatsvc.storage.tables import custom_emojis


def _emoji(row) -> CustomEmoji:
    return CustomEmoji(id=row.id, uid=row.uid, emoji_name=row.emoji_name, creator_id=row.creator_id,
                       content_type=row.content_type, size_bytes=row.size_bytes, blob_key=row.blob_key,
                       create_time_us=row.create_time_us, customer=row.customer)


class CustomEmojiRepository:
    def __init__(self, conn: AsyncConnection):
        self._conn = conn

    async def add(self, emoji: CustomEmoji) -> None:
        await self._conn.execute(insert(custom_emojis).values(
            id=emoji.id, uid=emoji.uid, customer=emoji.customer, emoji_name=emoji.emoji_name,
            creator_id=emoji.creator_id, content_type=emoji.content_type, size_bytes=emoji.size_bytes,
            blob_key=emoji.blob_key, create_time_us=emoji.create_time_us))

    async def get(self, emoji_id: str) -> CustomEmoji | None:
        row = (await self._conn.execute(select(custom_emojis).where(custom_emojis.c.id == emoji_id))).first()
        return _emoji(row) if row else None

    async def by_uid(self, uid: str) -> CustomEmoji | None:
        """The custom emoji with this uid (how reactions name one), or None."""
        row = (await self._conn.execute(select(custom_emojis).where(custom_emojis.c.uid == uid))).first()
        return _emoji(row) if row else None

    async def by_name(self, customer: str, emoji_name: str) -> CustomEmoji | None:
        row = (await self._conn.execute(select(custom_emojis).where(
            custom_emojis.c.customer == customer, custom_emojis.c.emoji_name == emoji_name))).first()
        return _emoji(row) if row else None

    async def list(self, customer: str, *, after: str | None, limit: int, creator_id: str | None = None,
                   not_creator_id: str | None = None) -> Page:
        """A customer's emoji in name order (names are unique per customer, so the name is the keyset)."""
        query = select(custom_emojis).where(custom_emojis.c.customer == customer)
        if creator_id is not None:
            query = query.where(custom_emojis.c.creator_id == creator_id)
        if not_creator_id is not None:
            query = query.where(custom_emojis.c.creator_id != not_creator_id)
        if after is not None:
            query = query.where(custom_emojis.c.emoji_name > after)
        rows = (await self._conn.execute(query.order_by(custom_emojis.c.emoji_name).limit(limit + 1))).all()
        items = [_emoji(row) for row in rows[:limit]]
        return Page(items, (items[-1].emoji_name,) if len(rows) > limit else None)

    async def delete(self, emoji_id: str) -> None:
        await self._conn.execute(delete(custom_emojis).where(custom_emojis.c.id == emoji_id))
