"""Space notification settings."""
from __future__ import annotations

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from chatsvc.domain.notification_settings import MuteSetting, NotificationLevel, NotificationSetting
from chatsvc.storage.tables import space_notification_settings as settings


class NotificationSettingRepository:
    def __init__(self, conn: AsyncConnection):
        self._conn = conn

    async def get(self, space_id: str, user_id: str) -> NotificationSetting | None:
        row = (await self._conn.execute(select(settings).where(
            settings.c.space_id == space_id, settings.c.user_id == user_id))).first()
        if row is None:
            return None
        return NotificationSetting(user_id, space_id, NotificationLevel(row.notification_setting),
                                   MuteSetting(row.mute_setting))

    async def put(self, setting: NotificationSetting) -> None:
        values = dict(notification_setting=int(setting.level), mute_setting=int(setting.mute))
        changed = await self._conn.execute(update(settings).where(
            settings.c.space_id == setting.space_id, settings.c.user_id == setting.user_id).values(**values))
        if changed.rowcount == 0:
            await self._conn.execute(insert(settings).values(
                space_id=setting.space_id, user_id=setting.user_id, **values))
