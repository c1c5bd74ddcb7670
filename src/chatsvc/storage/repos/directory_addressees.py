"""What a campaign's recipient groups expand to: one Addressee per address, one statement per group.

Contacts without an address are skipped. Results come ordered by creation time then id, so a campaign
expanded twice (say after a restart) sees the same people in the same order.
"""
from __future__ import annotations

from sqlalchemy import case, select
from sqlalchemy.ext.asyncio import AsyncConnection

from chatsvc.domain.directory_models import Addressee
from chatsvc.storage.tables import users
from chatsvc.storage.tables_directory import brand_members, contact_list_entries, contact_tags, contacts

_CONTACT_COLUMNS = (contacts.c.id, contacts.c.primary_email, contacts.c.display_name)
# A member is greeted by the name they chose for the brand, else by their user's name.
_MEMBER_NAME = case((brand_members.c.display_name != "", brand_members.c.display_name),
                    else_=users.c.display_name).label("greeting")
_MEMBERS = (select(brand_members.c.brand_id, brand_members.c.user_id, users.c.email, _MEMBER_NAME)
            .select_from(brand_members.join(users, users.c.id == brand_members.c.user_id))
            .where(users.c.email.is_not(None), users.c.email != ""))


def _contact(row) -> Addressee:
    return Addressee(email=row.primary_email.lower(), display_name=row.display_name, contact_id=row.id)


def _member(row) -> Addressee:
    return Addressee(email=row.email.lower(), display_name=row.greeting, agent_brand_id=row.brand_id,
                     agent_user_id=row.user_id)


class AddresseeRows:
    _conn: AsyncConnection

    async def _contacts(self, query) -> list[Addressee]:
        query = query.where(contacts.c.primary_email != "").order_by(contacts.c.create_time_us, contacts.c.id)
        return [_contact(row) for row in await self._conn.execute(query)]

    async def addressees_with_tag(self, brand_id: str, tag: str) -> list[Addressee]:
        """The brand's contacts carrying `tag` (compared lowercased, as tags are stored)."""
        return await self._contacts(select(*_CONTACT_COLUMNS).select_from(
            contacts.join(contact_tags, contact_tags.c.contact_id == contacts.c.id)).where(
            contact_tags.c.brand_id == brand_id, contact_tags.c.tag == tag.strip().lower(),
            contacts.c.brand_id == brand_id))

    async def addressees_on_list(self, list_id: str) -> list[Addressee]:
        return await self._contacts(select(*_CONTACT_COLUMNS).select_from(
            contacts.join(contact_list_entries, contact_list_entries.c.contact_id == contacts.c.id)).where(
            contact_list_entries.c.list_id == list_id))

    async def addressees_all_contacts(self, brand_id: str) -> list[Addressee]:
        return await self._contacts(select(*_CONTACT_COLUMNS).where(contacts.c.brand_id == brand_id))

    async def addressee_contact(self, contact_id: str) -> Addressee | None:
        found = await self._contacts(select(*_CONTACT_COLUMNS).where(contacts.c.id == contact_id))
        return found[0] if found else None

    async def addressees_brand_members(self, brand_id: str) -> list[Addressee]:
        """Every member (agent or admin), in the order they joined."""
        query = (_MEMBERS.where(brand_members.c.brand_id == brand_id)
                 .order_by(brand_members.c.create_time_us, brand_members.c.user_id))
        return [_member(row) for row in await self._conn.execute(query)]

    async def addressee_member(self, brand_id: str, user_id: str) -> Addressee | None:
        row = (await self._conn.execute(_MEMBERS.where(brand_members.c.brand_id == brand_id,
                                                       brand_members.c.user_id == user_id))).first()
        return _member(row) if row else None
