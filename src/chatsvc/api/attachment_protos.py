"""google.chat.v1.Attachment <-> the domain's attachments, and the attachments a message stores."""
from __future__ import annotations

from google.chat.v1 import attachment_pb2, message_pb2

from chatsvc.aip import names
from chatsvc.api.media_urls import MediaUrls
from chatsvc.domain.models import Attachment

Proto = attachment_pb2.Attachment


def attachment_proto(attachment: Attachment, urls: MediaUrls) -> Proto:
    """An uploaded attachment as Chat shows it. The data reference names what the media API downloads;
    images get a thumbnail URI (the image itself: no thumbnails are rendered)."""
    name = names.attachment_name(attachment.space_id, attachment.message_id, attachment.id)
    download = urls.download(name)
    return Proto(
        name=name, content_name=attachment.content_name, content_type=attachment.content_type,
        attachment_data_ref=attachment_pb2.AttachmentDataRef(resource_name=name),
        download_uri=download, thumbnail_uri=download if attachment.content_type.startswith("image/") else "",
        source=Proto.Source.UPLOADED_CONTENT)


def upload_tokens(message: message_pb2.Message) -> tuple[str, ...]:
    """The upload token of each attachment of a message as sent ("" for one without)."""
    return tuple(a.attachment_data_ref.attachment_upload_token for a in message.attachment)


class MessageAttachments:
    """The domain's Encoder (domain/attachments.py): a message's attachments as sent, with each one that
    carried an upload token replaced by the attachment it became."""

    def __init__(self, urls: MediaUrls):
        self._urls = urls

    def __call__(self, sent: bytes, claimed: list[Attachment]) -> bytes:
        message = message_pb2.Message.FromString(sent)
        uploads = iter(claimed)
        kept = message_pb2.Message()
        for attachment in message.attachment:
            if attachment.attachment_data_ref.attachment_upload_token:
                kept.attachment.append(attachment_proto(next(uploads), self._urls))
            else:
                kept.attachment.append(attachment)
        return kept.SerializeToString(deterministic=True)
