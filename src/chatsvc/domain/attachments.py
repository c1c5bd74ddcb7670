"""Attachments: uploads (their bytes go to the blob store), upload tokens claimed by messages, and reads.

An upload is checked before any byte is stored (the caller must be a member of the space), streamed to the
blob store, then recorded with its upload token in one transaction; a failure on the way removes the blob.
Nothing reads a whole file into memory.
"""
from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator, Callable
from dataclasses import replace

from chatsvc.aip import ids
from chatsvc.aip.names import attachment_name
from chatsvc.domain import media
from chatsvc.domain import message_rules as rules
from chatsvc.domain.access import read, visible_space, write
from chatsvc.domain.errors import InvalidArgument, NotFound
from chatsvc.domain.media import BlobStore, BlobTooLarge
from chatsvc.domain.models import Attachment, User
from chatsvc.domain.ports import Clock, Repositories, Transactions
from chatsvc.domain.principal import Principal
from chatsvc.domain.users import Directory

# (the message's attachments as sent, proto-encoded; the uploads its tokens named) -> the attachments to
# store. Supplied by the API layer, which owns the wire format.
Encoder = Callable[[bytes, list[Attachment]], bytes]
TOKEN_FIELD = "message.attachment[{}].attachment_data_ref.attachment_upload_token"


def _not_found(space_id: str, message_id: str, attachment_id: str) -> NotFound:
    return NotFound(f"Attachment `{attachment_name(space_id, message_id, attachment_id)}` not found.",
                    reason="ATTACHMENT_NOT_FOUND")


class Attachments:
    def __init__(self, db: Transactions, directory: Directory, clock: Clock, blobs: BlobStore, encode: Encoder,
                 *, max_bytes: int = media.MAX_UPLOAD_BYTES):
        self._db = db
        self._directory = directory
        self._clock = clock
        self._blobs = blobs
        self._encode = encode
        self.max_bytes = max_bytes

    # --- upload -------------------------------------------------------------------------------------------

    async def check_upload(self, principal: Principal, space_id: str, filename: str) -> str:
        """Everything an upload needs before its bytes arrive; returns the file's name. The media endpoint
        calls it first, so a refused upload is refused before a byte is stored."""
        name = media.content_name(filename)
        caller = await self._directory.caller(principal)
        await read(self._db, lambda repos: _uploader_space(repos, principal, caller, space_id))
        return name

    async def upload(self, principal: Principal, space_id: str, filename: str, declared_type: str,
                     chunks: AsyncIterable[bytes]) -> Attachment:
        """Stores the file and returns the upload, whose token a message can then carry."""
        name = await self.check_upload(principal, space_id, filename)
        kind = media.content_type(name, declared_type)
        caller = await self._directory.caller(principal)
        attachment_id = ids.opaque_id(22)
        key = f"attachments/{space_id}/{attachment_id}"
        try:
            size = await self._blobs.put(key, chunks, limit=self.max_bytes)
        except BlobTooLarge:
            raise media.too_large(self.max_bytes) from None

        async def work(repos: Repositories) -> Attachment:
            await _uploader_space(repos, principal, caller, space_id)  # still a member after the upload
            upload = Attachment(space_id=space_id, id=attachment_id, uploader_id=caller.id,
                                upload_token=ids.opaque_id(43), content_name=name, content_type=kind,
                                size_bytes=size, blob_key=key, create_time_us=self._clock())
            await repos.attachments.add(upload)
            return upload

        try:
            return await write(self._db, work)
        except BaseException:
            await self._blobs.delete(key)
            raise

    # --- messages claim uploads ---------------------------------------------------------------------------

    async def attach(self, repos: Repositories, sender_id: str, space_id: str, message_id: str, sent: bytes,
                     tokens: tuple[str, ...]) -> bytes:
        """Inside CreateMessage's or UpdateMessage's transaction: the uploads named by `tokens` (one per
        attachment as sent, "" for one without a token) become attachments of the message. Only the user who
        uploaded a file may attach it, in the space it was uploaded to, to one message."""
        wanted = [t for t in tokens if t]
        found = await repos.attachments.by_tokens(sorted(set(wanted)))
        claimed: list[Attachment] = []
        for index, token in enumerate(tokens):
            if not token:
                continue
            field = TOKEN_FIELD.format(index)
            upload = found.get(token)
            if upload is None or upload.space_id != space_id or upload.uploader_id != sender_id:
                raise InvalidArgument.field(field, "is not the upload token of a file you uploaded to this space")
            if upload.message_id and upload.message_id != message_id:
                raise InvalidArgument.field(field, "was already used: an uploaded file is attached to one message")
            if any(c.id == upload.id for c in claimed):
                raise InvalidArgument.field(field, "names a file that is already attached to this message")
            claimed.append(replace(upload, message_id=message_id))
        fresh = [c for c in claimed if not found[c.upload_token].message_id]
        if fresh and await repos.attachments.attach(space_id, [c.id for c in fresh], message_id) != len(fresh):
            # Another message claimed one of them meanwhile (and committed first).
            raise InvalidArgument.field(TOKEN_FIELD.format(tokens.index(fresh[0].upload_token)),
                                        "was already used: an uploaded file is attached to one message")
        return self._encode(sent, claimed)

    # --- read ---------------------------------------------------------------------------------------------

    async def get(self, principal: Principal, space_id: str, message_id: str, attachment_id: str) -> Attachment:
        """An attachment of a message the caller can read (a deleted message's attachments are gone too)."""
        caller = await self._directory.caller(principal)

        async def work(repos: Repositories) -> Attachment:
            await visible_space(repos, space_id, caller)
            message = await repos.messages.get(space_id, message_id)
            if message is None or message.delete_time_us or not rules.visible(message, caller, principal):
                raise _not_found(space_id, message_id, attachment_id)
            attachment = await repos.attachments.get(space_id, attachment_id)
            if attachment is None or attachment.message_id != message.id:
                raise _not_found(space_id, message_id, attachment_id)
            return attachment

        return await read(self._db, work)

    def content(self, attachment: Attachment, start: int = 0, end: int | None = None) -> AsyncIterator[bytes]:
        """The bytes of an attachment (from `get`), chunk by chunk; read after the transaction has ended."""
        return self._blobs.read(attachment.blob_key, start, end)


async def _uploader_space(repos: Repositories, principal: Principal, caller: User, space_id: str) -> None:
    space, _ = await visible_space(repos, space_id, caller)
    # chat.import alone uploads to spaces in import mode only, as for messages.
    rules.check_import_scope(principal, space, rules.CREATE_SCOPES)
