"""The full-text index of message text, for SearchMessages: FTS5 on SQLite, a generated tsvector column with
a GIN index on PostgreSQL.

The database keeps the index in step with `messages` itself (triggers on SQLite, a generated column on
PostgreSQL), inside the transaction that writes the message, so no code path can forget it: CreateMessage,
edits, tombstoning deletes and DeleteSpace alike. SQLAlchemy's metadata can express neither: migration
0001 runs statements() after creating the tables, and a database made before migrations gets create() when it
is adopted. Migration 0001 depends on this module's DDL, so change it only together with a new revision.

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

from sqlalchemy.engine import Connection

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


def statements(dialect: str) -> tuple[str, ...]:
    """The DDL that adds the index to a database that has none (indexing the messages already stored)."""
    if dialect == "sqlite":
        return _SQLITE_TABLES + _SQLITE_TRIGGERS
    if dialect == "postgresql":
        return _POSTGRES
    raise RuntimeError(f"no full-text index for the {dialect} dialect")


def create(conn: Connection) -> None:
    """Creates the index if it is missing (indexing the messages already stored); idempotent."""
    if conn.dialect.name == "sqlite":
        exists = conn.exec_driver_sql(f"SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '{FTS}'")
        indexing_stored = not exists.first()  # the tables are made now, indexing the messages stored so far
        todo = _SQLITE_TABLES + _SQLITE_TRIGGERS if indexing_stored else _SQLITE_TRIGGERS
    else:
        # Looked up first: ALTER TABLE locks `messages` even when the column exists already.
        present = conn.exec_driver_sql(
            f"SELECT 1 FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'messages' "
            f"AND indexname = '{GIN_INDEX}'")
        todo = () if present.first() else statements(conn.dialect.name)
        indexing_stored = False  # the generated column leaves no segments to merge
    for statement in todo:
        conn.exec_driver_sql(statement)
    if indexing_stored:
        # One pass over many messages leaves FTS5 with several large segments at one level, and FTS5 merges
        # them a few pages per later write: the next ~4,000 writes of a 1,000,000-message database cost 240 us
        # each in the index instead of ~50 (bench/PROFILE.md, round 4). Merging them now costs well under a
        # second for a million messages.
        conn.exec_driver_sql(f"INSERT INTO {FTS} ({FTS}) VALUES ('optimize')")


def is_index_object(kind: str, name: str | None, table: str | None) -> bool:
    """Whether a schema object belongs to this index (which the SQLAlchemy metadata does not describe): its
    tables (FTS5 adds shadow tables named after the FTS table), the tsvector column and its GIN index."""
    if kind == "table":
        return name == DOCS or (name or "").startswith(FTS)
    if kind == "column":
        return table == "messages" and name == VECTOR
    return kind == "index" and name == GIN_INDEX
