"""SearchMessages in one statement: the caller's searchable spaces, the message conditions, the full-text
match and one keyset page, newest (or most relevant) first.

With search words the full-text index drives the query (FTS5 MATCH on SQLite, the GIN index on PostgreSQL;
see storage/search_index.py), so text is never matched by scanning messages; without them the caller's
spaces do, through ix_messages_space_time. The words reach the database as bound parameters only.
"""
from __future__ import annotations

from functools import reduce

from sqlalchemy import Float, and_, bindparam, column, exists, func, literal_column, or_, select, table, tuple_
from sqlalchemy.ext.asyncio import AsyncConnection

from chatsvc.domain.message_search import SearchCriteria
from chatsvc.domain.message_search_query import LINK_MARKERS
from chatsvc.domain.models import MembershipState, Page, User, UserType
from chatsvc.domain.notification_settings import MuteSetting
from chatsvc.storage import search_index
from chatsvc.storage.repos.messages import message_from_row
from chatsvc.storage.tables import (
    memberships,
    messages,
    space_notification_settings,
    space_read_states,
    spaces,
    users,
)

TOP_SPACES = 5  # Google: `space.display_name` searches the top five spaces whose names match

_fts = table(search_index.FTS, column("rowid"))
_docs = table(search_index.DOCS, column("doc"), column("space_id"), column("message_id"))
_own = messages.alias("own")


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _name_has_word(word: str):
    """A display-name word starting with `word` (SearchSpaces' prefix match over `spaces.name_words`)."""
    return spaces.c.name_words.like(f"% {_escape_like(word)}%", escape="\\")


def _mentions(user_id: str):
    """The stored mentions JSON (`[[start, length, "user_id", type, "name"], ...]`) names the user: only the
    user id is a string between two commas, and a quote inside a JSON string is always escaped."""
    return messages.c.mentions.like(f'%,"{_escape_like(user_id)}",%', escape="\\")


def _joined(items: list, any_of: bool):
    return or_(*items) if any_of else and_(*items)


def _fts_phrase(keyword: str) -> str:
    """A keyword as an FTS5 string: the tokenizer splits it into words that must appear in this order, and
    nothing in it (`*`, `NEAR`, `OR`, `-`, `:`, `^`) is read as query syntax."""
    return '"' + keyword.replace("\x00", " ").replace('"', '""') + '"'


class MessageSearchRepository:
    def __init__(self, conn: AsyncConnection):
        self._conn = conn
        self._sqlite = conn.dialect.name == "sqlite"

    async def search(self, criteria: SearchCriteria, *, after: tuple | None, limit: int) -> Page:
        """A page of (message, read or None); `after` is the position of the last row of the previous page."""
        rows = (await self._conn.execute(self._statement(criteria, after=after, limit=limit))).all()
        items = []
        for row in rows[:limit]:
            message = message_from_row(row)
            message.sender = User(id=row.sender_id, type=UserType.HUMAN)  # only humans' messages are results
            items.append((message, bool(row.search_read) if criteria.with_read else None))
        next_position = None
        if len(rows) > limit:
            last = rows[limit - 1]
            next_position = (last.create_time_us, last.space_id, last.id)
            if criteria.by_relevance:
                next_position = (last.search_score, *next_position)
        return Page(items, next_position)

    def _statement(self, criteria: SearchCriteria, *, after: tuple | None, limit: int):
        """The search as one SELECT (tests/api/test_search_messages_index.py EXPLAINs what it becomes)."""
        source = messages.join(users, users.c.id == messages.c.sender_id)
        where = [messages.c.space_id.in_(_searchable_spaces(criteria)), users.c.type == int(UserType.HUMAN),
                 messages.c.delete_time_us == 0, messages.c.viewer_id.is_(None), *_conditions(criteria)]
        score = None
        if criteria.keywords:
            source, match, score = (self._sqlite_text if self._sqlite else self._postgres_text)(criteria, source)
            where.append(match)
        read_flag = None
        if criteria.with_read or criteria.query.unread:
            source = source.outerjoin(space_read_states, and_(space_read_states.c.space_id == messages.c.space_id,
                                                              space_read_states.c.user_id == criteria.caller_id))
            read_flag = _read(criteria.caller_id)
            if criteria.query.unread:
                where.append(~read_flag)
        keys = [messages.c.create_time_us, messages.c.space_id, messages.c.id]
        if criteria.by_relevance:
            keys.insert(0, score)
        if after is not None:
            where.append(tuple_(*keys) < tuple_(*after))
        columns = [messages]
        if score is not None:
            columns.append(score.label("search_score"))
        if read_flag is not None:
            columns.append(read_flag.label("search_read"))
        return (select(*columns).select_from(source).where(*where)
                .order_by(*(key.desc() for key in keys)).limit(limit + 1))

    @staticmethod
    def _sqlite_text(criteria: SearchCriteria, source):
        """FTS5: the MATCH expression is one bound parameter; bm25 is lower for better matches."""
        expression = (" OR " if criteria.query.keywords_any else " AND ").join(
            _fts_phrase(k) for k in criteria.keywords)
        source = _fts.join(_docs, _docs.c.doc == _fts.c.rowid).join(
            source, and_(messages.c.space_id == _docs.c.space_id, messages.c.id == _docs.c.message_id))
        fts = literal_column(search_index.FTS)
        match = fts.op("MATCH")(bindparam("search_words", expression))
        return source, match, -func.bm25(fts, type_=Float)

    @staticmethod
    def _postgres_text(criteria: SearchCriteria, source):
        """tsquery phrases built by PostgreSQL from the bound keywords, normalised as the indexed text is."""
        config = literal_column(f"'{search_index.TS_CONFIG}'::regconfig")
        phrases = [func.phraseto_tsquery(config, func.translate(
            bindparam(f"search_word_{n}", keyword), search_index.TRANSLATE_FROM, search_index.TRANSLATE_TO))
            for n, keyword in enumerate(criteria.keywords)]
        query = reduce(lambda a, b: a.op("||" if criteria.query.keywords_any else "&&")(b), phrases)
        vector = literal_column(f"messages.{search_index.VECTOR}")
        return source, vector.op("@@")(query), func.ts_rank(vector, query, type_=Float)


def _searchable_spaces(criteria: SearchCriteria):
    """The spaces searched: joined by the caller, out of import mode, not a DM with a Chat app, not muted by
    the caller; narrowed by the query's space conditions (`space.display_name`: the five most recently
    active matches)."""
    query = criteria.query
    muted = exists().where(  # by the settings' primary key, (space_id, user_id)
        space_notification_settings.c.space_id == spaces.c.id,
        space_notification_settings.c.user_id == criteria.caller_id,
        space_notification_settings.c.mute_setting == int(MuteSetting.MUTED))
    statement = select(spaces.c.id).join(memberships, memberships.c.space_id == spaces.c.id).where(
        memberships.c.member_id == criteria.caller_id, memberships.c.state == int(MembershipState.JOINED),
        spaces.c.import_mode.is_(False), spaces.c.single_user_bot_dm.is_(False), ~muted)
    if query.space_ids:
        statement = statement.where(spaces.c.id.in_(sorted(query.space_ids)))
    if query.space_types:
        statement = statement.where(spaces.c.space_type.in_(sorted(int(t) for t in query.space_types)))
    if query.display_names:
        names = [and_(*(_name_has_word(word) for word in name)) for name in query.display_names]
        statement = (statement.where(_joined(names, query.display_names_any))
                     .order_by(spaces.c.last_active_time_us.desc(), spaces.c.id).limit(TOP_SPACES))
    return statement


def _conditions(criteria: SearchCriteria) -> list:
    query, where = criteria.query, []
    if query.created_from_us is not None:
        where.append(messages.c.create_time_us >= query.created_from_us)
    if query.created_before_us is not None:
        where.append(messages.c.create_time_us < query.created_before_us)
    if criteria.sender_ids is not None:
        where.append(messages.c.sender_id.in_(sorted(criteria.sender_ids)))
    if criteria.mentioned_ids is not None:
        where.append(_joined([_mentions(u) for u in criteria.mentioned_ids], query.mentioned_any))
    if query.has_attachment:
        where.append(func.length(messages.c.attachments) > 0)
    if query.has_link:
        where.append(or_(*(func.lower(messages.c.text).contains(m, autoescape=True) for m in LINK_MARKERS)))
    return where


def _read(caller_id: str):
    """Whether the caller has read the message, as domain/read_states.py works it out: their own message; at or
    before the last read time they set for the space; at or before a top-level message they sent after
    setting it (or ever, if they never did); or at or before a message they sent in its thread."""
    own = [_own.c.space_id == messages.c.space_id, _own.c.sender_id == caller_id,
           _own.c.create_time_us >= messages.c.create_time_us]
    return or_(
        messages.c.sender_id == caller_id,
        messages.c.create_time_us <= func.coalesce(space_read_states.c.last_read_time_us, -1),
        exists().where(*own, _own.c.thread_reply.is_(False),
                       _own.c.create_time_us > func.coalesce(space_read_states.c.update_time_us, 0)),
        exists().where(*own, _own.c.thread_id == messages.c.thread_id),
    )
