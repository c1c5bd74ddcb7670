"""google.chat.v1 space and thread read state RPCs: proto <-> domain."""
from __future__ import annotations

from google.chat.v1 import space_read_state_pb2, thread_read_state_pb2

from chatsvc.aip import user_resources as names
from chatsvc.api.convert import timestamp
from chatsvc.api.times import timestamp_micros
from chatsvc.domain.errors import InvalidArgument
from chatsvc.domain.principal import current_principal
from chatsvc.domain.read_states import ReadState

_UPDATABLE = {"last_read_time", "*"}  # `*` replaces every updatable field, which is the same one


def space_read_state_proto(state: ReadState) -> space_read_state_pb2.SpaceReadState:
    proto = space_read_state_pb2.SpaceReadState(name=names.space_read_state_name(state.user_id, state.space_id))
    if state.last_read_time_us is not None:
        proto.last_read_time.CopyFrom(timestamp(state.last_read_time_us))
    return proto


def thread_read_state_proto(state: ReadState) -> thread_read_state_pb2.ThreadReadState:
    proto = thread_read_state_pb2.ThreadReadState(
        name=names.thread_read_state_name(state.user_id, state.space_id, state.thread_id))
    if state.last_read_time_us is not None:
        proto.last_read_time.CopyFrom(timestamp(state.last_read_time_us))
    return proto


def _last_read_time(request: space_read_state_pb2.UpdateSpaceReadStateRequest) -> int:
    paths = list(request.update_mask.paths)
    if not paths:
        raise InvalidArgument.field("update_mask", "is required; the supported path is `last_read_time`")
    for path in paths:
        if path not in _UPDATABLE:
            raise InvalidArgument.field("update_mask",
                                        f"`{path}` can't be updated; the supported path is `last_read_time`")
    field = "space_read_state.last_read_time"
    if not request.space_read_state.HasField("last_read_time"):
        raise InvalidArgument.field(field, "is required to update the read state")
    return timestamp_micros(request.space_read_state.last_read_time, field)


class ReadStatesApi:
    """Mixed into the ChatService servicer; `self.read_states` comes from it."""

    async def GetSpaceReadState(self, request, context):
        user, space_id = names.space_read_state(request.name, "name")
        state = await self.read_states.space_state(current_principal(), user, space_id)
        return space_read_state_proto(state)

    async def UpdateSpaceReadState(self, request, context):
        user, space_id = names.space_read_state(request.space_read_state.name, "space_read_state.name")
        last_read = _last_read_time(request)
        state = await self.read_states.mark_space(current_principal(), user, space_id, last_read)
        return space_read_state_proto(state)

    async def GetThreadReadState(self, request, context):
        user, space_id, thread_id = names.thread_read_state(request.name, "name")
        state = await self.read_states.thread_state(current_principal(), user, space_id, thread_id)
        return thread_read_state_proto(state)
