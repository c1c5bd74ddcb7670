"""What uploaded files share: the blob store the domain writes them to, Google's limits, and file types."""
from __future__ import annotations

import mimetypes
import re
from collections.abc import AsyncIterable, AsyncIterator
from typing import Protocol

from chatsvc.domain.errors import InvalidArgument, ResourceExhausted

# Google: "You can upload attachments up to 200 MB."
MAX_UPLOAD_BYTES = 200 * 1024 * 1024
MAX_FILENAME = 255
GENERIC_TYPE = "application/octet-stream"

# Google Chat refuses these file types (Google's list of blocked attachment types, as for Gmail). Checked by
# the file name's extension; archives are not opened.
BLOCKED_EXTENSIONS = frozenset("""
    ade adp apk appx appxbundle bat cab chm cmd com cpl diagcab diagcfg diagpkg dll dmg ex ex_ exe hta img ins
    iso isp jar jnlp js jse lib lnk mde mjs msc msi msix msixbundle msp mst nsh pif ps1 scr sct shb sys vb vbe
    vbs vhd vxd wsc wsf wsh xll
""".split())

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_MIME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}\Z")


class BlobTooLarge(Exception):
    """A blob store's answer to a stream that goes past its limit."""

    def __init__(self, limit: int):
        super().__init__(f"more than {limit} bytes")
        self.limit = limit


class PayloadTooLarge(ResourceExhausted):
    """An upload over the size limit (the media endpoint answers HTTP 413)."""

    reason = "UPLOAD_TOO_LARGE"


class BlobStore(Protocol):
    async def put(self, key: str, chunks: AsyncIterable[bytes], *, limit: int) -> int: ...

    def read(self, key: str, start: int = 0, end: int | None = None) -> AsyncIterator[bytes]: ...

    async def exists(self, key: str) -> bool: ...

    async def delete(self, key: str) -> None: ...


def too_large(limit: int) -> PayloadTooLarge:
    return PayloadTooLarge(f"The upload is larger than the limit of {limit // (1024 * 1024)} MB.")


def content_name(filename: str, field: str = "filename") -> str:
    """The file's own name (Chat keeps the original name, not its path); refuses blocked file types."""
    name = re.split(r"[/\\]", filename)[-1].strip()
    if not name:
        raise InvalidArgument.field(field, "is required: the file's name, with its extension")
    if len(name) > MAX_FILENAME or _CONTROL.search(name):
        raise InvalidArgument.field(field, f"must be at most {MAX_FILENAME} characters, without control characters")
    extension = name.rpartition(".")[2].lower() if "." in name else ""
    if extension in BLOCKED_EXTENSIONS:
        raise InvalidArgument.field(field, f"files of type `.{extension}` are blocked by Google Chat",
                                    reason="FILE_TYPE_BLOCKED")
    return name


def content_type(name: str, declared: str = "") -> str:
    """The MIME type an upload is stored with: the one the client declared, unless it is absent or generic, in
    which case the file name's extension decides."""
    declared = declared.split(";", 1)[0].strip().lower()
    if declared and declared != GENERIC_TYPE:
        if not _MIME.match(declared):
            raise InvalidArgument.field("content_type", f"`{declared}` is not a MIME type")
        return declared
    guessed, _ = mimetypes.guess_type(name, strict=False)
    return guessed or GENERIC_TYPE


async def one_chunk(data: bytes) -> AsyncIterator[bytes]:
    """Bytes already in memory (a gRPC payload) as a stream for the blob store."""
    if data:
        yield data
