"""chatsvc.campaigns.v1 RPCs: UploadAttachment (client streaming: metadata first, then chunks).

Servicer attribute used: `email_files` (domain.email_files.EmailFiles)."""
from __future__ import annotations

from collections.abc import AsyncIterator

from chatsvc.api.campaign_protos import email_file_proto
from chatsvc.domain.email_files import UploadMetadata
from chatsvc.domain.errors import InvalidArgument
from chatsvc.domain.principal import current_principal


async def _chunks(requests: AsyncIterator) -> AsyncIterator[bytes]:
    """The content after the metadata; a second metadata message is refused (the blob store then discards
    what it wrote)."""
    async for message in requests:
        if message.WhichOneof("payload") != "chunk":
            raise InvalidArgument.field("metadata", "is sent once, in the first message; later messages carry "
                                                    "`chunk`s")
        if message.chunk:
            yield message.chunk


class EmailFilesApi:
    """Mixed into the CampaignService servicer."""

    async def UploadAttachment(self, request_iterator, context):
        requests = aiter(request_iterator)
        try:
            first = await anext(requests)
        except StopAsyncIteration:
            raise InvalidArgument.field("metadata", "is required in the first message") from None
        if first.WhichOneof("payload") != "metadata":
            raise InvalidArgument.field("metadata", "is required in the first message")
        m = first.metadata
        meta = UploadMetadata(parent=m.parent, origin=m.origin, filename=m.filename, mime_type=m.mime_type)
        stored = await self.email_files.upload(current_principal(), meta, _chunks(requests))
        return email_file_proto(stored)
