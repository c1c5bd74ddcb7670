"""Files uploaded to attach to campaigns (their bytes are in the blob store under `blob_key`)."""
from __future__ import annotations

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from chatsvc.domain.campaign_models import EmailFile, Origin
from chatsvc.storage.tables_campaigns import email_files


def _file(row) -> EmailFile:
    return EmailFile(id=row.id, user_id=row.user_id, filename=row.filename, mime_type=row.mime_type,
                     size_bytes=row.size_bytes, origin=Origin(row.origin), blob_key=row.blob_key,
                     create_time_us=row.create_time_us)


class EmailFileRepository:
    def __init__(self, conn: AsyncConnection):
        self._conn = conn

    async def add(self, f: EmailFile) -> None:
        await self._conn.execute(insert(email_files).values(
            id=f.id, user_id=f.user_id, filename=f.filename, mime_type=f.mime_type, size_bytes=f.size_bytes,
            origin=f.origin.value, blob_key=f.blob_key, create_time_us=f.create_time_us))

    async def get_many(self, file_ids: list[str]) -> dict[str, EmailFile]:
        if not file_ids:
            return {}
        rows = await self._conn.execute(select(email_files).where(email_files.c.id.in_(file_ids)))
        return {row.id: _file(row) for row in rows}

    async def get(self, file_id: str) -> EmailFile | None:
        return (await self.get_many([file_id])).get(file_id)
