"""google.chat.v1 space notification setting RPCs: proto <-> domain."""
from __future__ import annotations

from google.chat.v1 import space_notification_setting_pb2

from chatsvc.aip import user_resources as names
from chatsvc.domain.errors import InvalidArgument
from chatsvc.domain.notification_settings import (
    LEVEL_FIELD,
    MuteSetting,
    NotificationLevel,
    NotificationSetting,
    SettingChange,
)
from chatsvc.domain.principal import current_principal

_PATHS = ("notification_setting", "mute_setting")
_MUTE_FIELD = "space_notification_setting.mute_setting"


def notification_setting_proto(setting: NotificationSetting) -> space_notification_setting_pb2.SpaceNotificationSetting:
    return space_notification_setting_pb2.SpaceNotificationSetting(
        name=names.space_notification_setting_name(setting.user_id, setting.space_id),
        notification_setting=int(setting.level), mute_setting=int(setting.mute))


def _change(request) -> SettingChange:
    paths = set(request.update_mask.paths)
    supported = "the supported paths are `notification_setting` and `mute_setting`"
    if not paths:
        raise InvalidArgument.field("update_mask", f"is required; {supported}")
    unknown = sorted(paths - {*_PATHS, "*"})
    if unknown:
        raise InvalidArgument.field("update_mask", f"`{unknown[0]}` can't be updated; {supported}")
    if "*" in paths:
        paths = set(_PATHS)
    setting = request.space_notification_setting
    level = mute = None
    if "notification_setting" in paths:
        value = setting.notification_setting if setting.HasField("notification_setting") else 0
        if value not in NotificationLevel._value2member_map_ or value == NotificationLevel.UNSPECIFIED:
            raise InvalidArgument.field(LEVEL_FIELD, "must be ALL, MAIN_CONVERSATIONS, FOR_YOU or OFF")
        level = NotificationLevel(value)
    if "mute_setting" in paths:
        value = setting.mute_setting if setting.HasField("mute_setting") else 0
        if value not in MuteSetting._value2member_map_ or value == MuteSetting.UNSPECIFIED:
            raise InvalidArgument.field(_MUTE_FIELD, "must be UNMUTED or MUTED")
        mute = MuteSetting(value)
    return SettingChange(level=level, mute=mute)


class NotificationSettingsApi:
    """Mixed into the ChatService servicer; `self.notification_settings` comes from it."""

    async def GetSpaceNotificationSetting(self, request, context):
        user, space_id = names.space_notification_setting(request.name, "name")
        setting = await self.notification_settings.get(current_principal(), user, space_id)
        return notification_setting_proto(setting)

    async def UpdateSpaceNotificationSetting(self, request, context):
        user, space_id = names.space_notification_setting(request.space_notification_setting.name,
                                                          "space_notification_setting.name")
        change = _change(request)
        setting = await self.notification_settings.update(current_principal(), user, space_id, change)
        return notification_setting_proto(setting)
