"""google.chat.v1 attachment RPCs.

The gRPC API carries no file bytes (Google moves them over HTTP: see api/media_http.py). UploadAttachment
over gRPC is the media API's metadata-only request: it is checked like any upload and records an empty
file, whose token a message can carry like any other.
"""
from __future__ import annotations

from google.chat.v1 import attachment_pb2

from chatsvc.aip import names
from chatsvc.api.attachment_protos import attachment_proto
from chatsvc.domain.media import one_chunk
from chatsvc.domain.principal import current_principal


def upload_response(upload) -> attachment_pb2.UploadAttachmentResponse:
    return attachment_pb2.UploadAttachmentResponse(
        attachment_data_ref=attachment_pb2.AttachmentDataRef(attachment_upload_token=upload.upload_token))


class AttachmentsApi:
    """Mixed into the ChatService servicer; `self.attachments` and `self.media` come from it."""

    async def UploadAttachment(self, request, context):
        space_id = names.space(request.parent, "parent")
        upload = await self.attachments.upload(current_principal(), space_id, request.filename, "", one_chunk(b""))
        return upload_response(upload)

    async def GetAttachment(self, request, context):
        space_id, message_id, attachment_id = names.attachment(request.name)
        attachment = await self.attachments.get(current_principal(), space_id, message_id, attachment_id)
        return attachment_proto(attachment, self.media)
