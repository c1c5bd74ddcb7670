"""File contents (attachments, custom emoji images), kept out of the database.

`FileBlobStore` keeps each blob as one file under a directory. It implements the domain's BlobStore port
(domain/media.py); an object store can stand in for it by implementing the same four methods. Data moves
in chunks both ways: no blob is ever held in memory whole.
"""
from __future__ import annotations

import asyncio
import os
import re
import uuid
from collections.abc import AsyncIterable, AsyncIterator
from pathlib import Path

from chatsvc.domain.media import BlobTooLarge

# Disk writes go through a worker thread; gathering network chunks into writes of this size keeps the
# number of thread hops low (a 100 MB upload is ~100 hops) while bounding what is held in memory.
WRITE_BUFFER = 1 << 20
READ_CHUNK = 256 << 10
_KEY = re.compile(r"^[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*\Z")


class FileBlobStore:
    def __init__(self, root: str | Path):
        self._root = Path(root)

    def _path(self, key: str) -> Path:
        if not _KEY.match(key):  # keys are made by the server from ids; this guards against a bug, not users
            raise ValueError(f"bad blob key {key!r}")
        return self._root / key

    async def put(self, key: str, chunks: AsyncIterable[bytes], *, limit: int) -> int:
        """Streams `chunks` into the blob `key` and returns its size. More than `limit` bytes: BlobTooLarge,
        and nothing is left behind; the same for any other failure (a client that goes away mid-upload).
        The blob appears under its key only once complete."""
        final = self._path(key)
        incoming = self._root / ".incoming"
        await asyncio.to_thread(incoming.mkdir, parents=True, exist_ok=True)
        temporary = incoming / uuid.uuid4().hex
        handle = await asyncio.to_thread(open, temporary, "wb")
        size, pending, buffered = 0, [], 0
        try:
            async for chunk in chunks:
                size += len(chunk)
                if size > limit:
                    raise BlobTooLarge(limit)
                pending.append(chunk)
                buffered += len(chunk)
                if buffered >= WRITE_BUFFER:
                    await asyncio.to_thread(handle.writelines, pending)
                    pending, buffered = [], 0
            await asyncio.to_thread(_finish, handle, pending, temporary, final)
        except BaseException:
            await asyncio.to_thread(_discard, handle, temporary)
            raise
        return size

    async def read(self, key: str, start: int = 0, end: int | None = None) -> AsyncIterator[bytes]:
        """The bytes of [start, end) of the blob (to its end without `end`), chunk by chunk."""
        handle = await asyncio.to_thread(open, self._path(key), "rb")
        try:
            await asyncio.to_thread(handle.seek, start)
            left = None if end is None else end - start
            while left is None or left > 0:
                chunk = await asyncio.to_thread(handle.read, READ_CHUNK if left is None else min(READ_CHUNK, left))
                if not chunk:
                    break
                if left is not None:
                    left -= len(chunk)
                yield chunk
        finally:
            await asyncio.to_thread(handle.close)

    async def exists(self, key: str) -> bool:
        return await asyncio.to_thread(self._path(key).is_file)

    async def delete(self, key: str) -> None:
        """Removes the blob; a missing one is not an error (deletes may be repeated)."""
        await asyncio.to_thread(self._path(key).unlink, missing_ok=True)


def _finish(handle, pending: list[bytes], temporary: Path, final: Path) -> None:
    handle.writelines(pending)
    handle.close()
    final.parent.mkdir(parents=True, exist_ok=True)
    os.replace(temporary, final)


def _discard(handle, temporary: Path) -> None:
    handle.close()
    temporary.unlink(missing_ok=True)


def default_root(database_url: str) -> Path:
    """Where blobs go unless configured: beside a SQLite database file (`chatsvc.db` -> `chatsvc-data`), else
    ./chatsvc-data."""
    from sqlalchemy.engine import make_url

    url = make_url(database_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        path = Path(url.database)
        return path.with_name(f"{path.stem}-data")
    return Path("chatsvc-data")
