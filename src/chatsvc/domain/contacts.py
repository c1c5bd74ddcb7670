"""A brand's contacts and CRM lists. Any member (agent or admin) may create, read and delete them.

Imports are all-or-nothing: every contact is checked before the single transaction that writes them, and
the first problem is reported with the exact field (`contacts[3].emails[1]`).
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass

from chatsvc.aip import directory_names as names
from chatsvc.aip import filters
from chatsvc.domain.access import read, write
from chatsvc.domain.brand_access import brand_member
from chatsvc.domain.brands import keyset, page_of
from chatsvc.domain.contact_drafts import CheckedContact, ContactDraft, checked_contact, checked_text, unknown_list
from chatsvc.domain.directory_models import Contact, ContactList
from chatsvc.domain.errors import InvalidArgument, NotFound
from chatsvc.domain.models import Page
from chatsvc.domain.ports import Clock, Repositories, Transactions
from chatsvc.domain.principal import Principal
from chatsvc.domain.users import Directory

MAX_IMPORT = 1000
MAX_LIST_NAME = 256


@dataclass(frozen=True)
class ContactFilter:
    tag: str | None = None
    list_id: str | None = None


def contact_filter(text: str, brand_id: str) -> ContactFilter:
    """`tag = "x"`, `list = "brands/{brand}/lists/{list}"` or nothing; anything else is refused."""
    node = filters.parse(text)
    if node is None:
        return ContactFilter()
    if not (isinstance(node, filters.Comparison) and node.op == "=" and node.field in ("tag", "list")):
        raise filters.invalid("filter", 'must be `tag = "..."` or `list = "brands/{brand}/lists/{list}"`')
    if node.field == "tag":
        tag = node.value.strip().lower()
        if not tag:
            raise filters.invalid("filter", "the tag must not be empty")
        return ContactFilter(tag=tag)
    list_brand, list_id = names.parse_list(node.value, "filter")
    if list_brand != brand_id:
        raise filters.invalid("filter", f"the list must be a list of `{names.brand_name(brand_id)}`")
    return ContactFilter(list_id=list_id)


def contact_not_found(name: str) -> NotFound:
    return NotFound(f"Contact `{name}` not found.", reason="CONTACT_NOT_FOUND")


def list_not_found(name: str) -> NotFound:
    return NotFound(f"Contact list `{name}` not found.", reason="CONTACT_LIST_NOT_FOUND")


class Contacts:
    def __init__(self, db: Transactions, users: Directory, clock: Clock):
        self._db = db
        self._users = users
        self._clock = clock

    # ---- contacts

    async def create(self, principal: Principal, parent: str, draft: ContactDraft) -> Contact:
        brand_id = names.parse_brand(parent, "parent")
        checked = checked_contact(draft, "contact", brand_id)
        return (await self._add(principal, brand_id, [checked]))[0]

    async def import_contacts(self, principal: Principal, parent: str, drafts: list[ContactDraft]) -> list[Contact]:
        brand_id = names.parse_brand(parent, "parent")
        if not 1 <= len(drafts) <= MAX_IMPORT:
            raise InvalidArgument.field("contacts", f"must hold 1 to {MAX_IMPORT} contacts")
        checked = [checked_contact(draft, f"contacts[{i}]", brand_id) for i, draft in enumerate(drafts)]
        return await self._add(principal, brand_id, checked)

    async def _add(self, principal: Principal, brand_id: str, checked: list[CheckedContact]) -> list[Contact]:
        caller = await self._users.caller(principal)
        now = self._clock()
        # The i-th contact is stamped i microseconds later, so "oldest first" lists an import in its order.
        new = [Contact(id=str(uuid.uuid4()), brand_id=brand_id, display_name=c.display_name, emails=c.emails,
                       tags=c.tags, list_ids=c.list_ids, create_time_us=now + i) for i, c in enumerate(checked)]

        async def add(repos: Repositories) -> list[Contact]:
            await brand_member(repos, brand_id, caller)
            named = {list_id for c in checked for list_id in c.list_ids}
            known = await repos.directory.list_ids_in_brand(brand_id, named)
            for c in checked:
                for list_id, list_field in c.list_fields.items():
                    if list_id not in known:
                        raise unknown_list(list_field, names.list_name(brand_id, list_id))
            await repos.directory.add_contacts(new)
            return new
        return await write(self._db, add)

    async def get(self, principal: Principal, name: str) -> Contact:
        brand_id, contact_id = names.parse_contact(name)
        caller = await self._users.caller(principal)

        async def get(repos: Repositories) -> Contact:
            await brand_member(repos, brand_id, caller)
            return await self._in_brand(repos, brand_id, contact_id, name)
        return await read(self._db, get)

    async def list(self, principal: Principal, parent: str, filter_text: str, after: tuple | None,
                   limit: int) -> Page:
        brand_id = names.parse_brand(parent, "parent")
        wanted = contact_filter(filter_text, brand_id)
        caller = await self._users.caller(principal)

        async def contacts(repos: Repositories) -> list[Contact]:
            await brand_member(repos, brand_id, caller)
            return await repos.directory.contacts(brand_id, wanted.tag, wanted.list_id, keyset(after), limit + 1)
        return page_of(await read(self._db, contacts), limit, lambda c: (c.create_time_us, c.id))

    async def delete(self, principal: Principal, name: str) -> None:
        brand_id, contact_id = names.parse_contact(name)
        caller = await self._users.caller(principal)

        async def delete(repos: Repositories) -> None:
            await brand_member(repos, brand_id, caller)
            await self._in_brand(repos, brand_id, contact_id, name)
            await repos.directory.delete_contact(contact_id)
        await write(self._db, delete)

    @staticmethod
    async def _in_brand(repos: Repositories, brand_id: str, contact_id: str, name: str) -> Contact:
        contact = await repos.directory.contact(contact_id)
        if contact is None or contact.brand_id != brand_id:  # another brand's contact is as good as absent
            raise contact_not_found(name)
        return contact

    # ---- CRM lists

    async def create_list(self, principal: Principal, parent: str, display_name: str) -> ContactList:
        brand_id = names.parse_brand(parent, "parent")
        display_name = checked_text(display_name, "contact_list.display_name", MAX_LIST_NAME, required=True)
        caller = await self._users.caller(principal)
        contact_list = ContactList(id=str(uuid.uuid4()), brand_id=brand_id, display_name=display_name,
                                   contact_count=0, create_time_us=self._clock())

        async def create(repos: Repositories) -> ContactList:
            await brand_member(repos, brand_id, caller)
            await repos.directory.add_contact_list(contact_list)
            return contact_list
        return await write(self._db, create)

    async def get_list(self, principal: Principal, name: str) -> ContactList:
        brand_id, list_id = names.parse_list(name)
        caller = await self._users.caller(principal)

        async def get(repos: Repositories) -> ContactList:
            await brand_member(repos, brand_id, caller)
            return await self._list_in_brand(repos, brand_id, list_id, name)
        return await read(self._db, get)

    async def list_lists(self, principal: Principal, parent: str, after: tuple | None, limit: int) -> Page:
        brand_id = names.parse_brand(parent, "parent")
        caller = await self._users.caller(principal)

        async def lists(repos: Repositories) -> list[ContactList]:
            await brand_member(repos, brand_id, caller)
            return await repos.directory.contact_lists(brand_id, keyset(after), limit + 1)
        return page_of(await read(self._db, lists), limit, lambda c: (c.create_time_us, c.id))

    async def delete_list(self, principal: Principal, name: str) -> None:
        brand_id, list_id = names.parse_list(name)
        caller = await self._users.caller(principal)

        async def delete(repos: Repositories) -> None:
            await brand_member(repos, brand_id, caller)
            await self._list_in_brand(repos, brand_id, list_id, name)
            await repos.directory.delete_contact_list(list_id)
        await write(self._db, delete)

    @staticmethod
    async def _list_in_brand(repos: Repositories, brand_id: str, list_id: str, name: str) -> ContactList:
        contact_list = await repos.directory.contact_list(list_id)
        if contact_list is None or contact_list.brand_id != brand_id:
            raise list_not_found(name)
        return contact_list
