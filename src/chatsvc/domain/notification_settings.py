"""Space notification settings: per user per space, the caller's own, for members of the space.

A user who never changed the setting of a space gets Chat's default for new conversations: notify about
everything (ALL), unmuted. MAIN_CONVERSATIONS and FOR_YOU do not exist for 1:1 direct messages. Settings are
personal, so changing one is not a space event.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from enum import IntEnum

from chatsvc.aip.names import MemberRef
from chatsvc.domain.access import read, visible_space, write
from chatsvc.domain.errors import InvalidArgument
from chatsvc.domain.models import SpaceType
from chatsvc.domain.own_user import own_caller
from chatsvc.domain.ports import Repositories, Transactions
from chatsvc.domain.principal import Principal
from chatsvc.domain.users import Directory

LEVEL_FIELD = "space_notification_setting.notification_setting"


class NotificationLevel(IntEnum):
    """google.chat.v1.SpaceNotificationSetting.NotificationSetting, by value."""

    UNSPECIFIED = 0
    ALL = 1
    MAIN_CONVERSATIONS = 2
    FOR_YOU = 3
    OFF = 4


class MuteSetting(IntEnum):
    """google.chat.v1.SpaceNotificationSetting.MuteSetting, by value."""

    UNSPECIFIED = 0
    UNMUTED = 1
    MUTED = 2


_NOT_FOR_DMS = {NotificationLevel.MAIN_CONVERSATIONS, NotificationLevel.FOR_YOU}


@dataclass(frozen=True)
class NotificationSetting:
    user_id: str
    space_id: str
    level: NotificationLevel = NotificationLevel.ALL
    mute: MuteSetting = MuteSetting.UNMUTED


@dataclass(frozen=True)
class SettingChange:
    """The fields an update mask named; None leaves a field as it is."""

    level: NotificationLevel | None = None
    mute: MuteSetting | None = None


class NotificationSettings:
    def __init__(self, db: Transactions, directory: Directory):
        self._db = db
        self._directory = directory

    async def get(self, principal: Principal, ref: MemberRef, space_id: str) -> NotificationSetting:
        caller = await own_caller(self._directory, principal, ref, "space notification setting")

        async def work(repos: Repositories) -> NotificationSetting:
            await visible_space(repos, space_id, caller)
            return await _current(repos, space_id, caller.id)

        return await read(self._db, work)

    async def update(self, principal: Principal, ref: MemberRef, space_id: str,
                     change: SettingChange) -> NotificationSetting:
        caller = await own_caller(self._directory, principal, ref, "space notification setting")

        async def work(repos: Repositories) -> NotificationSetting:
            space, _ = await visible_space(repos, space_id, caller)
            if change.level in _NOT_FOR_DMS and space.space_type == SpaceType.DIRECT_MESSAGE:
                raise InvalidArgument.field(LEVEL_FIELD, f"{change.level.name} is not available in direct messages")
            setting = await _current(repos, space_id, caller.id)
            if change.level is not None:
                setting = replace(setting, level=change.level)
            if change.mute is not None:
                setting = replace(setting, mute=change.mute)
            await repos.notification_settings.put(setting)
            return setting

        return await write(self._db, work)


async def _current(repos: Repositories, space_id: str, user_id: str) -> NotificationSetting:
    return await repos.notification_settings.get(space_id, user_id) or NotificationSetting(user_id, space_id)
