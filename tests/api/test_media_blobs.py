"""The filesystem blob store behind the media endpoint: streaming writes with a limit, nothing left behind
on failure, ranged reads, idempotent deletes."""
import pytest

from chatsvc.domain.media import BlobTooLarge
from chatsvc.storage.blobs import FileBlobStore, default_root


async def chunks(*parts: bytes, fail: bool = False):
    for part in parts:
        yield part
    if fail:
        raise ConnectionResetError("the client went away")


async def read_all(store, key, start=0, end=None) -> bytes:
    return b"".join([chunk async for chunk in store.read(key, start, end)])


def files(root):
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


async def test_put_read_delete(tmp_path):
    store = FileBlobStore(tmp_path)
    data = bytes(range(256)) * 5000  # larger than one read chunk
    assert await store.put("a/b", chunks(data[:1000], data[1000:]), limit=len(data)) == len(data)
    assert await read_all(store, "a/b") == data
    assert await read_all(store, "a/b", 10, 20) == data[10:20]
    assert await read_all(store, "a/b", len(data) - 5) == data[-5:]
    assert files(tmp_path) == ["a/b"]
    assert await store.exists("a/b")
    await store.delete("a/b")
    await store.delete("a/b")  # again: no error
    assert not await store.exists("a/b") and files(tmp_path) == []


async def test_failures_leave_nothing_behind(tmp_path):
    store = FileBlobStore(tmp_path)
    with pytest.raises(BlobTooLarge):
        await store.put("big", chunks(b"x" * 10, b"y"), limit=10)
    with pytest.raises(ConnectionResetError):
        await store.put("cut", chunks(b"x" * 10, fail=True), limit=100)
    assert files(tmp_path) == []
    with pytest.raises(FileNotFoundError):
        await read_all(store, "cut")
    with pytest.raises(ValueError):
        await store.put("../escape", chunks(b"x"), limit=10)


def test_default_root():
    assert default_root("sqlite+aiosqlite:////var/lib/chat/main.db").as_posix() == "/var/lib/chat/main-data"
    assert default_root("sqlite+aiosqlite:///./chatsvc.db").as_posix() == "chatsvc-data"
    assert default_root("postgresql+asyncpg://u@h/db").as_posix() == "chatsvc-data"
