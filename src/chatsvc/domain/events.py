"""Space events: every create, update and delete in a space leaves one behind, in the same transaction.

An event stores what happened and to which resource; ListSpaceEvents builds the payload from the
resource's latest state when it is read, as Google's events API documents.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from enum import Enum

from chatsvc.aip import ids
from chatsvc.domain.ports import Repositories


class EventType(str, Enum):
    MESSAGE_CREATED = "google.workspace.chat.message.v1.created"
    MESSAGE_UPDATED = "google.workspace.chat.message.v1.updated"
    MESSAGE_DELETED = "google.workspace.chat.message.v1.deleted"
    MEMBERSHIP_CREATED = "google.workspace.chat.membership.v1.created"
    MEMBERSHIP_UPDATED = "google.workspace.chat.membership.v1.updated"
    MEMBERSHIP_DELETED = "google.workspace.chat.membership.v1.deleted"
    REACTION_CREATED = "google.workspace.chat.reaction.v1.created"
    REACTION_DELETED = "google.workspace.chat.reaction.v1.deleted"
    SPACE_UPDATED = "google.workspace.chat.space.v1.updated"


@dataclass(frozen=True)
class SpaceEvent:
    space_id: str
    id: str
    event_time_us: int
    event_type: EventType
    # The resource the event is about, e.g. `spaces/AAAA/messages/xyz`.
    resource_name: str


# Events are listed in (time, id) order, and the events of one request often share a time. Ids start with
# a per-process sequence number (digits, which sort alike under every collation), so such events keep the
# order they were recorded in.
_sequence = itertools.count()


def _event_id() -> str:
    return f"{next(_sequence) % 10**8:08d}" + ids.opaque_id(8)


async def record(repos: Repositories, space_id: str, event_type: EventType, resource_name: str,
                 now_us: int) -> SpaceEvent:
    event = SpaceEvent(space_id=space_id, id=_event_id(), event_time_us=now_us, event_type=event_type,
                       resource_name=resource_name)
    await repos.events.add(event)
    return event
