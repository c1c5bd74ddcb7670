"""Is the database intact? The engine's own consistency checks plus the invariants our schema relies on
that no constraint states. Used after fuzzing, crashes and overload: an empty list means intact.

SQLite: `PRAGMA integrity_check` (pages, indexes, NOT NULL/CHECK), `PRAGMA foreign_key_check`, FTS5's own
`integrity-check` of the message index and one index entry per message. PostgreSQL: every constraint
validated, every B-tree index checked by amcheck when the extension can be had (it needs a superuser the
first time), and the stored search vector of every message equal to the one its text gives.
"""
from __future__ import annotations

from sqlalchemy import text

from chatsvc.storage.database import Database
from chatsvc.storage.search_index import DOCS, FTS

# Cross-table invariants, true on both backends. Each query returns the offending rows; none is intact.
_INVARIANTS = {
    "a message whose thread is in another space or missing":
        "SELECT m.space_id, m.id FROM messages m WHERE NOT EXISTS "
        "(SELECT 1 FROM threads t WHERE t.space_id = m.space_id AND t.id = m.thread_id)",
    "a reaction on a message that does not exist":
        "SELECT r.space_id, r.message_id FROM reactions r WHERE NOT EXISTS "
        "(SELECT 1 FROM messages m WHERE m.space_id = r.space_id AND m.id = r.message_id)",
    "a membership in a space that does not exist":
        "SELECT ms.space_id FROM memberships ms WHERE NOT EXISTS (SELECT 1 FROM spaces s WHERE s.id = ms.space_id)",
    "a message in a space that does not exist":
        "SELECT m.space_id FROM messages m WHERE NOT EXISTS (SELECT 1 FROM spaces s WHERE s.id = m.space_id)",
}


async def integrity_problems(db: Database) -> list[str]:
    """Everything found wrong with the database, in words; [] when it is intact."""
    problems: list[str] = []
    async with db.engine.connect() as conn:
        if db.is_sqlite:
            await _sqlite_checks(conn, problems)
        else:
            await _postgres_checks(conn, problems)
        for what, query in _INVARIANTS.items():
            rows = (await conn.execute(text(query + " LIMIT 5"))).all()
            if rows:
                problems.append(f"{what}: {[tuple(r) for r in rows]}")
        await conn.rollback()
    return problems


async def _sqlite_checks(conn, problems: list[str]) -> None:
    result = [r[0] for r in (await conn.execute(text("PRAGMA integrity_check"))).all()]
    if result != ["ok"]:
        problems.append(f"integrity_check: {result[:5]}")
    orphans = (await conn.execute(text("PRAGMA foreign_key_check"))).all()
    if orphans:
        problems.append(f"foreign_key_check: {[tuple(r) for r in orphans[:5]]}")
    try:
        await conn.execute(text(f"INSERT INTO {FTS} ({FTS}) VALUES ('integrity-check')"))
    except Exception as error:  # noqa: BLE001 - the check reports corruption as an error
        problems.append(f"full-text index: {error}")
    docs, messages = (await conn.execute(text(
        f"SELECT (SELECT count(*) FROM {DOCS}), (SELECT count(*) FROM messages)"))).one()
    if docs != messages:
        problems.append(f"full-text index holds {docs} entries for {messages} messages")


async def _postgres_checks(conn, problems: list[str]) -> None:
    unvalidated = (await conn.execute(text(
        "SELECT conrelid::regclass::text, conname FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace "
        "WHERE n.nspname = current_schema() AND NOT c.convalidated"))).all()
    if unvalidated:
        problems.append(f"constraints not validated: {[tuple(r) for r in unvalidated]}")
    if await _amcheck_available(conn):
        indexes = (await conn.execute(text(
            "SELECT i.indexrelid::regclass::text FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "JOIN pg_am a ON a.oid = c.relam JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE a.amname = 'btree' AND n.nspname = current_schema()"))).scalars().all()
        for index in indexes:
            try:
                async with conn.begin_nested():
                    await conn.execute(text("SELECT bt_index_check(CAST(:index AS regclass), true)"),
                                       {"index": index})
            except Exception as error:  # noqa: BLE001 - amcheck reports corruption as an error
                problems.append(f"index {index}: {error}")


async def _amcheck_available(conn) -> bool:
    try:
        async with conn.begin_nested():
            await conn.execute(text("CREATE EXTENSION IF NOT EXISTS amcheck"))
        return True
    except Exception:  # noqa: BLE001 - not a superuser, or contrib not installed: the other checks still run
        return False
