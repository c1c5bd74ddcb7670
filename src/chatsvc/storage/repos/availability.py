"""What users set of their availability."""
from __future__ import annotations

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from chatsvc.domain.availability import AvailabilityState, CustomStatus, StoredAvailability
from chatsvc.storage.tables import availabilities


class AvailabilityRepository:
    def __init__(self, conn: AsyncConnection):
        self._conn = conn

    async def get(self, user_id: str) -> StoredAvailability | None:
        row = (await self._conn.execute(select(availabilities).where(availabilities.c.user_id == user_id))).first()
        if row is None:
            return None
        status = CustomStatus(row.status_text, row.status_emoji, row.status_expire_time_us) if row.status_text else None
        return StoredAvailability(user_id, AvailabilityState(row.state), row.state_expire_time_us, status)

    async def put(self, stored: StoredAvailability) -> None:
        status = stored.status
        values = dict(state=int(stored.state), state_expire_time_us=stored.state_expire_time_us,
                      status_text=status.text if status else "", status_emoji=status.emoji if status else "",
                      status_expire_time_us=status.expire_time_us if status else 0)
        changed = await self._conn.execute(
            update(availabilities).where(availabilities.c.user_id == stored.user_id).values(**values))
        if changed.rowcount == 0:
            await self._conn.execute(insert(availabilities).values(user_id=stored.user_id, **values))
