"""Messages. Every method is one statement: CreateMessage and ListMessages are the hot paths, and the statements
of Create/Get/List/Update/Delete run on the driver's connection (storage/raw_statements.py)."""
from __future__ import annotations

import json
from functools import lru_cache

from sqlalchemy import bindparam, insert, or_, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncConnection

from chatsvc.domain.models import DeletionType, Mention, Message, Page, Quote, QuoteType, SlashCommand, UserType
from chatsvc.storage.raw_statements import Raw, Statement
from chatsvc.storage.tables import messages

# What a deletion leaves behind: the row (name, times, thread, sender) without its content.
_EMPTIED = dict(text="", mentions="", quote="", extras=b"", cards=b"", cards_v2=b"", widgets=b"", attachments=b"",
                slash_command="", matched_url="")


def _mentions_json(mentions: tuple[Mention, ...]) -> str:
    if not mentions:
        return ""
    return json.dumps([[m.start, m.length, m.user_id, int(m.user_type), m.display_name] for m in mentions],
                      separators=(",", ":"))


def _mentions(text: str) -> tuple[Mention, ...]:
    if not text:
        return ()
    return tuple(Mention(start, length, user_id, UserType(kind), name)
                 for start, length, user_id, kind, name in json.loads(text))


def _quote_json(quote: Quote | None) -> str:
    if quote is None:
        return ""
    return json.dumps([quote.space_id, quote.message_id, quote.last_update_time_us, int(quote.quote_type),
                       quote.sender_id, quote.text, quote.source_space_display_name], separators=(",", ":"))


def _quote(text: str) -> Quote | None:
    if not text:
        return None
    space_id, message_id, last_update, kind, sender_id, quoted_text, source = json.loads(text)
    return Quote(space_id, message_id, last_update, QuoteType(kind), sender_id, quoted_text, source)


def _slash_command_json(command: SlashCommand | None) -> str:
    if command is None:
        return ""
    return json.dumps([command.length, command.app_user_id, command.app_display_name, command.command_id,
                       command.command_name, command.opens_dialog], separators=(",", ":"))


def _slash_command(text: str) -> SlashCommand | None:
    if not text:
        return None
    length, app_user_id, display_name, command_id, command_name, opens_dialog = json.loads(text)
    return SlashCommand(length, app_user_id, display_name, command_id, command_name, opens_dialog)


def message_from_row(row) -> Message:
    return Message(space_id=row.space_id, id=row.id, sender_id=row.sender_id, thread_id=row.thread_id,
                   create_time_us=row.create_time_us, text=row.text, client_id=row.client_id or "",
                   last_update_time_us=row.last_update_time_us, delete_time_us=row.delete_time_us,
                   request_id=row.request_id or "", extras=row.extras, cards=row.cards, cards_v2=row.cards_v2,
                   widgets=row.widgets, attachments=row.attachments, thread_reply=row.thread_reply,
                   viewer_id=row.viewer_id or "", deletion_type=DeletionType(row.deletion_type),
                   mentions=_mentions(row.mentions), quote=_quote(row.quote),
                   slash_command=_slash_command(row.slash_command), matched_url=row.matched_url)


_DELETION_TYPES = {int(kind): kind for kind in DeletionType}
_COLUMNS = ("space_id", "id", "sender_id", "thread_id", "create_time_us", "last_update_time_us", "delete_time_us",
            "text", "client_id", "request_id", "extras", "cards", "cards_v2", "widgets", "attachments",
            "thread_reply", "viewer_id", "deletion_type", "mentions", "quote", "slash_command", "matched_url")
assert tuple(messages.c.keys()[:len(_COLUMNS)]) == _COLUMNS, "message_from_table_row follows the table's columns"


def message_from_table_row(row) -> Message:
    """message_from_row for a row of `select(messages)`: unpacked by position, several times faster than by
    name (ListMessages makes a hundred of these per page)."""
    (space_id, id_, sender_id, thread_id, create_time_us, last_update_time_us, delete_time_us, text, client_id,
     request_id, extras, cards, cards_v2, widgets, attachments, thread_reply, viewer_id, deletion_type,
     mentions, quote, slash_command, matched_url) = row[:22]
    return Message(space_id=space_id, id=id_, sender_id=sender_id, thread_id=thread_id,
                   create_time_us=create_time_us, text=text, client_id=client_id or "",
                   last_update_time_us=last_update_time_us, delete_time_us=delete_time_us,
                   request_id=request_id or "", extras=extras, cards=cards, cards_v2=cards_v2, widgets=widgets,
                   attachments=attachments, thread_reply=thread_reply, viewer_id=viewer_id or "",
                   deletion_type=_DELETION_TYPES[deletion_type], mentions=_mentions(mentions) if mentions else (),
                   quote=_quote(quote) if quote else None,
                   slash_command=_slash_command(slash_command) if slash_command else None, matched_url=matched_url)


# The hot paths' statements are built once (building a select() per call cost several times running it) and run
# on the driver's connection, their rows read by position.
_COLUMNS_ALL = tuple(messages.c.keys())
assert _COLUMNS_ALL == (*_COLUMNS, "snapshot"), "add() passes the values in the table's column order"
_INSERT = Statement(insert(messages).values({name: bindparam(f"b_{name}") for name in _COLUMNS_ALL}),
                    *(f"b_{name}" for name in _COLUMNS_ALL))
_IN_SPACE = messages.c.space_id == bindparam("b_space_id")
_ROW = select(*messages.c)  # every column, in the table's order (message_from_table_row, then the snapshot)
_SNAPSHOT_INDEX = _COLUMNS_ALL.index("snapshot")
_BY_ID_CORE = _ROW.where(_IN_SPACE, messages.c.id == bindparam("b_id"))
_BY_CLIENT_ID_CORE = _ROW.where(_IN_SPACE, messages.c.client_id == bindparam("b_id"))
_BY_ID = Statement(_BY_ID_CORE, "b_space_id", "b_id")
_BY_CLIENT_ID = Statement(_BY_CLIENT_ID_CORE, "b_space_id", "b_id")
# The same rows, locked on PostgreSQL until the transaction ends (SQLite's writers take the whole database): a
# write that rewrites a snapshot from what it reads holds the row while it reads.
_BY_ID_LOCKED = Statement(_BY_ID_CORE.with_for_update(), "b_space_id", "b_id")
_BY_CLIENT_ID_LOCKED = Statement(_BY_CLIENT_ID_CORE.with_for_update(), "b_space_id", "b_id")
_BY_REQUEST_ID = Statement(_ROW.where(_IN_SPACE, messages.c.request_id == bindparam("b_request_id")),
                           "b_space_id", "b_request_id")
_CLIENT_ID_TAKEN = Statement(select(messages.c.id).where(_IN_SPACE, messages.c.client_id == bindparam("b_id")),
                             "b_space_id", "b_id")
_THIS_MESSAGE = (messages.c.space_id == bindparam("b_space_id"), messages.c.id == bindparam("b_id"))
_SET_SNAPSHOT_CORE = update(messages).where(*_THIS_MESSAGE).values(snapshot=bindparam("b_snapshot"))
_SET_SNAPSHOT = Statement(_SET_SNAPSHOT_CORE, "b_space_id", "b_id", "b_snapshot")
_CONTENT = ("text", "mentions", "quote", "extras", "cards", "cards_v2", "widgets", "attachments")
_UPDATE_CONTENT = Statement(update(messages).where(*_THIS_MESSAGE).values(
    {name: bindparam(f"b_{name}") for name in ("last_update_time_us", "snapshot", *_CONTENT)}),
    "b_space_id", "b_id", "b_last_update_time_us", "b_snapshot", *(f"b_{name}" for name in _CONTENT))
_DELETE = Statement(update(messages).where(*_THIS_MESSAGE).values(
    delete_time_us=bindparam("b_delete_time_us"), deletion_type=bindparam("b_deletion_type"),
    snapshot=bindparam("b_snapshot"), **_EMPTIED), "b_space_id", "b_id", "b_delete_time_us", "b_deletion_type",
    "b_snapshot")


# A page read for its snapshots: the key and the snapshot of each row, not the content (rows whose snapshot is
# missing or old are read whole by a second statement).
_LEAN = (messages.c.create_time_us, messages.c.id, messages.c.snapshot)
_BY_IDS = select(messages).where(_IN_SPACE, messages.c.id.in_(bindparam("b_ids", expanding=True)))
_LIST_PARAMETERS = ("b_space_id", "b_created_after", "b_created_before", "b_thread_id", "b_viewer", "b_after_time",
                    "b_after_id", "b_limit")


@lru_cache(maxsize=128)  # one statement per combination of the list's options: at most 2**7
def _list_statement(show_deleted: bool, created_after: bool, created_before: bool, thread: bool,
                    private: bool, after: bool, descending: bool, lean: bool = False):
    query = select(*_LEAN if lean else messages.c).where(_IN_SPACE)
    if not show_deleted:
        query = query.where(messages.c.delete_time_us == 0)
    if created_after:
        query = query.where(messages.c.create_time_us > bindparam("b_created_after"))
    if created_before:
        query = query.where(messages.c.create_time_us < bindparam("b_created_before"))
    if thread:
        query = query.where(messages.c.thread_id == bindparam("b_thread_id"))
    if private:
        query = query.where(or_(messages.c.viewer_id.is_(None), messages.c.viewer_id == bindparam("b_viewer")))
    else:
        query = query.where(messages.c.viewer_id.is_(None))
    if after:
        key = tuple_(messages.c.create_time_us, messages.c.id)
        position = tuple_(bindparam("b_after_time"), bindparam("b_after_id"))
        query = query.where(key < position if descending else key > position)
    order = (messages.c.create_time_us.desc(), messages.c.id.desc()) if descending else (
        messages.c.create_time_us, messages.c.id)
    query = query.order_by(*order).limit(bindparam("b_limit"))
    return Statement(query, *_LIST_PARAMETERS) if lean else query


class MessageRepository:
    def __init__(self, conn: AsyncConnection, raw: Raw | None = None):
        self._conn = conn
        self._raw = raw or Raw(conn)

    async def get(self, space_id: str, message_id: str) -> Message | None:
        """By system id, or by client-assigned id (`client-...`)."""
        statement = _BY_CLIENT_ID if message_id.startswith("client-") else _BY_ID
        row = await self._raw.first(statement, space_id, message_id)
        return message_from_table_row(row) if row else None

    async def get_many(self, space_id: str, message_ids: set[str]) -> dict[str, Message]:
        """Messages of one space by system id, in one query (tombstones included)."""
        if not message_ids:
            return {}
        rows = await self._conn.execute(select(messages).where(
            messages.c.space_id == space_id, messages.c.id.in_(sorted(message_ids))))
        return {row.id: message_from_row(row) for row in rows}

    async def by_request_id(self, space_id: str, request_id: str) -> Message | None:
        """The message created in this space with this request id, by whichever sender."""
        row = await self._raw.first(_BY_REQUEST_ID, space_id, request_id)
        return message_from_table_row(row) if row else None

    async def client_id_taken(self, space_id: str, client_id: str) -> bool:
        return await self._raw.first(_CLIENT_ID_TAKEN, space_id, client_id) is not None

    async def get_with_snapshot(self, space_id: str, message_id: str, *,
                                lock: bool = True) -> tuple[Message, bytes | None] | None:
        """As `get`, with the stored snapshot; with `lock`, the row stays locked until the transaction ends."""
        by_client_id = message_id.startswith("client-")
        if lock:
            statement = _BY_CLIENT_ID_LOCKED if by_client_id else _BY_ID_LOCKED
        else:
            statement = _BY_CLIENT_ID if by_client_id else _BY_ID
        row = await self._raw.first(statement, space_id, message_id)
        return (message_from_table_row(row), row[_SNAPSHOT_INDEX]) if row else None

    async def set_snapshots(self, space_id: str, snapshots: dict[str, bytes | None]) -> None:
        """Stores messages' snapshots (opaque bytes from the domain), by message id."""
        if len(snapshots) == 1:  # a reaction's message
            [(message_id, blob)] = snapshots.items()
            await self._raw.run(_SET_SNAPSHOT, space_id, message_id, blob)
        elif snapshots:  # a thread's tombstones
            await self._conn.execute(_SET_SNAPSHOT_CORE, [
                {"b_space_id": space_id, "b_id": message_id, "b_snapshot": blob}
                for message_id, blob in snapshots.items()])

    async def add(self, message: Message, snapshot: bytes | None = None) -> None:
        await self._raw.run(
            _INSERT, message.space_id, message.id, message.sender_id, message.thread_id, message.create_time_us,
            message.last_update_time_us, message.delete_time_us, message.text, message.client_id or None,
            message.request_id or None, message.extras, message.cards, message.cards_v2, message.widgets,
            message.attachments, message.thread_reply, message.viewer_id or None, int(message.deletion_type),
            _mentions_json(message.mentions), _quote_json(message.quote), _slash_command_json(message.slash_command),
            message.matched_url, snapshot)

    async def update_content(self, message: Message, snapshot: bytes | None = None) -> None:
        """Stores an edit: the content parts, last_update_time and the snapshot (None: built when read)."""
        await self._raw.run(
            _UPDATE_CONTENT, message.space_id, message.id, message.last_update_time_us, snapshot, message.text,
            _mentions_json(message.mentions), _quote_json(message.quote), message.extras, message.cards,
            message.cards_v2, message.widgets, message.attachments)

    async def has_live_replies(self, space_id: str, thread_id: str, message_id: str) -> bool:
        """Whether the thread holds another message that is not deleted."""
        found = await self._conn.scalar(select(messages.c.id).where(
            messages.c.space_id == space_id, messages.c.thread_id == thread_id, messages.c.id != message_id,
            messages.c.delete_time_us == 0).limit(1))
        return found is not None

    async def delete(self, space_id: str, message_id: str, now_us: int, deletion_type: DeletionType,
                     snapshot: bytes | None = None) -> None:
        """Turns the message into a tombstone: it keeps its name and times, and loses its content. `snapshot`:
        the tombstone's (None: built when read)."""
        await self._raw.run(_DELETE, space_id, message_id, now_us, int(deletion_type), snapshot)

    async def delete_thread(self, space_id: str, thread_id: str, now_us: int,
                            deletion_type: DeletionType) -> list[Message]:
        """Tombstones every message of the thread not deleted yet (their snapshots dropped: the caller stores the
        tombstones' with set_snapshots); returns the tombstones, by id."""
        rows = await self._conn.execute(update(messages).where(
            messages.c.space_id == space_id, messages.c.thread_id == thread_id,
            messages.c.delete_time_us == 0).values(
            delete_time_us=now_us, deletion_type=int(deletion_type), snapshot=None, **_EMPTIED).returning(
            messages.c.id, messages.c.sender_id, messages.c.create_time_us))
        return sorted((Message(space_id=space_id, id=row.id, sender_id=row.sender_id, thread_id=thread_id,
                               create_time_us=row.create_time_us, delete_time_us=now_us, deletion_type=deletion_type)
                       for row in rows), key=lambda m: m.id)

    async def list(self, space_id: str, *, after: tuple[int, str] | None, limit: int, descending: bool,
                   show_deleted: bool, created_after_us: int | None = None, created_before_us: int | None = None,
                   thread_id: str | None = None, private_for: str | None = None,
                   snapshots: bytes | None = None) -> Page:
        """One keyset page in (create_time, id) order; `after` is the last row of the previous page.

        Private messages are included only when their viewer is `private_for`. With `snapshots` (the prefix every
        current snapshot has), a row whose stored snapshot has it is an item as those bytes, the others Messages."""
        statement = _list_statement(show_deleted, created_after_us is not None, created_before_us is not None,
                                    thread_id is not None, private_for is not None, after is not None, descending,
                                    snapshots is not None)
        after_time, after_id = after if after is not None else (None, None)
        if snapshots is not None:
            rows = await self._raw.all(statement, space_id, created_after_us, created_before_us, thread_id,
                                       private_for, after_time, after_id, limit + 1)
            return await self._snapshot_page(space_id, rows, limit, snapshots)
        rows = (await self._conn.execute(statement, dict(zip(_LIST_PARAMETERS, (
            space_id, created_after_us, created_before_us, thread_id, private_for, after_time, after_id,
            limit + 1))))).all()
        items = [message_from_table_row(row) for row in rows[:limit]]
        last = items[-1] if items else None
        return Page(items, (last.create_time_us, last.id) if len(rows) > limit else None)

    async def _snapshot_page(self, space_id: str, rows, limit: int, prefix: bytes) -> Page:
        items: list = []
        stale: list[str] = []
        for _, message_id, snapshot in rows[:limit]:
            if snapshot is not None and snapshot.startswith(prefix):
                items.append(snapshot)
            else:
                items.append(message_id)
                stale.append(message_id)
        if stale:  # rows older than snapshots (or than their format): read whole, in one statement
            found = {row.id: message_from_table_row(row) for row in await self._conn.execute(
                _BY_IDS, {"b_space_id": space_id, "b_ids": stale})}
            items = [found[item] if type(item) is str else item for item in items]
        next_position = tuple(rows[limit - 1][:2]) if len(rows) > limit else None
        return Page(items, next_position)
