"""Hot statements executed straight on the driver's connection, past SQLAlchemy's per-statement machinery.

SQLAlchemy's execute path (execution context, parameter processing, result metadata, row objects) cost more
than SQLite took to answer the hot paths' statements (bench/PROFILE.md). A `Statement` is declared once as
SQLAlchemy Core, compiled once per dialect to its SQL text and the order of its parameters, and run by a
unit of work's `Raw` on the connection SQLAlchemy already holds for that unit, inside the same transaction:

- inline SQLite (storage/sqlite_inline.py): the sqlite3 connection, synchronously;
- PostgreSQL (asyncpg): a prepared statement of the connection, kept in the same per-connection cache
  SQLAlchemy's asyncpg adapter keeps (so each connection prepares a statement once); the adapter's
  transaction is begun first if no statement of the unit has begun it yet;
- anything else (the aiosqlite path a unit falls back to): SQLAlchemy's own execute, the same statement.

Rows are read by position (tuples, or asyncpg records). Column types whose values the driver does not
return as Python wants them (SQLite's booleans) are converted as SQLAlchemy would. Every statement still goes
through the engine's `before_cursor_execute` listeners (statement counts in tests, the live hub's hint), and
driver errors become SQLAlchemy's exceptions, so storage/database.py translates them as before.
"""
from __future__ import annotations

import time
from typing import Any

from sqlalchemy.exc import DBAPIError

Row = Any  # a tuple, or an asyncpg Record: both indexable by position


class _Compiled:
    __slots__ = ("sql", "order", "constants", "binds", "results")

    def __init__(self, sql: str, order: tuple[int, ...] | None, constants: tuple, binds: tuple, results: tuple):
        self.sql = sql
        # For each placeholder, the index of its value in the caller's arguments followed by `constants` (the
        # values the statement fixed, such as a LIMIT 1); None: the caller's arguments as they are.
        self.order = order
        self.constants = constants
        self.binds = binds  # (placeholder index, processor) for parameters the driver takes converted
        self.results = results  # (column index, processor) for columns the driver returns unconverted

    def arguments(self, args: tuple) -> tuple:
        if self.order is not None:
            args += self.constants
            values = tuple([args[i] for i in self.order])
        else:
            values = args
        if self.binds:
            values = list(values)
            for i, process in self.binds:
                values[i] = process(values[i])
            values = tuple(values)
        return values

    def row(self, row):
        if not self.results:
            return row
        row = list(row)
        for i, process in self.results:
            row[i] = process(row[i])
        return tuple(row)


class Statement:
    """A Core statement with named bind parameters, executed with their values given positionally in the
    order of `params`."""

    __slots__ = ("core", "params", "_by_dialect")

    def __init__(self, core, *params: str):
        self.core = core
        self.params = params
        self._by_dialect: dict[tuple[str, str], _Compiled] = {}

    def compiled(self, dialect) -> _Compiled:
        key = (dialect.name, dialect.paramstyle)
        found = self._by_dialect.get(key)
        if found is None:
            found = self._by_dialect[key] = self._compile(dialect)
        return found

    def _compile(self, dialect) -> _Compiled:
        compiled = self.core.compile(dialect=dialect)
        names = list(compiled.positiontup or ())
        fixed = [name for name in dict.fromkeys(names) if name not in self.params]
        for name in fixed:
            if compiled.binds[name].callable is not None or compiled.binds[name].value is None and \
                    compiled.binds[name].required:
                raise ValueError(f"parameter {name} is neither among {self.params} nor fixed")
        known = list(self.params) + fixed
        order = tuple(known.index(name) for name in names)
        if order == tuple(range(len(self.params))):
            order = None
        constants = tuple(compiled.binds[name].effective_value for name in fixed)
        processors = compiled._bind_processors
        binds = tuple((i, processors[name]) for i, name in enumerate(names) if processors.get(name))
        results = ()
        if getattr(self.core, "is_select", False) or getattr(self.core, "_returning", ()):
            columns = self.core.selected_columns if getattr(self.core, "is_select", False) else self.core._returning
            results = tuple((i, process) for i, process in (
                (i, column.type._cached_result_processor(dialect, None)) for i, column in enumerate(columns))
                if process is not None)
        return _Compiled(compiled.string, order, constants, binds, results)


class Raw:
    """The hot statements of one unit of work, on its connection (see the module's comment)."""

    __slots__ = ("_conn", "_run", "_adapter")

    def __init__(self, conn):
        self._conn = conn
        self._adapter = None
        if hasattr(conn, "sync_inline"):
            self._run = self._sqlite
        elif conn.dialect.driver == "asyncpg":
            self._run = self._asyncpg
        else:
            self._run = self._core

    async def all(self, statement: Statement, *args) -> list[Row]:
        return await self._run(statement, args, _ALL)

    async def first(self, statement: Statement, *args) -> Row | None:
        return await self._run(statement, args, _FIRST)

    async def scalar(self, statement: Statement, *args):
        row = await self._run(statement, args, _FIRST)
        return None if row is None else row[0]

    async def run(self, statement: Statement, *args) -> int:
        """Executes a statement without rows; the number of rows it changed."""
        return await self._run(statement, args, _COUNT)

    async def run_alone(self, statement: Statement, *args) -> int:
        """On PostgreSQL, outside any transaction: the statement is one of its own (autocommit), one round
        trip. The connection must not be in a unit of work's transaction."""
        if self._run != self._asyncpg:
            raise TypeError("run_alone is for PostgreSQL")
        return await self._asyncpg(statement, args, _COUNT, begin=False)

    async def _sqlite(self, statement: Statement, args: tuple, want: int):
        conn = self._conn
        compiled = statement.compiled(conn.dialect)
        values = compiled.arguments(args)
        sync = conn.sync_inline
        dbapi = sync.connection.dbapi_connection
        cursor = dbapi.cursor()
        listeners = conn.mirror_dispatch.before_cursor_execute
        if listeners:
            listeners(sync, cursor, compiled.sql, values, None, False)
        try:
            cursor.execute(compiled.sql, values)
            if want == _COUNT:
                return cursor.rowcount
            if want == _FIRST:
                row = cursor.fetchone()
                return None if row is None else compiled.row(row)
            rows = cursor.fetchall()
            return [compiled.row(row) for row in rows] if compiled.results else rows
        except conn.dialect.loaded_dbapi.Error as error:
            raise DBAPIError.instance(compiled.sql, values, error, conn.dialect.loaded_dbapi.Error,
                                      dialect=conn.dialect) from error
        finally:
            cursor.close()

    async def _asyncpg(self, statement: Statement, args: tuple, want: int, begin: bool = True):
        conn = self._conn
        compiled = statement.compiled(conn.dialect)
        values = compiled.arguments(args)
        adapter = self._adapter
        if adapter is None:
            adapter = self._adapter = (await conn.get_raw_connection()).dbapi_connection
        listeners = conn.sync_engine.dispatch.before_cursor_execute
        if listeners:
            listeners(conn.sync_connection, None, compiled.sql, values, None, False)
        try:
            if begin and adapter._transaction is None:
                await adapter._start_transaction()  # as the adapter's cursor would: the unit's BEGIN
            prepared, _ = await adapter._prepare(compiled.sql, 0)
            if want == _FIRST:
                row = await prepared.fetchrow(*values)
                return None if row is None else compiled.row(row)
            rows = await prepared.fetch(*values)
            if want == _COUNT:
                return _changed(prepared.get_statusmsg())
            return [compiled.row(row) for row in rows] if compiled.results else rows
        except Exception as error:
            await self._asyncpg_failed(error, compiled.sql, values)

    async def _asyncpg_failed(self, error: Exception, sql: str, values: tuple):
        """Raises the error as SQLAlchemy would have: its DBAPI translation wrapped in DBAPIError's subclass;
        a lost connection invalidates this one and, as SQLAlchemy does, every older one in the pool."""
        conn, dialect = self._conn, self._conn.dialect
        dbapi_error = dialect.loaded_dbapi.Error
        try:
            self._adapter._handle_exception(error)  # raises the DBAPI's translation of asyncpg's error
        except dbapi_error as translated:
            lost = dialect.is_disconnect(translated, self._adapter, None)
            if lost:
                conn.sync_engine.pool._invalidate_time = time.time()
                await conn.invalidate(translated)
            raise DBAPIError.instance(sql, values, translated, dbapi_error, connection_invalidated=lost,
                                      dialect=dialect) from error

    async def _core(self, statement: Statement, args: tuple, want: int):
        result = await self._conn.execute(statement.core, dict(zip(statement.params, args)))
        if want == _COUNT:
            return result.rowcount
        if want == _FIRST:
            row = result.first()
            return None if row is None else tuple(row)
        return [tuple(row) for row in result]


_ALL, _FIRST, _COUNT = 0, 1, 2


def _changed(status: str | None) -> int:
    """Rows changed, from PostgreSQL's command tag ("UPDATE 1", "INSERT 0 1", "DELETE 3")."""
    if not status:
        return -1
    last = status.rsplit(" ", 1)[-1]
    return int(last) if last.isdigit() else -1
