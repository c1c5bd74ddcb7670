"""Reactions to messages, and the per-emoji counts messages are read with."""
from __future__ import annotations

from sqlalchemy import BigInteger, String, and_, bindparam, delete, func, or_, select, tuple_
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncConnection

from chatsvc.domain.models import Emoji, Page, Reaction, ReactionSummary
from chatsvc.storage.raw_statements import Raw, Statement
from chatsvc.storage.tables import reactions

_UNICODE, _CUSTOM = 1, 2


def emoji_from_row(kind: int, value: str, custom_id: str | None, custom_name: str | None) -> Emoji:
    if kind == _CUSTOM:
        return Emoji(custom_uid=value, custom_id=custom_id or "", custom_name=custom_name or "")
    return Emoji(unicode=value)


# Rows are read by position, in this order (raw statements give tuples).
_COLUMNS = (reactions.c.space_id, reactions.c.message_id, reactions.c.id, reactions.c.user_id,
            reactions.c.emoji_kind, reactions.c.emoji, reactions.c.custom_emoji_id, reactions.c.custom_emoji_name,
            reactions.c.create_time_us)


def _reaction(row) -> Reaction:
    space_id, message_id, reaction_id, user_id, kind, value, custom_id, custom_name, created = row
    return Reaction(space_id=space_id, message_id=message_id, id=reaction_id, user_id=user_id,
                    emoji=emoji_from_row(kind, value, custom_id, custom_name), create_time_us=created)


def _is(emoji: Emoji):
    kind, value = emoji.key
    return and_(reactions.c.emoji_kind == kind, reactions.c.emoji == value)


_ONE_PER_USER_AND_EMOJI = [reactions.c[name] for name in ("space_id", "message_id", "user_id", "emoji_kind", "emoji")]


def _insert_unless_reacted(dialect_insert) -> Statement:
    """Adds a reaction unless the user has reacted with that emoji already (then changes nothing): one
    statement where a lookup and an insert were two."""
    values = {c: bindparam(f"b_{c.name}") for c in _COLUMNS}
    return Statement(dialect_insert(reactions).values(values).on_conflict_do_nothing(
        index_elements=_ONE_PER_USER_AND_EMOJI), *(f"b_{c.name}" for c in _COLUMNS))


# The hot paths' statements, built once, run on the driver's connection (storage/raw_statements.py).
_INSERT = {"sqlite": _insert_unless_reacted(sqlite_insert), "postgresql": _insert_unless_reacted(postgresql_insert)}
_FIND = Statement(select(*_COLUMNS).where(
    reactions.c.space_id == bindparam("b_space_id"), reactions.c.message_id == bindparam("b_message_id"),
    reactions.c.user_id == bindparam("b_user_id"), reactions.c.emoji_kind == bindparam("b_kind"),
    reactions.c.emoji == bindparam("b_emoji")), "b_space_id", "b_message_id", "b_user_id", "b_kind", "b_emoji")
_ONE = (reactions.c.space_id == bindparam("b_space_id"), reactions.c.message_id == bindparam("b_message_id"),
        reactions.c.id == bindparam("b_id"))
_GET = Statement(select(*_COLUMNS).where(*_ONE), "b_space_id", "b_message_id", "b_id")
_REMOVE = Statement(delete(reactions).where(*_ONE), "b_space_id", "b_message_id", "b_id")
_ORDER = (reactions.c.create_time_us, reactions.c.id)
_OF_MESSAGE = select(*_COLUMNS).where(reactions.c.space_id == bindparam("b_space_id"),
                                      reactions.c.message_id == bindparam("b_message_id"))
# ListReactions without a filter: the first page, and the pages after a position.
_LIST_FIRST = Statement(_OF_MESSAGE.order_by(*_ORDER).limit(bindparam("b_limit")),
                        "b_space_id", "b_message_id", "b_limit")
_LIST_AFTER = Statement(_OF_MESSAGE.where(tuple_(*_ORDER) > tuple_(
                        bindparam("b_time", type_=BigInteger), bindparam("b_id", type_=String)))
                        .order_by(*_ORDER).limit(bindparam("b_limit")),
                        "b_space_id", "b_message_id", "b_time", "b_id", "b_limit")
_FIRST_USE = func.min(reactions.c.create_time_us)
_SUMMARY_COLUMNS = (reactions.c.space_id, reactions.c.message_id, reactions.c.emoji_kind, reactions.c.emoji,
                    func.max(reactions.c.custom_emoji_id).label("custom_id"),
                    func.max(reactions.c.custom_emoji_name).label("custom_name"),
                    func.count().label("count"), _FIRST_USE.label("first"))
_SUMMARY_GROUPS = (reactions.c.space_id, reactions.c.message_id, reactions.c.emoji_kind, reactions.c.emoji)
_SUMMARY_ORDER = (reactions.c.space_id, reactions.c.message_id, _FIRST_USE, reactions.c.emoji_kind,
                  reactions.c.emoji)
_SUMMARIES_IN_SPACE = (select(*_SUMMARY_COLUMNS)
                       .where(reactions.c.space_id == bindparam("b_space_id"),
                              reactions.c.message_id.in_(bindparam("b_message_ids", expanding=True)))
                       .group_by(*_SUMMARY_GROUPS).order_by(*_SUMMARY_ORDER))
# One message's counts (after each reaction written, its message's stored snapshot is refreshed).
_SUMMARIES_OF_MESSAGE = Statement(
    select(*_SUMMARY_COLUMNS).where(reactions.c.space_id == bindparam("b_space_id"),
                                    reactions.c.message_id == bindparam("b_message_id"))
    .group_by(*_SUMMARY_GROUPS).order_by(*_SUMMARY_ORDER), "b_space_id", "b_message_id")


class ReactionRepository:
    def __init__(self, conn: AsyncConnection, raw: Raw | None = None):
        self._conn = conn
        self._raw = raw or Raw(conn)

    async def get(self, space_id: str, message_id: str, reaction_id: str) -> Reaction | None:
        row = await self._raw.first(_GET, space_id, message_id, reaction_id)
        return _reaction(row) if row else None

    async def get_many(self, space_id: str, keys: set[tuple[str, str]]) -> dict[tuple[str, str], Reaction]:
        """Reactions of one space by (message id, reaction id), in one query."""
        if not keys:
            return {}
        rows = await self._conn.execute(select(*_COLUMNS).where(
            reactions.c.space_id == space_id, tuple_(reactions.c.message_id, reactions.c.id).in_(sorted(keys))))
        return {(row.message_id, row.id): _reaction(row) for row in rows}

    async def find(self, space_id: str, message_id: str, user_id: str, emoji: Emoji) -> Reaction | None:
        """The user's reaction to the message with this emoji, if any."""
        kind, value = emoji.key
        row = await self._raw.first(_FIND, space_id, message_id, user_id, kind, value)
        return _reaction(row) if row else None

    async def add(self, reaction: Reaction) -> bool:
        """Whether it was added: False when the user had reacted to the message with that emoji already."""
        kind, value = reaction.emoji.key
        added = await self._raw.run(_INSERT[self._conn.dialect.name], reaction.space_id, reaction.message_id,
                                    reaction.id, reaction.user_id, kind, value, reaction.emoji.custom_id or None,
                                    reaction.emoji.custom_name or None, reaction.create_time_us)
        return added == 1

    async def remove(self, space_id: str, message_id: str, reaction_id: str) -> None:
        await self._raw.run(_REMOVE, space_id, message_id, reaction_id)

    async def list(self, space_id: str, message_id: str, *, emojis: tuple[Emoji, ...] = (),
                   user_ids: tuple[str, ...] | None = None, after: tuple[int, str] | None, limit: int) -> Page:
        """One keyset page of a message's reactions, oldest first: any of `emojis` (all when empty), by any of
        `user_ids` (everyone's when None)."""
        if not emojis and user_ids is None:
            rows = await (self._raw.all(_LIST_FIRST, space_id, message_id, limit + 1) if after is None else
                          self._raw.all(_LIST_AFTER, space_id, message_id, after[0], after[1], limit + 1))
        else:
            rows = await self._filtered(space_id, message_id, emojis, user_ids, after, limit)
        items = [_reaction(row) for row in rows[:limit]]
        last = items[-1] if items else None
        return Page(items, (last.create_time_us, last.id) if len(rows) > limit else None)

    async def _filtered(self, space_id: str, message_id: str, emojis: tuple[Emoji, ...],
                        user_ids: tuple[str, ...] | None, after: tuple[int, str] | None, limit: int) -> list:
        query = select(*_COLUMNS).where(reactions.c.space_id == space_id, reactions.c.message_id == message_id)
        if emojis:
            query = query.where(or_(*(_is(emoji) for emoji in emojis)))
        if user_ids is not None:
            query = query.where(reactions.c.user_id.in_(sorted(user_ids)))
        key = tuple_(reactions.c.create_time_us, reactions.c.id)
        if after is not None:
            query = query.where(key > tuple_(*after))
        return (await self._conn.execute(query.order_by(*_ORDER).limit(limit + 1))).all()

    async def summaries(self, keys: list[tuple[str, str]]) -> dict[tuple[str, str], tuple[ReactionSummary, ...]]:
        """Per (space id, message id), one count per emoji, in the order each emoji was first used: one grouped
        query for a whole page of messages, of one space (ListMessages) or of many (SearchMessages)."""
        if not keys:
            return {}
        space_ids = {space_id for space_id, _ in keys}
        if len(keys) == 1:  # one message's (a reaction written)
            rows = await self._raw.all(_SUMMARIES_OF_MESSAGE, *next(iter(keys)))
        elif len(space_ids) == 1:  # the common case (one page of one space) keeps the plain IN
            rows = await self._conn.execute(_SUMMARIES_IN_SPACE, {
                "b_space_id": next(iter(space_ids)),
                "b_message_ids": sorted({message_id for _, message_id in keys})})
        else:
            rows = await self._conn.execute(
                select(*_SUMMARY_COLUMNS)
                .where(tuple_(reactions.c.space_id, reactions.c.message_id).in_(sorted(set(keys))))
                .group_by(*_SUMMARY_GROUPS).order_by(*_SUMMARY_ORDER))
        found: dict[tuple[str, str], list[ReactionSummary]] = {}
        for space_id, message_id, kind, value, custom_id, custom_name, count, _ in rows:
            found.setdefault((space_id, message_id), []).append(ReactionSummary(
                emoji_from_row(kind, value, custom_id, custom_name), count))
        return {key: tuple(items) for key, items in found.items()}
