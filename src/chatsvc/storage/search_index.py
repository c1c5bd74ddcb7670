"""The full-text index of message text, for SearchMessages: FTS5 on SQLite, a generated tsvector column with
a GIN index on PostgreSQL.

The database keeps the index in step with `messages` itself (triggers on SQLite, a generated column on
PostgreSQL), inside the transaction that writes the message, so no code path can forget it: CreateMessage,
edits, tombstoning deletes and DeleteSpace alike. SQLAlchemy's metadata can express neither, so
Database.migrate() calls create() after create_all.

SQLite: `message_search_fts` is a contentless FTS5 table (the text stays in `messages` only). Its rowids come
from `message_search_docs`, an INTEGER PRIMARY KEY table mapping each message to one, because the implicit
rowid of `messages` (whose key is two strings) may be renumbered by VACUUM. Contentless FTS5 needs the old
text to remove an entry, which the triggers have as `old.text`.

PostgreSQL: `messages.search_vector`. Before splitting into words, ASCII punctuation becomes spaces and
common accented Latin letters lose their accents, so that text splits as FTS5's unicode61 tokenizer (with
remove_diacritics) splits it: `example.com`, `foo_bar` and `don't` are two words each, `café` matches `cafe`.
"""
from __future__ import annotations

import string

from sqlalchemy.ext.asyncio import AsyncConnection

DOCS = "message_search_docs"
FTS = "message_search_fts"
VECTOR = "search_vector"
GIN_INDEX = "ix_messages_search"
TS_CONFIG = "simple"  # no stemming and no stop words: every word is searchable, on both backends alike

# Latin-1 Supplement and Latin Extended-A letters and their unaccented base letters (from their canonical
# decompositions), written out so that the index never depends on the Python version's Unicode tables.
_ACCENTED = ("ÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖÙÚÛÜÝàáâãäåçèéêëìíîïñòóôõöùúûüýÿĀāĂăĄąĆćĈĉĊċČčĎďĒēĔĕĖėĘęĚěĜĝĞğĠġĢģĤĥĨĩ"
             "ĪīĬĭĮįİĴĵĶķĹĺĻļĽľŃńŅņŇňŌōŎŏŐőŔŕŖŗŘřŚśŜŝŞşŠšŢţŤťŨũŪūŬŭŮůŰűŲųŴŵŶŷŸŹźŻżŽž")
_PLAIN = ("AAAAAACEEEEIIIINOOOOOUUUUYaaaaaaceeeeiiiinooooouuuuyyAaAaAaCcCcCcCcDdEeEeEeEeEeGgGgGgGgHhIi"
          "IiIiIiIJjKkLlLlLlNnNnNnOoOoOoRrRrRrSsSsSsSsTtTtUuUuUuUuUuUuWwYyYZzZzZz")
TRANSLATE_FROM = string.punctuation + _ACCENTED
TRANSLATE_TO = " " * len(string.punctuation) + _PLAIN
assert len(TRANSLATE_FROM) == len(TRANSLATE_TO)


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


_SQLITE_TABLES = (
    f"CREATE TABLE {DOCS} (doc INTEGER PRIMARY KEY, space_id VARCHAR(32) NOT NULL, "
    f"message_id VARCHAR(64) NOT NULL, UNIQUE (space_id, message_id))",
    f"CREATE VIRTUAL TABLE {FTS} USING fts5(text, content='', tokenize='unicode61 remove_diacritics 2')",
    # Messages written before the index existed.
    f"INSERT INTO {DOCS} (space_id, message_id) SELECT space_id, id FROM messages",
    f"INSERT INTO {FTS} (rowid, text) SELECT d.doc, m.text FROM {DOCS} d "
    f"JOIN messages m ON m.space_id = d.space_id AND m.id = d.message_id",
)
_DOC_OF = "FROM {docs} WHERE space_id = {row}.space_id AND message_id = {row}.id"
_SQLITE_TRIGGERS = (
    f"""CREATE TRIGGER IF NOT EXISTS message_search_insert AFTER INSERT ON messages BEGIN
        INSERT INTO {DOCS} (space_id, message_id) VALUES (new.space_id, new.id);
        INSERT INTO {FTS} (rowid, text) VALUES (last_insert_rowid(), new.text);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS message_search_update AFTER UPDATE OF text ON messages BEGIN
        INSERT INTO {FTS} ({FTS}, rowid, text) SELECT 'delete', doc, old.text {_DOC_OF.format(docs=DOCS, row='old')};
        INSERT INTO {FTS} (rowid, text) SELECT doc, new.text {_DOC_OF.format(docs=DOCS, row='new')};
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS message_search_delete AFTER DELETE ON messages BEGIN
        INSERT INTO {FTS} ({FTS}, rowid, text) SELECT 'delete', doc, old.text {_DOC_OF.format(docs=DOCS, row='old')};
        DELETE FROM {DOCS} WHERE space_id = old.space_id AND message_id = old.id;
    END""",
)
_POSTGRES = (
    f"ALTER TABLE messages ADD COLUMN IF NOT EXISTS {VECTOR} tsvector GENERATED ALWAYS AS "
    f"(to_tsvector('{TS_CONFIG}'::regconfig, translate(text, {_literal(TRANSLATE_FROM)}, {_literal(TRANSLATE_TO)})))"
    f" STORED",
    f"CREATE INDEX IF NOT EXISTS {GIN_INDEX} ON messages USING gin ({VECTOR})",
)


async def create(conn: AsyncConnection) -> None:
    """Creates the index if it is missing (indexing the messages already stored); idempotent."""
    if conn.dialect.name == "sqlite":
        exists = await conn.exec_driver_sql(f"SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '{FTS}'")
        if exists.first() is None:
            for statement in _SQLITE_TABLES:
                await conn.exec_driver_sql(statement)
        for statement in _SQLITE_TRIGGERS:
            await conn.exec_driver_sql(statement)
    elif conn.dialect.name == "postgresql":
        # Looked up first: ALTER TABLE locks `messages` even when the column exists already.
        present = await conn.exec_driver_sql(
            f"SELECT 1 FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'messages' "
            f"AND indexname = '{GIN_INDEX}'")
        if present.first() is None:
            for statement in _POSTGRES:
                await conn.exec_driver_sql(statement)
    else:
        raise RuntimeError(f"no full-text index for the {conn.dialect.name} dialect")
