"""Files uploaded for campaign attachments: streamed into the same blob store as chat attachments, within
the size limit of the mail service they are meant for."""
from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterable
from dataclasses import dataclass

from chatsvc.aip import campaign_names as names
from chatsvc.domain.access import write
from chatsvc.domain.campaign_models import EmailFile, Origin
from chatsvc.domain.errors import InvalidArgument, NotFound
from chatsvc.domain.media import GENERIC_TYPE, BlobStore, BlobTooLarge, too_large
from chatsvc.domain.ports import Clock, Transactions
from chatsvc.domain.principal import Principal
from chatsvc.domain.users import Directory

MB = 1024 * 1024
# The seed's limits: Gmail and Outlook take 26 MB for one attachment or for all of a message's together; the
# product's own mail service 15 MB.
ORIGIN_LIMITS = {Origin.GMAIL: 26 * MB, Origin.OUTLOOK: 26 * MB, Origin.MAILGUN: 15 * MB}
ORIGIN_LABELS = {Origin.GMAIL: "Gmail", Origin.OUTLOOK: "Outlook", Origin.MAILGUN: "the mail service"}
MAX_FILENAME = 255
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_MIME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}\Z")


@dataclass(frozen=True)
class UploadMetadata:
    parent: str
    origin: int  # 0: not given
    filename: str
    mime_type: str = ""


def _checked(meta: UploadMetadata) -> tuple[Origin, str, str]:
    try:
        origin = Origin(meta.origin)
    except ValueError:
        raise InvalidArgument.field("metadata.origin", "is required: ORIGIN_GMAIL, ORIGIN_OUTLOOK or "
                                                       "ORIGIN_MAILGUN") from None
    filename = meta.filename
    if not filename.strip():
        raise InvalidArgument.field("metadata.filename", "is required")
    if len(filename) > MAX_FILENAME or _CONTROL.search(filename) or "/" in filename or "\\" in filename:
        raise InvalidArgument.field("metadata.filename", f"must be a file name (no path) of at most {MAX_FILENAME} "
                                                         "characters")
    mime = meta.mime_type.strip().lower() or GENERIC_TYPE
    if not _MIME.match(mime):
        raise InvalidArgument.field("metadata.mime_type", f"`{meta.mime_type}` is not a media type")
    return origin, filename, mime


class EmailFiles:
    def __init__(self, db: Transactions, directory: Directory, clock: Clock, blobs: BlobStore):
        self._db = db
        self._directory = directory
        self._clock = clock
        self._blobs = blobs

    async def upload(self, principal: Principal, meta: UploadMetadata, chunks: AsyncIterable[bytes]) -> EmailFile:
        """Streams the content to the blob store, refusing it as soon as it passes the origin's limit;
        on any failure neither the blob nor a row stays behind."""
        segment = names.user_parent(meta.parent, "metadata.parent")
        origin, filename, mime = _checked(meta)
        user = await self._directory.caller(principal)
        if segment not in ("me", user.id, user.email):
            raise NotFound(f"`{meta.parent}` not found.", reason="USER_NOT_FOUND")
        file_id = str(uuid.uuid4())
        key = f"email-files/{file_id}"
        limit = ORIGIN_LIMITS[origin]
        try:
            size = await self._blobs.put(key, chunks, limit=limit)
        except BlobTooLarge:
            raise too_large(limit) from None
        stored = EmailFile(id=file_id, user_id=user.id, filename=filename, mime_type=mime, size_bytes=size,
                           origin=origin, blob_key=key, create_time_us=self._clock())
        try:
            await write(self._db, lambda repos: repos.email_files.add(stored))
        except BaseException:
            await self._blobs.delete(key)
            raise
        return stored

    @staticmethod
    def name(f: EmailFile) -> str:
        return names.email_file_name(f.user_id, f.id)
