"""chatsvc.campaigns.v1 RPCs: SetMailboxMessageRead and the Batch*MailboxMessages RPCs."""
from __future__ import annotations

from google.protobuf import empty_pb2

from chatsvc.domain.principal import current_principal


class MailboxApi:
    """Mixed into the CampaignService servicer; uses `self.mailbox` (chatsvc.domain.mailbox.Mailbox)."""

    async def SetMailboxMessageRead(self, request, context):
        await self.mailbox.set_read(current_principal(), request.credential, request.message_id, request.read)
        return empty_pb2.Empty()

    async def BatchSetMailboxMessagesRead(self, request, context):
        await self.mailbox.batch_set_read(current_principal(), request.credential, list(request.message_ids),
                                          request.read)
        return empty_pb2.Empty()

    async def BatchTrashMailboxMessages(self, request, context):
        await self.mailbox.batch_trash(current_principal(), request.credential, list(request.message_ids))
        return empty_pb2.Empty()

    async def BatchArchiveMailboxMessages(self, request, context):
        await self.mailbox.batch_archive(current_principal(), request.credential, list(request.message_ids))
        return empty_pb2.Empty()
