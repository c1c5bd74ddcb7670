"""All repositories over one connection in one transaction. SQLAlchemy Core: rows become domain dataclasses."""
from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncConnection

from chatsvc.storage.repos.events import EventRepository
from chatsvc.storage.repos.memberships import MembershipRepository
from chatsvc.storage.repos.messages import MessageRepository
from chatsvc.storage.repos.settings import SettingsRepository
from chatsvc.storage.repos.spaces import SpaceRepository
from chatsvc.storage.repos.threads import ThreadRepository
from chatsvc.storage.repos.users import UserRepository


class Repositories:
    def __init__(self, conn: AsyncConnection):
        self.settings = SettingsRepository(conn)
        self.users = UserRepository(conn)
        self.spaces = SpaceRepository(conn)
        self.memberships = MembershipRepository(conn)
        self.threads = ThreadRepository(conn)
        self.messages = MessageRepository(conn)
        self.events = EventRepository(conn)
