"""Sections and section items.

Items are not stored as such: a user's items are their joined, listed spaces (as ListSpaces shows them), each
in the custom section the user filed it in (a `section_items` row) or else in the system section of its kind.
"""
from __future__ import annotations

from sqlalchemy import and_, case, delete, func, insert, or_, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncConnection

from chatsvc.domain.models import MembershipState, Page, SpaceType
from chatsvc.domain.section_models import APPS, DIRECT_MESSAGES, SPACES, Section, SectionItem, SectionType
from chatsvc.storage.tables import memberships, messages, section_items, sections, spaces, users


def _section(row) -> Section:
    return Section(user_id=row.user_id, id=row.id, type=SectionType(row.type), sort_order=row.sort_order,
                   display_name=row.display_name)


# The system section a space sits in when its user has not filed it elsewhere (section_models.home_section).
_HOME = case(
    (spaces.c.space_type == int(SpaceType.SPACE), SPACES),
    (and_(spaces.c.space_type == int(SpaceType.DIRECT_MESSAGE), spaces.c.single_user_bot_dm.is_(True)), APPS),
    else_=DIRECT_MESSAGES)
_SECTION_OF = func.coalesce(section_items.c.section_id, _HOME)


def _items_of(user_id: str):
    """The user's items: spaces they have joined, outside import mode; group chats and DMs once they hold a
    message (the rule ListSpaces follows), with the section each sits in and its home section."""
    has_message = select(messages.c.id).where(messages.c.space_id == spaces.c.id).limit(1).exists()
    return (select(memberships.c.space_id, _SECTION_OF.label("section_id"), _HOME.label("home_id"))
            .select_from(memberships.join(spaces, spaces.c.id == memberships.c.space_id)
                         .outerjoin(section_items, and_(section_items.c.user_id == memberships.c.member_id,
                                                        section_items.c.space_id == memberships.c.space_id)))
            .where(memberships.c.member_id == user_id, memberships.c.state == int(MembershipState.JOINED),
                   spaces.c.import_mode.is_(False),
                   or_(spaces.c.space_type == int(SpaceType.SPACE), has_message)))


class SectionRepository:
    def __init__(self, conn: AsyncConnection):
        self._conn = conn

    async def lock_user(self, user_id: str) -> None:
        """Serialises one user's section changes (a PostgreSQL row lock on the user; SQLite writers are serial
        already), so sort orders renumbered by concurrent requests stay dense."""
        await self._conn.execute(select(users.c.id).where(users.c.id == user_id).with_for_update())

    async def all(self, user_id: str) -> list[Section]:
        """Every stored section of the user, in order (a few, bounded by the domain's limit)."""
        rows = await self._conn.execute(select(sections).where(sections.c.user_id == user_id)
                                        .order_by(sections.c.sort_order, sections.c.id))
        return [_section(row) for row in rows]

    async def has_any(self, user_id: str) -> bool:
        found = await self._conn.scalar(select(sections.c.id).where(sections.c.user_id == user_id).limit(1))
        return found is not None

    async def get(self, user_id: str, section_id: str) -> Section | None:
        row = (await self._conn.execute(select(sections).where(
            sections.c.user_id == user_id, sections.c.id == section_id))).first()
        return _section(row) if row else None

    async def page(self, user_id: str, *, after: tuple | None, limit: int) -> Page:
        """Sections in (sort_order, id) order, keyset-paged."""
        query = select(sections).where(sections.c.user_id == user_id)
        if after is not None:
            query = query.where(tuple_(sections.c.sort_order, sections.c.id) > tuple_(*after))
        rows = (await self._conn.execute(query.order_by(sections.c.sort_order, sections.c.id)
                                         .limit(limit + 1))).all()
        items = [_section(row) for row in rows[:limit]]
        return Page(items, (items[-1].sort_order, items[-1].id) if len(rows) > limit else None)

    async def add(self, added: list[Section]) -> None:
        await self._conn.execute(insert(sections), [
            dict(user_id=s.user_id, id=s.id, type=int(s.type), display_name=s.display_name, sort_order=s.sort_order)
            for s in added])

    async def rename(self, user_id: str, section_id: str, display_name: str) -> None:
        await self._conn.execute(update(sections).where(
            sections.c.user_id == user_id, sections.c.id == section_id).values(display_name=display_name))

    async def set_order(self, user_id: str, section_id: str, sort_order: int) -> None:
        await self._conn.execute(update(sections).where(
            sections.c.user_id == user_id, sections.c.id == section_id).values(sort_order=sort_order))

    async def shift(self, user_id: str, low: int, high: int | None, delta: int) -> None:
        """Adds `delta` to the sort order of the user's sections from `low` to `high` (inclusive; None: the end)."""
        where = [sections.c.user_id == user_id, sections.c.sort_order >= low]
        if high is not None:
            where.append(sections.c.sort_order <= high)
        await self._conn.execute(update(sections).where(*where).values(sort_order=sections.c.sort_order + delta))

    async def delete(self, user_id: str, section_id: str) -> None:
        """The section and the filings into it, so its spaces return to their system sections."""
        await self._conn.execute(delete(section_items).where(
            section_items.c.user_id == user_id, section_items.c.section_id == section_id))
        await self._conn.execute(delete(sections).where(sections.c.user_id == user_id, sections.c.id == section_id))

    async def item(self, user_id: str, space_id: str) -> tuple[SectionItem, str] | None:
        """The user's item for a space and the id of its home (system) section; None if it is not an item."""
        row = (await self._conn.execute(_items_of(user_id).where(memberships.c.space_id == space_id))).first()
        return (SectionItem(user_id, row.section_id, row.space_id), row.home_id) if row else None

    async def items(self, user_id: str, section: Section | None, *, space_ids: tuple[str, ...] | None,
                    after: str | None, limit: int) -> Page:
        """A page of the user's items in `section` (None: in every section), by space id."""
        query = _items_of(user_id)
        if section is not None and section.is_custom:
            query = query.where(section_items.c.section_id == section.id)
        elif section is not None:
            query = query.where(section_items.c.section_id.is_(None), _HOME == section.id)
        if space_ids is not None:
            query = query.where(memberships.c.space_id.in_(space_ids))
        if after is not None:
            query = query.where(memberships.c.space_id > after)
        rows = (await self._conn.execute(query.order_by(memberships.c.space_id).limit(limit + 1))).all()
        found = [SectionItem(user_id, row.section_id, row.space_id) for row in rows[:limit]]
        return Page(found, (found[-1].space_id,) if len(rows) > limit else None)

    async def file(self, user_id: str, space_id: str, section_id: str) -> None:
        """Files the space in a custom section (replacing any earlier filing)."""
        await self.unfile(user_id, space_id)
        await self._conn.execute(insert(section_items).values(user_id=user_id, space_id=space_id,
                                                              section_id=section_id))

    async def unfile(self, user_id: str, space_id: str) -> None:
        """Returns the space to its system section."""
        await self._conn.execute(delete(section_items).where(
            section_items.c.user_id == user_id, section_items.c.space_id == space_id))
