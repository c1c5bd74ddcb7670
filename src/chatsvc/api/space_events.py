"""google.chat.v1 space event RPCs: GetSpaceEvent and ListSpaceEvents, and the SpaceEvent proto."""
from __future__ import annotations

from google.chat.v1 import (
    deletion_metadata_pb2,
    event_payload_pb2,
    membership_pb2,
    message_pb2,
    reaction_pb2,
    space_event_pb2,
)

from chatsvc.aip import names
from chatsvc.aip.pagination import page_size
from chatsvc.api.convert import timestamp
from chatsvc.api.memberships import membership_proto
from chatsvc.api.message_protos import message_proto
from chatsvc.api.reaction_protos import reaction_proto
from chatsvc.api.space_protos import space_proto
from chatsvc.domain import space_event_filter
from chatsvc.domain.events import EventType
from chatsvc.domain.models import MembershipState
from chatsvc.domain.principal import current_principal
from chatsvc.domain.space_events import EventView

_Membership = membership_pb2.Membership
_Message = message_pb2.Message
_Reaction = reaction_pb2.Reaction

# Event type -> the payload field of SpaceEvent and its message type.
_PAYLOADS = {
    EventType.MESSAGE_CREATED: ("message_created_event_data", event_payload_pb2.MessageCreatedEventData),
    EventType.MESSAGE_UPDATED: ("message_updated_event_data", event_payload_pb2.MessageUpdatedEventData),
    EventType.MESSAGE_DELETED: ("message_deleted_event_data", event_payload_pb2.MessageDeletedEventData),
    EventType.MEMBERSHIP_CREATED: ("membership_created_event_data", event_payload_pb2.MembershipCreatedEventData),
    EventType.MEMBERSHIP_UPDATED: ("membership_updated_event_data", event_payload_pb2.MembershipUpdatedEventData),
    EventType.MEMBERSHIP_DELETED: ("membership_deleted_event_data", event_payload_pb2.MembershipDeletedEventData),
    EventType.REACTION_CREATED: ("reaction_created_event_data", event_payload_pb2.ReactionCreatedEventData),
    EventType.REACTION_DELETED: ("reaction_deleted_event_data", event_payload_pb2.ReactionDeletedEventData),
    EventType.SPACE_UPDATED: ("space_updated_event_data", event_payload_pb2.SpaceUpdatedEventData),
}


def _message(view: EventView) -> _Message:
    message = view.resource
    if view.event.event_type != EventType.MESSAGE_DELETED:
        # The latest version; a message deleted since shows as what is left of it.
        return message_proto(message) if message is not None else _Message()
    # Google: only name, create_time and deletion_metadata.
    proto = _Message(name=view.event.resource_name)
    if message is not None:
        proto.create_time.CopyFrom(timestamp(message.create_time_us))
        if message.delete_time_us:
            proto.deletion_metadata.CopyFrom(deletion_metadata_pb2.DeletionMetadata(
                deletion_type=int(message.deletion_type)))
    return proto


def _membership(view: EventView) -> _Membership:
    current = view.resource
    if view.event.event_type == EventType.MEMBERSHIP_DELETED:
        # Google: only name and state (the current state, should the member have come back since).
        state = current.membership.state if current is not None else MembershipState.NOT_A_MEMBER
        return _Membership(name=view.event.resource_name, state=int(state))
    # Google: a member removed since the event leaves an empty Membership.
    return membership_proto(current) if current is not None else _Membership()


def _reaction(view: EventView) -> _Reaction:
    if view.resource is not None:
        return reaction_proto(view.resource)
    # A reaction deleted since (or the deletion event itself): only its name is left.
    if view.event.event_type == EventType.REACTION_DELETED:
        return _Reaction(name=view.event.resource_name)
    return _Reaction()


def space_event_proto(view: EventView) -> space_event_pb2.SpaceEvent:
    event = view.event
    proto = space_event_pb2.SpaceEvent(name=names.space_event_name(event.space_id, event.id),
                                       event_time=timestamp(event.event_time_us), event_type=event.event_type.value)
    field, payload_type = _PAYLOADS[event.event_type]
    if field.startswith("message"):
        payload = payload_type(message=_message(view))
    elif field.startswith("membership"):
        payload = payload_type(membership=_membership(view))
    elif field.startswith("reaction"):
        payload = payload_type(reaction=_reaction(view))
    else:  # Google leaves permission_settings out of events' spaces
        payload = payload_type(space=space_proto(view.resource, permissions=False))
    getattr(proto, field).CopyFrom(payload)
    return proto


class SpaceEventsApi:
    """Mixed into the ChatService servicer; `self.space_events` and `self.pager` come from it."""

    async def GetSpaceEvent(self, request, context):
        space_id, event_id = names.space_event(request.name)
        return space_event_proto(await self.space_events.get(current_principal(), space_id, event_id))

    async def ListSpaceEvents(self, request, context):
        principal = current_principal()
        space_id = names.space(request.parent, "parent")
        query = space_event_filter.parse(request.filter)
        # Google documents no default or maximum; these are its other lists' usual ones.
        size = page_size(request.page_size, default=100, maximum=1000)
        params = (request.parent, request.filter)
        position = self.pager.position(request.page_token, "ListSpaceEvents", principal, *params)
        page = await self.space_events.list(principal, space_id, query, position=position, limit=size)
        return space_event_pb2.ListSpaceEventsResponse(
            space_events=[space_event_proto(view) for view in page.items],
            next_page_token=self.pager.token(page.next_position, "ListSpaceEvents", principal, *params))
