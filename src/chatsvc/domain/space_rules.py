"""Limits and field checks every way of making or changing a space shares."""
from __future__ import annotations

import re

from chatsvc.domain.errors import InvalidArgument

DEFAULT_CUSTOMER = "customers/my_customer"
MAX_DISPLAY_NAME = 128
MAX_DESCRIPTION = 150
MAX_GUIDELINES = 5000
MAX_REQUEST_ID = 128  # the stored column's width; Google recommends a UUID (36 characters)
# The fields of google.chat.v1.Space.AccessPermissionSettings.
ACCESS_PERMISSIONS = ("discover_space_setting", "join_space_setting", "view_space_membership_setting")
_AUDIENCE = re.compile(r"^audiences/[A-Za-z0-9_.@-]{1,300}\Z")


def check_display_name(display_name: str) -> None:
    if not display_name.strip():
        raise InvalidArgument.field("space.display_name", "is required for a space of type SPACE")
    if len(display_name) > MAX_DISPLAY_NAME:
        raise InvalidArgument.field("space.display_name", f"must be at most {MAX_DISPLAY_NAME} characters")


def check_space_details(description: str, guidelines: str) -> None:
    if len(description) > MAX_DESCRIPTION:
        raise InvalidArgument.field("space.space_details.description", f"must be at most {MAX_DESCRIPTION} characters")
    if len(guidelines) > MAX_GUIDELINES:
        raise InvalidArgument.field("space.space_details.guidelines", f"must be at most {MAX_GUIDELINES} characters")


def check_audience(audience: str) -> None:
    if audience and not _AUDIENCE.match(audience):
        raise InvalidArgument.field("space.access_settings.audience", "must have the form `audiences/{audience}`")


def check_access_permissions(settings: dict) -> None:
    """Each setting names audiences; whoever may join must also be allowed to discover the space."""
    for name, audiences in settings.items():
        for audience in audiences:
            if not _AUDIENCE.match(audience):
                raise InvalidArgument.field(f"space.access_settings.access_permission_settings.{name}",
                                            "principals must be audiences, `audiences/{audience}`")
    if not set(settings.get("join_space_setting", ())) <= set(settings.get("discover_space_setting", ())):
        raise InvalidArgument.field("space.access_settings.access_permission_settings.join_space_setting",
                                    "who may join the space must also be allowed to discover it")
