"""Reactions to messages, and the per-emoji counts messages are read with."""
from __future__ import annotations

from sqlalchemy import and_, bindparam, delete, func, insert, or_, select, tuple_
from sqlalchemy.ext.asyncio import AsyncConnection

from chatsvc.domain.models import Emoji, Page, Reaction, ReactionSummary
from chatsvc.storage.tables import reactions

_UNICODE, _CUSTOM = 1, 2


def emoji_from_row(kind: int, value: str, custom_id: str | None, custom_name: str | None) -> Emoji:
    if kind == _CUSTOM:
        return Emoji(custom_uid=value, custom_id=custom_id or "", custom_name=custom_name or "")
    return Emoji(unicode=value)


def _reaction(row) -> Reaction:
    return Reaction(space_id=row.space_id, message_id=row.message_id, id=row.id, user_id=row.user_id,
                    emoji=emoji_from_row(row.emoji_kind, row.emoji, row.custom_emoji_id, row.custom_emoji_name),
                    create_time_us=row.create_time_us)


def _is(emoji: Emoji):
    kind, value = emoji.key
    return and_(reactions.c.emoji_kind == kind, reactions.c.emoji == value)


# The hot paths' statements, built once.
_INSERT = insert(reactions)
_FIND = select(reactions).where(
    reactions.c.space_id == bindparam("b_space_id"), reactions.c.message_id == bindparam("b_message_id"),
    reactions.c.user_id == bindparam("b_user_id"), reactions.c.emoji_kind == bindparam("b_kind"),
    reactions.c.emoji == bindparam("b_emoji"))
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


class ReactionRepository:
    def __init__(self, conn: AsyncConnection):
        self._conn = conn

    async def get(self, space_id: str, message_id: str, reaction_id: str) -> Reaction | None:
        row = (await self._conn.execute(select(reactions).where(
            reactions.c.space_id == space_id, reactions.c.message_id == message_id,
            reactions.c.id == reaction_id))).first()
        return _reaction(row) if row else None

    async def get_many(self, space_id: str, keys: set[tuple[str, str]]) -> dict[tuple[str, str], Reaction]:
        """Reactions of one space by (message id, reaction id), in one query."""
        if not keys:
            return {}
        rows = await self._conn.execute(select(reactions).where(
            reactions.c.space_id == space_id, tuple_(reactions.c.message_id, reactions.c.id).in_(sorted(keys))))
        return {(row.message_id, row.id): _reaction(row) for row in rows}

    async def find(self, space_id: str, message_id: str, user_id: str, emoji: Emoji) -> Reaction | None:
        """The user's reaction to the message with this emoji, if any."""
        kind, value = emoji.key
        row = (await self._conn.execute(_FIND, {"b_space_id": space_id, "b_message_id": message_id,
                                                "b_user_id": user_id, "b_kind": kind, "b_emoji": value})).first()
        return _reaction(row) if row else None

    async def add(self, reaction: Reaction) -> None:
        kind, value = reaction.emoji.key
        await self._conn.execute(_INSERT, dict(
            space_id=reaction.space_id, message_id=reaction.message_id, id=reaction.id, user_id=reaction.user_id,
            emoji_kind=kind, emoji=value, custom_emoji_id=reaction.emoji.custom_id or None,
            custom_emoji_name=reaction.emoji.custom_name or None, create_time_us=reaction.create_time_us))

    async def remove(self, space_id: str, message_id: str, reaction_id: str) -> None:
        await self._conn.execute(delete(reactions).where(
            reactions.c.space_id == space_id, reactions.c.message_id == message_id, reactions.c.id == reaction_id))

    async def list(self, space_id: str, message_id: str, *, emojis: tuple[Emoji, ...] = (),
                   user_ids: tuple[str, ...] | None = None, after: tuple[int, str] | None, limit: int) -> Page:
        """One keyset page of a message's reactions, oldest first: any of `emojis` (all when empty), by any of
        `user_ids` (everyone's when None)."""
        query = select(reactions).where(reactions.c.space_id == space_id, reactions.c.message_id == message_id)
        if emojis:
            query = query.where(or_(*(_is(emoji) for emoji in emojis)))
        if user_ids is not None:
            query = query.where(reactions.c.user_id.in_(sorted(user_ids)))
        key = tuple_(reactions.c.create_time_us, reactions.c.id)
        if after is not None:
            query = query.where(key > tuple_(*after))
        rows = (await self._conn.execute(
            query.order_by(reactions.c.create_time_us, reactions.c.id).limit(limit + 1))).all()
        items = [_reaction(row) for row in rows[:limit]]
        last = items[-1] if items else None
        return Page(items, (last.create_time_us, last.id) if len(rows) > limit else None)

    async def summaries(self, keys: list[tuple[str, str]]) -> dict[tuple[str, str], tuple[ReactionSummary, ...]]:
        """Per (space id, message id), one count per emoji, in the order each emoji was first used: one grouped
        query for a whole page of messages, of one space (ListMessages) or of many (SearchMessages)."""
        if not keys:
            return {}
        space_ids = {space_id for space_id, _ in keys}
        if len(space_ids) == 1:  # the common case (one page of one space) keeps the plain IN
            rows = await self._conn.execute(_SUMMARIES_IN_SPACE, {
                "b_space_id": next(iter(space_ids)),
                "b_message_ids": sorted({message_id for _, message_id in keys})})
        else:
            rows = await self._conn.execute(
                select(*_SUMMARY_COLUMNS)
                .where(tuple_(reactions.c.space_id, reactions.c.message_id).in_(sorted(set(keys))))
                .group_by(*_SUMMARY_GROUPS).order_by(*_SUMMARY_ORDER))
        found: dict[tuple[str, str], list[ReactionSummary]] = {}
        for row in rows:
            found.setdefault((row.space_id, row.message_id), []).append(ReactionSummary(
                emoji_from_row(row.emoji_kind, row.emoji, row.custom_id, row.custom_name), row.count))
        return {key: tuple(items) for key, items in found.items()}
