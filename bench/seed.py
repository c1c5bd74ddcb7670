"""The benchmark's data, written straight through the storage layer.

The caller, its spaces and memberships come from the domain code that CreateSpace runs (so those rows are
exactly what the API writes); the bulk (threads and messages, one thread per message as for top-level posts)
goes into the Core tables' columns in large batches and few transactions (executemany on SQLite, COPY on
PostgreSQL), with the secondary indexes of both tables dropped for the load and rebuilt from their own DDL.
The first message of each space is written by MessageRepository.add and compared, column by column, with
what the bulk builder makes for it, so the seed cannot drift from the repository unnoticed; every message gets the
snapshot CreateMessage stores (the API layer's encoding, which ListMessages splices into its answers).

The full-text index of message text (storage/search_index.py) is dropped before the bulk load and rebuilt
after it by search_index.create, which indexes the stored messages in one pass (its path for databases that
predate the index): the index ends up with the same entries the per-row triggers (SQLite) or the GIN index
(PostgreSQL) would have made, in a fraction of the time, and the schema afterwards is checked to be exactly
the one `chatsvc migrate` made. Space events are not seeded (no scenario reads them).
"""
from __future__ import annotations

import base64
import json
import random
import time
from dataclasses import asdict, dataclass, field

from sqlalchemy import select, update

from chatsvc.api.message_protos import MessageSnapshots
from chatsvc.config import Settings
from chatsvc.domain.models import Message, SpaceType, User
from chatsvc.domain.principal import DEFAULT_APP, AuthKind, Principal
from chatsvc.domain.space_drafts import SpaceDraft
from chatsvc.domain.spaces import Spaces
from chatsvc.domain.users import Directory
from chatsvc.storage import search_index
from chatsvc.storage.database import Database
from chatsvc.storage.tables import messages, spaces, threads

SEED_VERSION = 3  # bump when the seeded content changes, to invalidate cached seeds
CALLER = "bench@example.com"
BATCH = 20_000
ROWS_PER_TRANSACTION = 200_000
SQLITE_CACHE_KB = 1_000_000  # while seeding
# Message text: a few words from a small vocabulary, as chat goes (the full-text index sees few distinct terms).
_WORDS = tuple(("release deploy lunch review meeting budget design customer ticket launch coffee standup incident "
                "roadmap metrics hiring offsite backlog sprint demo the a to is it on for we can you this that will "
                "be at with today tomorrow please thanks ok sure done build test fix bug ship merge branch").split())


@dataclass(frozen=True)
class SeedSizes:
    small: int = 10_000  # ListMessages in a space of this many messages (GetSpace reads this space too)
    large: int = 1_000_000  # ... and in one of this many
    reactable: int = 5_000  # messages CreateReaction reacts to


@dataclass
class Seeded:
    """What the scenarios need to know about the seeded data."""
    caller: str
    small_space: str
    large_space: str
    writes_space: str  # CreateMessage posts here, so the listed spaces stay as seeded
    reactions_space: str
    reactable_ids: list[str] = field(default_factory=list)
    seconds: float = 0.0  # how long seeding took (when this database was seeded rather than copied)

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> Seeded:
        return cls(**json.loads(text))


def _clock() -> int:
    return time.time_ns() // 1000


async def seed(url: str, sizes: SeedSizes) -> Seeded:
    """Creates the schema (as `chatsvc migrate` does) and the benchmark's data in the empty database at `url`."""
    from chatsvc.app import open_database

    started = time.monotonic()
    db = await open_database(Settings(database_url=url))
    try:
        directory = Directory(db, _clock)
        caller = Principal(kind=AuthKind.USER, email=CALLER)
        sender = await directory.caller(caller)
        app = await directory.app(DEFAULT_APP)  # threads started under user auth belong to the app used
        space_maker = Spaces(db, directory, _clock)
        made = {}
        for label in ("small", "large", "writes", "reactions"):
            made[label] = (await space_maker.create(
                caller, SpaceDraft(space_type=SpaceType.SPACE, display_name=f"bench {label}"))).id
        rng = random.Random(f"chatsvc-bench-{SEED_VERSION}")
        schema = await _schema(db)
        await _drop_search_index(db)
        indexes = await _drop_secondary_indexes(db)
        await _fill(db, made["small"], sizes.small, sender, app.id, rng)
        await _fill(db, made["large"], sizes.large, sender, app.id, rng)
        reactable = await _fill(db, made["reactions"], sizes.reactable, sender, app.id, rng)
        async with db.engine.begin() as conn:
            if db.is_sqlite:
                await conn.exec_driver_sql(f"PRAGMA cache_size = -{SQLITE_CACHE_KB}")
            for statement in indexes:  # built from sorted data: far quicker than row by row
                await conn.exec_driver_sql(statement)
            await conn.run_sync(search_index.create)
        if await _schema(db) != schema:
            raise RuntimeError("after seeding, the schema differs from the one `chatsvc migrate` made: "
                               "bench/seed.py's handling of the full-text index needs updating")
        if db.is_sqlite:
            async with db.engine.connect() as conn:  # fold the WAL into the file, so a copy of it is whole
                await conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        else:
            async with db.engine.connect() as conn:  # planner statistics, as autovacuum would gather later
                conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
                await conn.exec_driver_sql("VACUUM ANALYZE")
    finally:
        await db.dispose()
    return Seeded(CALLER, made["small"], made["large"], made["writes"], made["reactions"], reactable,
                  round(time.monotonic() - started, 1))


def _ids(rng: random.Random, count: int, length: int) -> list[str]:
    """Random alphanumeric ids, as ids.opaque_id makes them (from a seeded generator, and much faster)."""
    squeeze = bytes.maketrans(b"+/", b"xy")
    return [base64.b64encode(rng.randbytes(length)).translate(squeeze)[:length].decode() for _ in range(count)]


_SNAPSHOTS = MessageSnapshots()


def _message_row(space_id: str, message_id: str, thread_id: str, sender: User, create_time_us: int,
                 text: str) -> dict:
    """The row MessageRepository.add writes for a plain text message (other columns take their defaults)."""
    snapshot = _SNAPSHOTS(Message(space_id=space_id, id=message_id, sender_id=sender.id, thread_id=thread_id,
                                  create_time_us=create_time_us, text=text, sender=sender))
    return dict(space_id=space_id, id=message_id, sender_id=sender.id, thread_id=thread_id,
                create_time_us=create_time_us, last_update_time_us=0, delete_time_us=0, text=text,
                client_id=None, request_id=None, thread_reply=False, viewer_id=None, deletion_type=0,
                snapshot=snapshot)


def _text(rng: random.Random) -> str:
    return " ".join(rng.choices(_WORDS, k=rng.randint(3, 9)))


def _default(column):
    """A column's value when a row leaves it out: its scalar default, else NULL."""
    return column.default.arg if column.default is not None and not callable(column.default.arg) else None


async def _insert_many(conn, table, rows: list[dict]) -> None:
    """Rows into `table` by the driver's fastest path: executemany on SQLite, COPY on PostgreSQL (SQLAlchemy's
    per-row parameter processing would cost more than the database's own work)."""
    columns = list(table.columns)
    records = [tuple(row.get(c.name, _default(c)) for c in columns) for row in rows]
    names = [c.name for c in columns]
    if conn.dialect.name == "sqlite":
        await conn.exec_driver_sql(f"INSERT INTO {table.name} ({', '.join(names)}) "
                                   f"VALUES ({', '.join('?' * len(names))})", records)
    else:
        raw = await conn.get_raw_connection()
        await raw.driver_connection.copy_records_to_table(table.name, records=records, columns=names)


async def _fill(db: Database, space_id: str, count: int, sender: User, app_id: str,
                rng: random.Random) -> list[str]:
    """`count` messages a millisecond apart, ending a little before now; returns their ids."""
    if count == 0:
        return []
    start = _clock() - (count + 1) * 1000
    ids = _ids(rng, count, 22)
    thread_ids = _ids(rng, count, 11)
    first = Message(space_id=space_id, id=ids[0], sender_id=sender.id, thread_id=thread_ids[0],
                    create_time_us=start, text=_text(rng), sender=sender)
    async with db.transaction(write=True) as repos:
        await repos.threads.add(space_id, first.thread_id, app_id, None, first.create_time_us)
        await repos.messages.add(first, _SNAPSHOTS(first))
    await _check_row(db, first)
    for low in range(1, count, ROWS_PER_TRANSACTION):
        high = min(low + ROWS_PER_TRANSACTION, count)
        async with db.engine.begin() as conn:
            if db.is_sqlite:  # the tables outgrow SQLite's default 2 MB page cache early on
                await conn.exec_driver_sql(f"PRAGMA cache_size = -{SQLITE_CACHE_KB}")
            for batch in range(low, high, BATCH):
                span = range(batch, min(batch + BATCH, high))
                await _insert_many(conn, threads, [dict(
                    space_id=space_id, id=thread_ids[n], app_id=app_id, thread_key=None, thread_key_hash=None,
                    create_time_us=start + n * 1000) for n in span])
                await _insert_many(conn, messages, [_message_row(
                    space_id, ids[n], thread_ids[n], sender, start + n * 1000, _text(rng)) for n in span])
    async with db.engine.begin() as conn:
        await conn.execute(update(spaces).where(spaces.c.id == space_id).values(
            last_active_time_us=start + (count - 1) * 1000))
    return ids


async def _check_row(db: Database, message: Message) -> None:
    """The repository's row for `message` must be the bulk builder's row for it, column by column."""
    async with db.engine.connect() as conn:
        stored = (await conn.execute(select(messages).where(
            messages.c.space_id == message.space_id, messages.c.id == message.id))).one()._mapping
    built = _message_row(message.space_id, message.id, message.thread_id, message.sender,
                         message.create_time_us, message.text)
    differing = []
    for column in messages.columns:
        expected = built[column.name] if column.name in built else _default(column)
        if stored[column.name] != expected:
            differing.append(f"{column.name}: repository {stored[column.name]!r}, seed {expected!r}")
    if differing:
        raise RuntimeError("bench/seed.py is out of step with MessageRepository.add; update _message_row: "
                           + "; ".join(differing))


async def _schema(db: Database) -> list:
    """The schema as the database describes it (SQLite: sqlite_master; PostgreSQL: columns and indexes)."""
    if db.is_sqlite:
        sql = "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"
    else:
        sql = ("SELECT table_name, column_name, data_type, generation_expression FROM information_schema.columns "
               "WHERE table_schema = current_schema() UNION ALL SELECT tablename, indexname, indexdef, '' "
               "FROM pg_indexes WHERE schemaname = current_schema() ORDER BY 1, 2")
    async with db.engine.connect() as conn:
        return [tuple(row) for row in await conn.exec_driver_sql(sql)]


async def _drop_secondary_indexes(db: Database) -> list[str]:
    """Drops the indexes of `threads` and `messages` that no constraint needs; returns the DDL that makes them
    again. (Primary keys and unique constraints stay: the load is checked against them as it goes.)"""
    if db.is_sqlite:
        sql = ("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('threads', 'messages') "
               "AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'")
    else:
        sql = ("SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = current_schema() "
               "AND i.tablename IN ('threads', 'messages') AND i.indexdef NOT LIKE 'CREATE UNIQUE%'")
    async with db.engine.begin() as conn:
        found = (await conn.exec_driver_sql(sql)).all()
        for name, _ in found:
            await conn.exec_driver_sql(f'DROP INDEX "{name}"')
    return [ddl for _, ddl in found]


async def _drop_search_index(db: Database) -> None:
    """Takes the full-text index away for the bulk load (search_index.create brings it back)."""
    async with db.engine.begin() as conn:
        if db.is_sqlite:
            triggers = await conn.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'messages'")
            for (name,) in triggers.all():
                await conn.exec_driver_sql(f'DROP TRIGGER "{name}"')
            await conn.exec_driver_sql(f"DROP TABLE {search_index.FTS}")
            await conn.exec_driver_sql(f"DROP TABLE {search_index.DOCS}")
        else:
            await conn.exec_driver_sql(f"DROP INDEX {search_index.GIN_INDEX}")
