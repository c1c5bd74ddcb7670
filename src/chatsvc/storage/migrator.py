"""Runs the Alembic migrations in storage/migrations/ on a connection the caller has opened (and locked).

There is no alembic.ini: the configuration is built here. Everything runs on one connection inside the
caller's transaction, so a migration that fails leaves nothing behind (both dialects have transactional DDL).

A database made before migrations existed (tables present, no `alembic_version`) is adopted: when its tables
and columns are those of revision 0001 it gets any missing full-text index objects and is stamped 0001, then
upgraded like any other; otherwise migrating stops with the differences and what to do.

New revisions: `make migration NAME="what changed"` (see migrations/__main__.py).
"""
from __future__ import annotations

from functools import cache
from pathlib import Path

from alembic.config import Config
from alembic.runtime.environment import EnvironmentContext
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, event, inspect
from sqlalchemy.engine import Connection

from chatsvc.storage import search_index
from chatsvc.storage.tables import metadata

SCRIPTS = Path(__file__).parent / "migrations"
BASE = "0001"  # the revision a pre-migration database is adopted at
VERSION_TABLE = "alembic_version"


class SchemaMismatch(RuntimeError):
    """The database has tables but no migration history, and they are not revision 0001's."""


def config(connection: Connection | None = None) -> Config:
    """Alembic's configuration for this package; env.py migrates `connection`."""
    cfg = Config()
    cfg.set_main_option("script_location", str(SCRIPTS))
    cfg.set_main_option("file_template", "%%(rev)s_%%(slug)s")
    cfg.attributes["connection"] = connection
    return cfg


@cache
def _scripts() -> ScriptDirectory:
    # Read once per process: every test server (and every replica) migrates on start.
    return ScriptDirectory.from_config(config())


def head() -> str:
    return _scripts().get_current_head()


def include_name(name: str | None, kind: str, parents: dict) -> bool:
    """For autogenerate: leaves out what the metadata does not describe (the full-text index objects)."""
    return not search_index.is_index_object(kind, name, parents.get("table_name"))


def current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection, opts={"version_table": VERSION_TABLE}).get_current_revision()


def upgrade(connection: Connection, target: str = "head") -> str:
    """Brings the schema on `connection` to `target` (adopting a pre-migration database); returns the
    revision it is at. The caller holds the transaction and the lock."""
    current = current_revision(connection)
    tables = set(inspect(connection).get_table_names())
    if current is None and tables & set(metadata.tables):
        _adopt(connection)
        current = BASE
    destination = _scripts().get_revision(target).revision
    if current == destination:
        return destination
    if current is None and not tables:
        _create(connection, destination)
    else:
        _run(connection, lambda rev, _context: _scripts()._upgrade_revs(destination, rev))
    return destination


# Statements (with their parameters) Alembic sent to the driver creating the schema in an empty database, per
# dialect, server version and revision. Every test, and every replica starting on an empty database, creates
# one: replaying the same statements from the same empty start gives the same schema, without running the
# migrations' Python again (which took about as long as executing the statements).
_CREATIONS: dict[tuple, list[tuple[str, object]]] = {}


def _create(connection: Connection, destination: str) -> None:
    key = (connection.dialect.name, connection.dialect.server_version_info, destination)
    recorded = _CREATIONS.get(key)
    if recorded is not None:
        for statement, parameters in recorded:
            connection.exec_driver_sql(statement, parameters)
        return
    sent: list[tuple[str, object]] = []

    def record(_conn, _cursor, statement, parameters, _context, executemany):
        sent.append((statement, parameters))

    event.listen(connection, "before_cursor_execute", record)
    try:
        _run(connection, lambda rev, _context: _scripts()._upgrade_revs(destination, rev))
    finally:
        event.remove(connection, "before_cursor_execute", record)
    _CREATIONS[key] = sent


def _run(connection: Connection, steps) -> None:
    scripts = _scripts()
    with EnvironmentContext(config(connection), scripts, fn=steps):
        scripts.run_env()


def _adopt(connection: Connection) -> None:
    differences = _differences(_columns(connection), _base_columns())
    if differences:
        raise SchemaMismatch(
            "The database was made by a chatsvc build from before migrations (it has tables but no "
            f"{VERSION_TABLE} table), and its tables differ from revision {BASE}: {'; '.join(differences)}. "
            f"Bring them in line with revision {BASE} (storage/migrations/versions/) by hand, or move the data "
            "to an empty database, then run `chatsvc migrate` again.")
    search_index.create(connection)  # builds predating the full-text index lack it
    _run(connection, lambda rev, _context: _scripts()._stamp_revs((BASE,), rev))


@cache
def _base_columns() -> dict[str, frozenset[str]]:
    """Revision 0001's tables and their columns, from a scratch in-memory database migrated to it."""
    engine = create_engine("sqlite://")
    try:
        with engine.begin() as scratch:
            upgrade(scratch, BASE)
            return _columns(scratch)
    finally:
        engine.dispose()


def _columns(connection: Connection) -> dict[str, frozenset[str]]:
    schema = inspect(connection)
    return {
        table: frozenset(c["name"] for c in schema.get_columns(table)
                         if not search_index.is_index_object("column", c["name"], table))
        for table in schema.get_table_names()
        if table != VERSION_TABLE and not search_index.is_index_object("table", table, None)
    }


def _differences(found: dict[str, frozenset[str]], wanted: dict[str, frozenset[str]]) -> list[str]:
    out = [f"table {t} missing" for t in sorted(wanted.keys() - found.keys())]
    out += [f"unexpected table {t}" for t in sorted(found.keys() - wanted.keys())]
    for table in sorted(wanted.keys() & found.keys()):
        out += [f"column {table}.{c} missing" for c in sorted(wanted[table] - found[table])]
        out += [f"unexpected column {table}.{c}" for c in sorted(found[table] - wanted[table])]
    return out
