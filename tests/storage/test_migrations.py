"""Alembic migrations (storage/migrations/) on both backends: an empty database upgraded to head has exactly the
schema of storage/tables*.py, migrating again changes nothing, a database made before migrations is adopted
(or refused, saying why), and `chatsvc migrate [--check]` reports the revision."""
from __future__ import annotations

import asyncio
import os
import sys

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.ext.asyncio import create_async_engine

from chatsvc.storage import migrator, search_index
from chatsvc.storage.database import Database
from chatsvc.storage.migrator import SchemaMismatch
from chatsvc.storage.tables import metadata
from tests.conftest import fresh_database_url

CLI_SECONDS = 60  # a loaded machine starts Python slowly


def _schema_differences(connection) -> list:
    # The full-text index objects (FTS5 tables and triggers, the tsvector column and its GIN index) are not in
    # the metadata: include_name leaves them out of the comparison, as it does for autogenerate.
    context = MigrationContext.configure(connection, opts={"include_name": migrator.include_name,
                                                           "compare_type": True})
    return compare_metadata(context, metadata)


async def _differences(db: Database) -> list:
    async with db.engine.connect() as conn:
        return await conn.run_sync(_schema_differences)


def _search_objects(connection) -> set[str]:
    if connection.dialect.name == "sqlite":
        rows = connection.exec_driver_sql("SELECT name FROM sqlite_master WHERE name LIKE 'message_search%'")
        return {name for (name,) in rows}
    return {name for (name,) in connection.exec_driver_sql(
        f"SELECT indexname FROM pg_indexes WHERE indexname = '{search_index.GIN_INDEX}'")}


async def _revision_rows(db: Database) -> list[str]:
    async with db.engine.connect() as conn:
        return list((await conn.execute(text(f"SELECT version_num FROM {migrator.VERSION_TABLE}"))).scalars())


@pytest.fixture
async def db(database_url):
    database = Database(database_url)
    yield database
    await database.dispose()


@pytest.mark.parametrize("path", ["migrations-run", "statements-replayed"])
async def test_an_empty_database_upgraded_to_head_has_the_schema_of_the_tables(db, path, tmp_path):
    # The first empty database a process migrates runs the migrations; later ones replay the statements
    # recorded then (migrator._create). Both must give the schema of the tables.
    migrator._CREATIONS.clear()
    if path == "statements-replayed":
        backend = "sqlite" if db.is_sqlite else "postgres"
        async with fresh_database_url(backend, tmp_path / "first") as first_url:
            first = Database(first_url)
            try:
                await first.migrate()
            finally:
                await first.dispose()
        assert migrator._CREATIONS
    assert await db.migrate() == migrator.head()
    differences = await _differences(db)
    assert differences == [], (
        "storage/tables*.py and the migrations disagree: a table changed without a new revision. Run "
        '`make migration NAME="what changed"` (alembic revision --autogenerate against a database at head), '
        f"review the file it writes in src/chatsvc/storage/migrations/versions/, and commit it. {differences}")
    async with db.engine.connect() as conn:
        objects = await conn.run_sync(_search_objects)
    if db.is_sqlite:
        assert {search_index.FTS, search_index.DOCS, "message_search_insert", "message_search_update",
                "message_search_delete"} <= objects
    else:
        assert objects == {search_index.GIN_INDEX}


async def test_migrating_again_changes_nothing(db):
    first = await db.migrate()
    async with db.engine.connect() as conn:
        before = await conn.run_sync(lambda c: sorted(inspect(c).get_table_names()))
    assert await db.migrate() == first
    async with db.engine.connect() as conn:
        assert await conn.run_sync(lambda c: sorted(inspect(c).get_table_names())) == before
    assert await _revision_rows(db) == [first]
    assert await db.revisions() == (first, first)


async def _create_as_before_migrations(db: Database, *, with_index: bool = True) -> None:
    """What earlier builds made on start: the tables of revision 0001 (the last schema before migrations),
    then the full-text index; without a version table."""
    async with db.engine.begin() as conn:
        await conn.run_sync(migrator.upgrade, migrator.BASE)
        await conn.execute(text(f"DROP TABLE {migrator.VERSION_TABLE}"))
        if not with_index:  # revision 0001 builds the index: take it away again
            if db.is_sqlite:
                drops = [f"DROP TRIGGER message_search_{op}" for op in ("insert", "update", "delete")]
                drops += [f"DROP TABLE {search_index.FTS}", f"DROP TABLE {search_index.DOCS}"]
            else:
                drops = [f"DROP INDEX {search_index.GIN_INDEX}",
                         f"ALTER TABLE messages DROP COLUMN {search_index.VECTOR}"]
            for statement in drops:
                await conn.execute(text(statement))


@pytest.mark.parametrize("with_index", [True, False], ids=["with-index", "before-the-index"])
async def test_a_database_from_before_migrations_is_stamped_and_works(db, with_index):
    await _create_as_before_migrations(db, with_index=with_index)
    async with db.transaction(write=True) as repos:
        await repos.settings.put_if_absent("kept", b"across adoption")
    assert await db.revisions() == (None, migrator.head())
    assert await db.migrate() == migrator.head()
    assert await _revision_rows(db) == [migrator.head()]
    assert await _differences(db) == []
    async with db.engine.connect() as conn:
        assert await conn.run_sync(_search_objects)  # built if the database predates it
    async with db.transaction() as repos:
        assert await repos.settings.get("kept") == b"across adoption"


async def test_a_database_from_before_migrations_that_differs_is_refused_untouched(db):
    await _create_as_before_migrations(db)
    async with db.engine.begin() as conn:
        await conn.execute(text("DROP TABLE consent_states_used"))
        await conn.execute(text("ALTER TABLE server_settings ADD COLUMN note VARCHAR(10)"))
    with pytest.raises(SchemaMismatch) as refused:
        await db.migrate()
    message = str(refused.value)
    assert "table consent_states_used missing" in message
    assert "unexpected column server_settings.note" in message
    assert "chatsvc migrate" in message  # says what to do
    async with db.engine.connect() as conn:  # nothing was stamped
        assert not await conn.run_sync(lambda c: inspect(c).has_table(migrator.VERSION_TABLE))


async def test_four_processes_migrate_one_fresh_sqlite_file_at_once(tmp_path):
    # Four engines (each with its own connections, as separate processes would have): the write lock taken
    # by BEGIN IMMEDIATE lets one create the schema; the others wait, then find it current.
    url = f"sqlite+aiosqlite:///{tmp_path / 'shared.db'}"
    replicas = [Database(url) for _ in range(4)]
    try:
        assert await asyncio.gather(*(db.migrate() for db in replicas)) == [migrator.head()] * 4
        assert await _revision_rows(replicas[0]) == [migrator.head()]
    finally:
        await asyncio.gather(*(db.dispose() for db in replicas))


async def _cli(*args: str) -> tuple[int, str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHATSVC_")}
    proc = await asyncio.create_subprocess_exec(sys.executable, "-m", "chatsvc.cli", "migrate", *args, env=env,
                                                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    try:
        out, err = await asyncio.wait_for(proc.communicate(), CLI_SECONDS)
    except TimeoutError:
        proc.kill()
        await proc.wait()
        raise
    return proc.returncode, out.decode(), err.decode()


async def test_the_migrate_command_reports_and_checks_the_revision(database_url):
    head = migrator.head()
    code, _out, err = await _cli("--database", database_url, "--check")
    assert code == 1 and f"revision none, this build's newest is {head}" in err
    code, out, _err = await _cli("--database", database_url)
    assert (code, out) == (0, f"{head}\n")
    code, out, _err = await _cli("--database", database_url, "--check")
    assert (code, out) == (0, f"{head}\n")


async def test_the_migrate_command_explains_a_database_it_cannot_adopt(tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'old.db'}"
    engine = create_async_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.execute(text("CREATE TABLE spaces (id VARCHAR(32) PRIMARY KEY)"))
    finally:
        await engine.dispose()
    code, out, err = await _cli("--database", url)
    assert code == 2 and out == ""
    assert "from before migrations" in err and "table messages missing" in err
