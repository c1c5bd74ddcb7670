"""The directory repository (`repos.directory`): brands and members, contacts and lists, and the expansion
of campaign recipient groups into addresses. Each concern lives in its own module; this class joins them."""
from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncConnection

from chatsvc.storage.repos.directory_addressees import AddresseeRows
from chatsvc.storage.repos.directory_brands import BrandRows
from chatsvc.storage.repos.directory_contacts import ContactRows


class DirectoryRepository(BrandRows, ContactRows, AddresseeRows):
    def __init__(self, conn: AsyncConnection):
        self._conn = conn
