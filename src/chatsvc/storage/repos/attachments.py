"""Uploaded files and message attachments."""
from __future__ import annotations

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from chatsvc.domain.models import Attachment
from chatsvc.storage.tables import attachments


def _attachment(row) -> Attachment:
    return Attachment(space_id=row.space_id, id=row.id, uploader_id=row.uploader_id, upload_token=row.upload_token,
                      content_name=row.content_name, content_type=row.content_type, size_bytes=row.size_bytes,
                      blob_key=row.blob_key, create_time_us=row.create_time_us, message_id=row.message_id or "")


class AttachmentRepository:
    def __init__(self, conn: AsyncConnection):
        self._conn = conn

    async def add(self, attachment: Attachment) -> None:
        await self._conn.execute(insert(attachments).values(
            space_id=attachment.space_id, id=attachment.id, message_id=attachment.message_id or None,
            uploader_id=attachment.uploader_id, upload_token=attachment.upload_token,
            content_name=attachment.content_name, content_type=attachment.content_type,
            size_bytes=attachment.size_bytes, blob_key=attachment.blob_key,
            create_time_us=attachment.create_time_us))

    async def get(self, space_id: str, attachment_id: str) -> Attachment | None:
        row = (await self._conn.execute(select(attachments).where(
            attachments.c.space_id == space_id, attachments.c.id == attachment_id))).first()
        return _attachment(row) if row else None

    async def by_tokens(self, tokens: list[str]) -> dict[str, Attachment]:
        """upload token -> its upload, for the tokens that name one (one statement)."""
        rows = await self._conn.execute(select(attachments).where(attachments.c.upload_token.in_(tokens)))
        return {row.upload_token: _attachment(row) for row in rows}

    async def attach(self, space_id: str, attachment_ids: list[str], message_id: str) -> int:
        """Gives the uploads to the message unless another message has them; returns how many it got (a
        concurrent claim of the same upload finds it taken once the first commits)."""
        result = await self._conn.execute(update(attachments).where(
            attachments.c.space_id == space_id, attachments.c.id.in_(attachment_ids),
            attachments.c.message_id.is_(None)).values(message_id=message_id))
        return result.rowcount
