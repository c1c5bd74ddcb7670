"""The head a server checks at start without loading Alembic is the migrations' real head, and a server on a
current database starts without loading Alembic at all (older databases migrate as before: test_migrations.py)."""
from __future__ import annotations

import subprocess
import sys

from chatsvc.storage import migrator
from chatsvc.storage.schema_head import HEAD


def test_the_constant_is_the_migrations_head():
    assert HEAD == migrator.head(), ("a new migration: set chatsvc.storage.schema_head.HEAD to "
                                     f"{migrator.head()!r}")


PROBE = r"""
import asyncio, sys
from chatsvc.storage.database import Database

async def main(url):
    db = Database(url)
    try:
        revision = await db.migrate()
    finally:
        await db.dispose()
    print(revision, "alembic" in sys.modules)

asyncio.run(main(sys.argv[1]))
"""


def _migrate_in_a_fresh_process(url: str) -> str:
    done = subprocess.run([sys.executable, "-c", PROBE, url], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_a_current_database_starts_without_alembic(tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'chat.db'}"
    assert _migrate_in_a_fresh_process(url) == f"{HEAD} True"  # empty: created by the migrator
    assert _migrate_in_a_fresh_process(url) == f"{HEAD} False"  # current: one query, no Alembic
