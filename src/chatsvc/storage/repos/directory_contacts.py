"""Contacts with their tags and list entries, and CRM lists with their contact counts.

A page of contacts costs three statements whatever its size: the contacts, then the tags and the list
entries of all of them at once.
"""
from __future__ import annotations

import json

from sqlalchemy import delete, func, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from chatsvc.domain.directory_models import Contact, ContactList
from chatsvc.storage.repos.directory_brands import after_position
from chatsvc.storage.tables_directory import contact_list_entries, contact_lists, contact_tags, contacts

_COUNT = (select(func.count()).select_from(contact_list_entries)
          .where(contact_list_entries.c.list_id == contact_lists.c.id).correlate(contact_lists)
          .scalar_subquery().label("contact_count"))


def _contact_list(row) -> ContactList:
    return ContactList(id=row.id, brand_id=row.brand_id, display_name=row.display_name,
                       contact_count=row.contact_count, create_time_us=row.create_time_us)


class ContactRows:
    _conn: AsyncConnection

    async def contact(self, contact_id: str) -> Contact | None:
        found = await self._complete(list(await self._conn.execute(
            select(contacts).where(contacts.c.id == contact_id))))
        return found[0] if found else None

    async def contacts(self, brand_id: str, tag: str | None, list_id: str | None, after: tuple[int, str] | None,
                       limit: int) -> list[Contact]:
        """Oldest first (keyset on creation time and id); only those with `tag`, or on `list_id`, if given."""
        query = select(contacts).where(contacts.c.brand_id == brand_id)
        if tag is not None:
            query = query.where(contacts.c.id.in_(select(contact_tags.c.contact_id).where(
                contact_tags.c.brand_id == brand_id, contact_tags.c.tag == tag)))
        if list_id is not None:
            query = query.where(contacts.c.id.in_(select(contact_list_entries.c.contact_id)
                                                  .where(contact_list_entries.c.list_id == list_id)))
        condition = after_position(contacts.c.create_time_us, contacts.c.id, after)
        if condition is not None:
            query = query.where(condition)
        query = query.order_by(contacts.c.create_time_us, contacts.c.id).limit(limit)
        return await self._complete(list(await self._conn.execute(query)))

    async def _complete(self, rows: list) -> list[Contact]:
        """Contacts from their rows, with the tags and list ids of all of them read in two statements (each
        sorted, as the domain sorts them on the way in)."""
        if not rows:
            return []
        ids = [row.id for row in rows]
        tags: dict[str, list[str]] = {contact_id: [] for contact_id in ids}
        lists: dict[str, list[str]] = {contact_id: [] for contact_id in ids}
        for row in await self._conn.execute(select(contact_tags.c.contact_id, contact_tags.c.tag)
                                            .where(contact_tags.c.contact_id.in_(ids))
                                            .order_by(contact_tags.c.contact_id, contact_tags.c.tag)):
            tags[row.contact_id].append(row.tag)
        for row in await self._conn.execute(
                select(contact_list_entries.c.contact_id, contact_list_entries.c.list_id)
                .where(contact_list_entries.c.contact_id.in_(ids))
                .order_by(contact_list_entries.c.contact_id, contact_list_entries.c.list_id)):
            lists[row.contact_id].append(row.list_id)
        return [Contact(id=row.id, brand_id=row.brand_id, display_name=row.display_name,
                        emails=tuple(json.loads(row.emails)), tags=tuple(tags[row.id]), list_ids=tuple(lists[row.id]),
                        create_time_us=row.create_time_us) for row in rows]

    async def add_contacts(self, new: list[Contact]) -> None:
        """Every contact, tag and list entry in at most three statements."""
        if not new:
            return
        await self._conn.execute(insert(contacts), [
            dict(id=c.id, brand_id=c.brand_id, display_name=c.display_name, primary_email=c.primary_email,
                 emails=json.dumps(list(c.emails)), create_time_us=c.create_time_us) for c in new])
        tag_rows = [dict(contact_id=c.id, tag=tag, brand_id=c.brand_id) for c in new for tag in c.tags]
        if tag_rows:
            await self._conn.execute(insert(contact_tags), tag_rows)
        entry_rows = [dict(list_id=list_id, contact_id=c.id) for c in new for list_id in c.list_ids]
        if entry_rows:
            await self._conn.execute(insert(contact_list_entries), entry_rows)

    async def delete_contact(self, contact_id: str) -> None:
        """Its tags and list entries go with it (ON DELETE CASCADE)."""
        await self._conn.execute(delete(contacts).where(contacts.c.id == contact_id))

    async def contact_list(self, list_id: str) -> ContactList | None:
        row = (await self._conn.execute(select(contact_lists, _COUNT).where(contact_lists.c.id == list_id))).first()
        return _contact_list(row) if row else None

    async def contact_lists(self, brand_id: str, after: tuple[int, str] | None, limit: int) -> list[ContactList]:
        """Oldest first, each with its contact count: one statement for the page."""
        query = select(contact_lists, _COUNT).where(contact_lists.c.brand_id == brand_id)
        condition = after_position(contact_lists.c.create_time_us, contact_lists.c.id, after)
        if condition is not None:
            query = query.where(condition)
        query = query.order_by(contact_lists.c.create_time_us, contact_lists.c.id).limit(limit)
        return [_contact_list(row) for row in await self._conn.execute(query)]

    async def list_ids_in_brand(self, brand_id: str, list_ids: set[str]) -> set[str]:
        """Which of `list_ids` are lists of this brand."""
        if not list_ids:
            return set()
        rows = await self._conn.execute(select(contact_lists.c.id).where(
            contact_lists.c.brand_id == brand_id, contact_lists.c.id.in_(sorted(list_ids))))
        return {row.id for row in rows}

    async def add_contact_list(self, contact_list: ContactList) -> None:
        await self._conn.execute(insert(contact_lists).values(
            id=contact_list.id, brand_id=contact_list.brand_id, display_name=contact_list.display_name,
            create_time_us=contact_list.create_time_us))

    async def delete_contact_list(self, list_id: str) -> None:
        """Its entries go with it; the contacts stay."""
        await self._conn.execute(delete(contact_lists).where(contact_lists.c.id == list_id))
