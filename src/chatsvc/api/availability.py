"""google.chat.v1 availability RPCs: proto <-> domain."""
from __future__ import annotations

from google.chat.v1 import availability_pb2, reaction_pb2

from chatsvc.aip import user_resources as names
from chatsvc.api.convert import timestamp
from chatsvc.api.times import duration_micros, timestamp_micros
from chatsvc.domain.availability import STATUS_FIELD, AvailabilityState, AvailabilityView, Expiry, StatusDraft
from chatsvc.domain.errors import InvalidArgument
from chatsvc.domain.principal import current_principal


def availability_proto(view: AvailabilityView) -> availability_pb2.Availability:
    proto = availability_pb2.Availability(name=names.availability_name(view.user_id), state=int(view.state))
    if view.state == AvailabilityState.DO_NOT_DISTURB:
        proto.do_not_disturb_metadata.expiration_time.CopyFrom(timestamp(view.dnd_expire_time_us))
    if view.status is not None:
        status = proto.custom_status
        status.text = view.status.text
        status.emoji.CopyFrom(reaction_pb2.Emoji(unicode=view.status.emoji))
        if view.status.expire_time_us:  # a ttl given on input comes back as the time it ends
            status.expire_time.CopyFrom(timestamp(view.status.expire_time_us))
    return proto


def _expiry(message, prefix: str = "") -> Expiry:
    """The `expiration` oneof of a request or custom status."""
    which = message.WhichOneof("expiration")
    if which == "expire_time":
        return Expiry(expire_time_us=timestamp_micros(message.expire_time, f"{prefix}expire_time"), prefix=prefix)
    if which == "ttl":
        return Expiry(ttl_us=duration_micros(message.ttl, f"{prefix}ttl"), prefix=prefix)
    return Expiry(prefix=prefix)


def _status_draft(request: availability_pb2.UpdateAvailabilityRequest) -> StatusDraft | None:
    paths = list(request.update_mask.paths)
    if not paths:
        raise InvalidArgument.field("update_mask", "is required; the supported path is `custom_status`")
    for path in paths:
        if path not in ("custom_status", "*"):
            raise InvalidArgument.field("update_mask",
                                        f"`{path}` can't be updated; the supported path is `custom_status`")
    if not request.availability.HasField("custom_status"):
        return None  # the mask names the status and the request has none: clear it
    status = request.availability.custom_status
    if status.emoji.HasField("custom_emoji"):
        raise InvalidArgument.field(f"{STATUS_FIELD}.emoji", "custom emojis are not supported; use a Unicode emoji")
    return StatusDraft(text=status.text, emoji=status.emoji.unicode, expiry=_expiry(status, f"{STATUS_FIELD}."))


class AvailabilityApi:
    """Mixed into the ChatService servicer; `self.availabilities` comes from it."""

    async def GetAvailability(self, request, context):
        view = await self.availabilities.get(current_principal(), names.availability(request.name, "name"))
        return availability_proto(view)

    async def UpdateAvailability(self, request, context):
        user = names.availability(request.availability.name, "availability.name")
        draft = _status_draft(request)
        view = await self.availabilities.set_status(current_principal(), user, draft)
        return availability_proto(view)

    async def MarkAsActive(self, request, context):
        user = names.availability(request.name, "name")
        view = await self.availabilities.mark_active(current_principal(), user, _expiry(request))
        return availability_proto(view)

    async def MarkAsAway(self, request, context):
        view = await self.availabilities.mark_away(current_principal(), names.availability(request.name, "name"))
        return availability_proto(view)

    async def MarkAsDoNotDisturb(self, request, context):
        user = names.availability(request.name, "name")
        view = await self.availabilities.mark_do_not_disturb(current_principal(), user, _expiry(request))
        return availability_proto(view)
