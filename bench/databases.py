"""A seeded database per backend, and a fresh copy of it for each server configuration (writes made while
measuring one configuration never reach the next).

SQLite: the seeded file is cached in bench/.cache, keyed by the schema `chatsvc migrate` creates, the seed
version and the sizes; a copy of it is a file copy. PostgreSQL (CHATSVC_BENCH_DATABASE_URL): a new database
is seeded on that server for each run and copied with CREATE DATABASE ... TEMPLATE; all are dropped at the end.
"""
from __future__ import annotations

import asyncio
import hashlib
import os
import shutil
import sqlite3
import uuid
from pathlib import Path

from sqlalchemy.engine import make_url

from bench.seed import SEED_VERSION, Seeded, SeedSizes, seed

SEED_CACHE = Path(__file__).resolve().parent / ".cache"


class SqliteSeed:
    backend = "sqlite"

    def __init__(self, workdir: Path, sizes: SeedSizes, cache: Path | None):
        self._workdir = workdir
        self._sizes = sizes
        self._cache = cache  # None: seed in workdir, cache nothing
        self._copies: list[Path] = []
        self.cached = False

    def prepare(self) -> Seeded:
        """The seeded file, from the cache or made now (and cached)."""
        made = self._workdir / "seed.db"
        if self._cache is None:
            self._file = made
            return asyncio.run(seed(_sqlite_url(made), self._sizes))
        stem = self._cache / f"seed-sqlite-{self._key()}"
        self._file, info = stem.with_suffix(".db"), stem.with_suffix(".json")
        if self._file.exists() and info.exists():
            self.cached = True
            return Seeded.from_json(info.read_text())
        seeded = asyncio.run(seed(_sqlite_url(made), self._sizes))
        self._cache.mkdir(parents=True, exist_ok=True)
        for old in self._cache.glob("seed-sqlite-*"):  # one cached seed at a time: they are large
            old.unlink()
        shutil.move(made, self._file)
        info.write_text(seeded.to_json())
        return seeded

    def copy(self, name: str, keep_others: bool = False) -> str:
        """A fresh copy of the seeded file; the copies made before are removed (they are large) unless
        `keep_others`."""
        if not keep_others:
            self.close()
        copy = self._workdir / f"{name}.db"
        shutil.copyfile(self._file, copy)
        # On disk before the server starts: else its first WAL checkpoint, whose fsync covers every dirty page
        # of the file, flushes the whole fresh copy (about 1 GB) inside a commit and stalls the server for
        # seconds (the first write scenario then measured ~15 rps with a p99 over a second).
        with open(copy, "rb+") as written:
            os.fsync(written.fileno())
        self._copies.append(copy)
        return _sqlite_url(copy)

    def close(self) -> None:
        for copy in self._copies:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{copy}{suffix}").unlink(missing_ok=True)
        self._copies.clear()

    def _key(self) -> str:
        """The schema an empty database gets from `chatsvc migrate`, with the seed's version and sizes."""
        from chatsvc.app import open_database
        from chatsvc.config import Settings

        empty = self._workdir / "schema.db"

        async def migrate() -> None:
            await (await open_database(Settings(database_url=_sqlite_url(empty)))).dispose()

        asyncio.run(migrate())
        with sqlite3.connect(empty) as conn:
            schema = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name").fetchall()
        empty.unlink()
        text = repr((schema, SEED_VERSION, self._sizes))
        return hashlib.sha256(text.encode()).hexdigest()[:16]


class PostgresSeed:
    backend = "postgres"
    cached = False

    def __init__(self, server_url: str, sizes: SeedSizes):
        self._server = make_url(server_url)
        self._sizes = sizes
        self._prefix = f"chatsvc_bench_{uuid.uuid4().hex[:8]}"
        self._made: list[str] = []

    def prepare(self) -> Seeded:
        name = self._create(f"{self._prefix}_seed")
        self._seed_name = name
        return asyncio.run(seed(self._url(name), self._sizes))

    def copy(self, name: str, keep_others: bool = True) -> str:
        """A new database made from the seeded one (the copies stay until close)."""
        return self._url(self._create(f"{self._prefix}_{name}", template=self._seed_name))

    def close(self) -> None:
        for name in reversed(self._made):
            asyncio.run(self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self._made.clear()

    def _create(self, name: str, template: str | None = None) -> str:
        asyncio.run(self._admin(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else "")))
        self._made.append(name)
        return name

    def _url(self, name: str) -> str:
        return self._server.set(database=name).render_as_string(hide_password=False)

    async def _admin(self, sql: str) -> None:
        import asyncpg

        url = self._server
        conn = await asyncpg.connect(user=url.username, password=url.password, host=url.host, port=url.port,
                                     database=url.database, timeout=30)
        try:
            await conn.execute(sql, timeout=600)
        finally:
            await conn.close()

    def server_version(self) -> str:
        import asyncpg

        async def ask() -> str:
            url = self._server
            conn = await asyncpg.connect(user=url.username, password=url.password, host=url.host, port=url.port,
                                         database=url.database, timeout=30)
            try:
                return await conn.fetchval("SHOW server_version")
            finally:
                await conn.close()

        return asyncio.run(ask())


def _sqlite_url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"
