"""The server's own settings, such as the token signing key."""
from __future__ import annotations

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from chatsvc.storage.tables import server_settings


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
