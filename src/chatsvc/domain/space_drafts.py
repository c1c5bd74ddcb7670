"""New spaces: what a caller asks for (a draft), the checks every new space passes, and the steps CreateSpace
and SetUpSpace share (request-id idempotency, the unique display name, the space itself)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from chatsvc.aip import ids
from chatsvc.domain.errors import AlreadyExists, InvalidArgument
from chatsvc.domain.models import HistoryState, Space, SpaceType
from chatsvc.domain.permissions import Preset, preset
from chatsvc.domain.ports import Repositories
from chatsvc.domain.space_rules import (
    MAX_REQUEST_ID,
    check_access_permissions,
    check_audience,
    check_display_name,
    check_space_details,
)

# Google deletes a space still in import mode 90 days after it was created.
IMPORT_WINDOW_US = 90 * 86_400 * 1_000_000
# Historical creation times of imported spaces go back no further than 2000-01-01.
EARLIEST_IMPORT_US = 946_684_800 * 1_000_000
CUSTOMER = re.compile(r"^customers/[A-Za-z0-9_-]{1,54}\Z")  # 64 characters in all, the stored column's width


@dataclass(frozen=True)
class Grants:
    """What the caller's token allows, beyond the auth interceptor's check of the RPC."""

    import_scope: bool = False  # holds chat.import, needed to create a space in import mode
    import_only: bool = False  # chat.import is the only scope that let the call in: import-mode spaces only


NO_GRANTS = Grants()


@dataclass(frozen=True)
class SpaceDraft:
    space_type: SpaceType
    display_name: str = ""
    description: str = ""
    guidelines: str = ""
    external_user_allowed: bool = False
    import_mode: bool = False
    single_user_bot_dm: bool = False
    customer: str = ""
    history_state: HistoryState = HistoryState.UNSPECIFIED
    create_time_us: int = 0  # a historical creation time; import mode only
    preset: Preset | None = None
    audience: str = ""
    access_permissions: dict = field(default_factory=dict)  # ACCESS_PERMISSIONS name -> audience names
    # A field the caller set that a new space cannot take (e.g. `space.permission_settings`), or "".
    refused_field: str = ""


def check_request_id(request_id: str) -> None:
    if len(request_id) > MAX_REQUEST_ID:
        raise InvalidArgument.field("request_id", f"must be at most {MAX_REQUEST_ID} characters")


async def earlier_request(repos: Repositories, creator_id: str, request_id: str) -> Space | None:
    """The space this caller already created with this request id; another caller's use is an error."""
    if not request_id:
        return None
    earlier = await repos.spaces.by_request_id(creator_id, request_id)
    if earlier is None and await repos.spaces.other_creator_used_request_id(creator_id, request_id):
        raise AlreadyExists("Another caller already used this `request_id`.", reason="REQUEST_ID_IN_USE")
    return earlier


async def claim_display_name(repos: Repositories, space: Space) -> None:
    """Named spaces' display names are unique per customer, ignoring case."""
    if space.space_type == SpaceType.SPACE and await repos.spaces.display_name_taken(
            space.customer, space.display_name, other_than=space.id):
        raise AlreadyExists(f"A space named `{space.display_name}` already exists.",
                            reason="SPACE_DISPLAY_NAME_IN_USE")


def new_space(draft: SpaceDraft, creator_id: str, now: int, request_id: str, customer: str) -> Space:
    created = draft.create_time_us if draft.import_mode and draft.create_time_us else now
    named = draft.space_type == SpaceType.SPACE
    return Space(
        id=ids.space_id(), space_type=draft.space_type, display_name=draft.display_name,
        description=draft.description, guidelines=draft.guidelines,
        history_state=draft.history_state or HistoryState.HISTORY_ON,
        external_user_allowed=draft.external_user_allowed, import_mode=draft.import_mode,
        single_user_bot_dm=draft.single_user_bot_dm, customer=customer, create_time_us=created,
        last_active_time_us=created, creator_id=creator_id, request_id=request_id,
        permissions=preset(draft.preset or Preset.COLLABORATION_SPACE) if named else {},
        audience=draft.audience, access_permissions=dict(draft.access_permissions),
        import_mode_expire_time_us=now + IMPORT_WINDOW_US if draft.import_mode else 0)


def check_details(draft: SpaceDraft) -> None:
    """Limits every new space's fields share, whichever RPC makes it."""
    if draft.refused_field:
        raise InvalidArgument.field(draft.refused_field, "cannot be set on a new space")
    named = draft.space_type == SpaceType.SPACE
    if named or draft.display_name:
        check_display_name(draft.display_name)
    check_space_details(draft.description, draft.guidelines)
    if draft.preset is not None and not named:
        raise InvalidArgument.field("space.predefined_permission_settings", "applies only to spaces of type SPACE")
    if (draft.audience or draft.access_permissions) and not named:
        raise InvalidArgument.field("space.access_settings", "applies only to spaces of type SPACE")
    check_audience(draft.audience)
    check_access_permissions(draft.access_permissions)
