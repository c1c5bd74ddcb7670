"""Chat apps registered with chatsvc: one row each, commands and link-preview patterns as JSON lists."""
from __future__ import annotations

import json

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from chatsvc.domain.chat_apps import AppCommand, ChatApp, CommandType, EventFormat, LinkPreviewPattern
from chatsvc.domain.models import Page
from chatsvc.storage.tables import chat_apps

# The look-up every event for an app will make: by name alone.
_BY_NAME = select(chat_apps).where(chat_apps.c.name == bindparam("b_name"))


def _commands_json(commands: tuple[AppCommand, ...]) -> str:
    return json.dumps([{"id": c.id, "type": c.type.value, "name": c.name, "description": c.description,
                        "opens_dialog": c.opens_dialog} for c in commands], separators=(",", ":"))


def _previews_json(patterns: tuple[LinkPreviewPattern, ...]) -> str:
    return json.dumps([{"host": p.host_pattern, "path": p.path_prefix} for p in patterns], separators=(",", ":"))


def _chat_app(row) -> ChatApp:
    commands = tuple(AppCommand(c["id"], c["name"], CommandType(c["type"]), c["description"], c["opens_dialog"])
                     for c in json.loads(row.commands))
    previews = tuple(LinkPreviewPattern(p["host"], p["path"]) for p in json.loads(row.link_previews))
    return ChatApp(name=row.name, user_id=row.user_id, display_name=row.display_name, endpoint_url=row.endpoint_url,
                   pubsub_topic=row.pubsub_topic, authentication_audience=row.audience,
                   event_format=EventFormat(row.event_format), avatar_url=row.avatar_url, description=row.description,
                   commands=commands, link_preview_patterns=previews, direct_messages_enabled=row.direct_messages,
                   spaces_enabled=row.spaces, creator_id=row.creator_id, create_time_us=row.create_time_us,
                   update_time_us=row.update_time_us)


def _values(app: ChatApp) -> dict:
    """The columns a registration's configuration sets (all but the name, the user, the creator and create time)."""
    return dict(display_name=app.display_name, avatar_url=app.avatar_url, description=app.description,
                endpoint_url=app.endpoint_url, pubsub_topic=app.pubsub_topic, audience=app.authentication_audience,
                event_format=app.event_format.value, commands=_commands_json(app.commands),
                link_previews=_previews_json(app.link_preview_patterns), direct_messages=app.direct_messages_enabled,
                spaces=app.spaces_enabled, update_time_us=app.update_time_us)


class ChatAppRepository:
    def __init__(self, conn: AsyncConnection):
        self._conn = conn

    async def add(self, app: ChatApp) -> None:
        await self._conn.execute(insert(chat_apps).values(
            name=app.name, user_id=app.user_id, creator_id=app.creator_id, create_time_us=app.create_time_us,
            **_values(app)))

    async def by_name(self, name: str, *, lock: bool = False) -> ChatApp | None:
        """The app registered under `name`; `lock`: held until the transaction ends (PostgreSQL)."""
        query = _BY_NAME.with_for_update() if lock else _BY_NAME
        row = (await self._conn.execute(query, {"b_name": name})).first()
        return _chat_app(row) if row else None

    async def by_user_ids(self, user_ids: set[str]) -> dict[str, ChatApp]:
        """The registered apps among these users (members of a space, say), by user id."""
        if not user_ids:
            return {}
        rows = (await self._conn.execute(select(chat_apps).where(chat_apps.c.user_id.in_(sorted(user_ids))))).all()
        return {row.user_id: _chat_app(row) for row in rows}

    async def list(self, *, after: str | None, limit: int, creator_id: str | None = None) -> Page:
        """Apps by name, after the name `after`; only those `creator_id` registered, when given."""
        query = select(chat_apps)
        if creator_id is not None:
            query = query.where(chat_apps.c.creator_id == creator_id)
        if after is not None:
            query = query.where(chat_apps.c.name > after)
        rows = (await self._conn.execute(query.order_by(chat_apps.c.name).limit(limit + 1))).all()
        items = [_chat_app(row) for row in rows[:limit]]
        return Page(items, (items[-1].name,) if len(rows) > limit and items else None)

    async def update(self, app: ChatApp) -> bool:
        """Stores `app`'s configuration; whether it was registered."""
        result = await self._conn.execute(update(chat_apps).where(chat_apps.c.name == app.name).values(**_values(app)))
        return result.rowcount > 0

    async def delete(self, name: str) -> bool:
        """Whether there was such an app."""
        result = await self._conn.execute(delete(chat_apps).where(chat_apps.c.name == name))
        return result.rowcount > 0
