"""Incoming webhooks of spaces."""
from __future__ import annotations

from sqlalchemy import and_, bindparam, delete, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from chatsvc.domain.models import Page
from chatsvc.domain.webhooks import Webhook
from chatsvc.storage.tables import webhooks

# The look-up every webhook post makes: by key alone.
_BY_ID = select(webhooks).where(webhooks.c.id == bindparam("b_id"))


def _webhook(row) -> Webhook:
    return Webhook(space_id=row.space_id, id=row.id, display_name=row.display_name, user_id=row.user_id,
                   token_sha256=row.token_sha256, avatar_url=row.avatar_url, creator_id=row.creator_id,
                   create_time_us=row.create_time_us, token_time_us=row.token_time_us)


class WebhookRepository:
    def __init__(self, conn: AsyncConnection):
        self._conn = conn

    async def add(self, webhook: Webhook) -> None:
        await self._conn.execute(insert(webhooks).values(
            id=webhook.id, space_id=webhook.space_id, user_id=webhook.user_id, display_name=webhook.display_name,
            avatar_url=webhook.avatar_url, token_sha256=webhook.token_sha256, creator_id=webhook.creator_id,
            create_time_us=webhook.create_time_us, token_time_us=webhook.token_time_us))

    async def by_id(self, webhook_id: str) -> Webhook | None:
        row = (await self._conn.execute(_BY_ID, {"b_id": webhook_id})).first()
        return _webhook(row) if row else None

    async def get(self, space_id: str, webhook_id: str) -> Webhook | None:
        row = (await self._conn.execute(select(webhooks).where(
            webhooks.c.id == webhook_id, webhooks.c.space_id == space_id))).first()
        return _webhook(row) if row else None

    async def list(self, space_id: str, *, after: tuple | None, limit: int) -> Page:
        """A space's webhooks, oldest first; `after` is the (create time, id) of the last one seen."""
        query = select(webhooks).where(webhooks.c.space_id == space_id)
        if after is not None:
            created, last_id = after
            query = query.where(or_(webhooks.c.create_time_us > created,
                                    and_(webhooks.c.create_time_us == created, webhooks.c.id > last_id)))
        rows = (await self._conn.execute(
            query.order_by(webhooks.c.create_time_us, webhooks.c.id).limit(limit + 1))).all()
        items = [_webhook(row) for row in rows[:limit]]
        last = items[-1] if items else None
        return Page(items, (last.create_time_us, last.id) if len(rows) > limit and last else None)

    async def delete(self, space_id: str, webhook_id: str) -> bool:
        """Whether there was such a webhook."""
        result = await self._conn.execute(delete(webhooks).where(
            webhooks.c.id == webhook_id, webhooks.c.space_id == space_id))
        return result.rowcount > 0

    async def set_token(self, space_id: str, webhook_id: str, token_sha256: str, token_time_us: int) -> bool:
        result = await self._conn.execute(update(webhooks).where(
            webhooks.c.id == webhook_id, webhooks.c.space_id == space_id).values(
            token_sha256=token_sha256, token_time_us=token_time_us))
        return result.rowcount > 0
