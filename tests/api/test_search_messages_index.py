"""The full-text index behind SearchMessages: the queries the server runs use it (EXPLAIN, on SQLite and
PostgreSQL), the database keeps it in step with every write to `messages` inside the writing transaction, and
migrate() builds it for messages stored before it existed."""
import random

from alembic import command
from sqlalchemy import delete as sql_delete
from sqlalchemy import event, insert, text
from sqlalchemy import update as sql_update

from chatsvc.aip import ids
from chatsvc.storage import migrator, search_index
from chatsvc.storage.tables import messages
from tests.api.spaces_support import space_id, user_id
from tests.api.test_search_messages import View, add_member, caller, found, new_space, post, search
from tests.helpers import statement_of_a_call

WORDS = ["alpha", "beta", "gamma", "delta", "omega", "status", "report", "meeting", "notes", "plan"]


class Captured:
    """The SQL statements (with their parameters) the server sends while the block runs."""

    def __init__(self, server):
        self._engine = server.running.db.engine.sync_engine
        self.statements: list[tuple[str, object]] = []

    def _capture(self, conn, cursor, statement, parameters, context, executemany):
        if statement_of_a_call():
            self.statements.append((statement, parameters))

    def __enter__(self):
        event.listen(self._engine, "before_cursor_execute", self._capture)
        return self

    def __exit__(self, *exc):
        event.remove(self._engine, "before_cursor_execute", self._capture)

    def search(self) -> tuple[str, object]:
        (found_,) = [(s, p) for s, p in self.statements if "ORDER BY messages.create_time_us DESC" in s
                     or "search_score DESC" in s or "DESC, messages.create_time_us DESC" in s]
        return found_


async def fill(server, space, sender_email, count, *, rare_every=500):
    """`count` messages of random words straight into the store, "zanzibar" in every `rare_every`-th one."""
    sender, sid, rng = await user_id(server, sender_email), space_id(space.name), random.Random(7)
    rows = [dict(space_id=sid, id=ids.opaque_id(22), sender_id=sender, thread_id=ids.opaque_id(),
                 create_time_us=1_700_000_000_000_000 + n, last_update_time_us=0, delete_time_us=0, extras=b"",
                 text=" ".join(rng.choice(WORDS) for _ in range(8)) + (" zanzibar" if n % rare_every == 0 else ""))
            for n in range(count)]
    async with server.running.db.engine.begin() as conn:
        await conn.execute(insert(messages), rows)
    if not server.running.db.is_sqlite:
        # What autovacuum does to a table that has grown: statistics, and the GIN index's pending entries
        # merged into the index proper.
        async with server.running.db.engine.connect() as conn:
            autocommit = await conn.execution_options(isolation_level="AUTOCOMMIT")
            await autocommit.exec_driver_sql("VACUUM ANALYZE messages")


async def plan(server, statement: str, parameters) -> str:
    async with server.running.db.engine.connect() as conn:
        if server.running.db.is_sqlite:
            rows = await conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
            return "\n".join(row[-1] for row in rows)
        rows = await conn.exec_driver_sql("EXPLAIN " + statement, parameters)
        return "\n".join(row[0] for row in rows)


async def test_searches_use_the_full_text_index(server):
    alice = caller(server, "alice@example.com", "chat.users.readstate")
    space = await new_space(server, alice)
    await add_member(server, alice, space, "users/bob@example.com")
    await fill(server, space, "bob@example.com", 5000)
    await search(server, alice, "zanzibar")  # warm the caller lookup
    for query, order in (("zanzibar", ""), ('"status zanzibar" OR "zanzibar report"', "relevance desc"),
                         ('zanzibar create_time >= "2000-01-01T00:00:00Z" sender.name = "users/bob@example.com"', ""),
                         ("zanzibar is_unread()", "")):
        with Captured(server) as captured:
            response = await search(server, alice, query, order_by=order, page_size=5,
                                    view=View.SEARCH_MESSAGES_VIEW_FULL)
        assert response.results
        explained = await plan(server, *captured.search())
        if server.running.db.is_sqlite:
            assert f"SCAN {search_index.FTS} VIRTUAL TABLE INDEX" in explained, explained
            assert "SEARCH messages USING INDEX" in explained and "SCAN messages" not in explained, explained
        else:
            assert f"Bitmap Index Scan on {search_index.GIN_INDEX}" in explained, explained
            assert "Seq Scan on messages" not in explained, explained
    # Without search words the caller's spaces lead, through their messages' time index.
    for query in ('create_time >= "2000-01-01T00:00:00Z"', 'sender.name = "users/me" has_link()'):
        with Captured(server) as captured:
            await search(server, alice, query, page_size=5)
        explained = await plan(server, *captured.search())
        if server.running.db.is_sqlite:
            assert "SEARCH messages USING INDEX" in explained and "SCAN " not in explained, explained
        else:
            assert "Seq Scan" not in explained, explained


async def test_the_index_follows_every_write_in_the_same_transaction(server):
    alice = caller(server, "alice@example.com")
    space = await new_space(server, alice)
    sender, sid = await user_id(server, "alice@example.com"), space_id(space.name)
    row = dict(space_id=sid, id="written-by-sql", sender_id=sender, thread_id="t", create_time_us=1,
               last_update_time_us=0, delete_time_us=0, extras=b"", text="phantom menace")
    async with server.running.db.engine.connect() as conn:  # written, then rolled back: never searchable
        async with conn.begin() as transaction:
            await conn.execute(insert(messages).values(**row))
            await transaction.rollback()
    assert await found(server, alice, "phantom") == []
    # Writes that bypass the server's code are indexed too: the database itself keeps the index.
    async with server.running.db.engine.begin() as conn:
        await conn.execute(insert(messages).values(**row))
    assert await found(server, alice, "phantom") == ["phantom menace"]
    async with server.running.db.engine.begin() as conn:
        await conn.execute(sql_update(messages).where(messages.c.id == "written-by-sql").values(text="new hope"))
    assert await found(server, alice, "phantom") == [] and await found(server, alice, "hope") == ["new hope"]
    async with server.running.db.engine.begin() as conn:
        await conn.execute(sql_delete(messages).where(messages.c.id == "written-by-sql"))
    assert await found(server, alice, "hope") == []
    if server.running.db.is_sqlite:  # one index row per message, no more
        await post(server, alice, space, "kept")
        async with server.running.db.engine.connect() as conn:
            docs = await conn.scalar(text(f"SELECT count(*) FROM {search_index.DOCS}"))
            indexed = await conn.scalar(text(f"SELECT count(*) FROM {search_index.FTS} WHERE {search_index.FTS} "
                                             "MATCH 'kept OR phantom OR hope'"))
            assert (docs, indexed) == (1, 1)


async def test_migrate_indexes_messages_stored_before_the_index(server):
    alice = caller(server, "alice@example.com")
    space = await new_space(server, alice)
    await post(server, alice, space, "from before")
    db = server.running.db
    async with db.engine.begin() as conn:  # back to a database made before the index (and migrations) existed
        await conn.run_sync(lambda sync: command.downgrade(migrator.config(sync), migrator.BASE))
        await conn.exec_driver_sql("DROP TABLE alembic_version")
        if db.is_sqlite:
            for trigger in ("insert", "update", "delete"):
                await conn.exec_driver_sql(f"DROP TRIGGER message_search_{trigger}")
            await conn.exec_driver_sql(f"DROP TABLE {search_index.FTS}")
            await conn.exec_driver_sql(f"DROP TABLE {search_index.DOCS}")
        else:
            await conn.exec_driver_sql(f"ALTER TABLE messages DROP COLUMN {search_index.VECTOR}")
    await db.migrate()
    await db.migrate()  # and again: nothing changes
    assert await found(server, alice, "before") == ["from before"]
    await post(server, alice, space, "from after")
    assert await found(server, alice, "from") == ["from after", "from before"]
