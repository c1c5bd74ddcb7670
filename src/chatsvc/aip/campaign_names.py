"""Campaign resource names: campaigns, their emails, a brand's quota, and uploaded email files."""
from __future__ import annotations

import re

from chatsvc.domain.errors import InvalidArgument

# Campaign ids are global (not per brand): a client-chosen id taken in any brand is ALREADY_EXISTS.
CAMPAIGN_ID = re.compile(r"^[a-z0-9-]{1,63}\Z")
_SEGMENT = r"([A-Za-z0-9-]{1,63})"
_BRAND = re.compile(rf"^brands/{_SEGMENT}\Z")
_CAMPAIGN = re.compile(rf"^brands/{_SEGMENT}/emailCampaigns/([a-z0-9-]{{1,63}})\Z")
_EMAIL = re.compile(rf"^brands/{_SEGMENT}/emailCampaigns/([a-z0-9-]{{1,63}})/emails/{_SEGMENT}\Z")
_QUOTA = re.compile(rf"^brands/{_SEGMENT}/emailQuota\Z")
_FILE = re.compile(r"^users/([^/]{1,320})/emailFiles/([A-Za-z0-9-]{1,63})\Z")
_USER = re.compile(r"^users/([^/]{1,320})\Z")


def campaign_name(brand_id: str, campaign_id: str) -> str:
    return f"brands/{brand_id}/emailCampaigns/{campaign_id}"


def campaign_email_name(brand_id: str, campaign_id: str, email_id: str) -> str:
    return f"{campaign_name(brand_id, campaign_id)}/emails/{email_id}"


def quota_name(brand_id: str) -> str:
    return f"brands/{brand_id}/emailQuota"


def email_file_name(user_id: str, file_id: str) -> str:
    return f"users/{user_id}/emailFiles/{file_id}"


def _match(pattern: re.Pattern, name: str, field: str, shape: str) -> tuple[str, ...]:
    found = pattern.match(name or "")
    if not found:
        raise InvalidArgument.field(field, f"must look like `{shape}`" if name else f"is required: `{shape}`")
    return found.groups()


def brand_parent(name: str, field: str = "parent") -> str:
    """The brand id of `brands/{brand}`."""
    return _match(_BRAND, name, field, "brands/{brand}")[0]


def parse_campaign(name: str, field: str = "name") -> tuple[str, str]:
    """(brand id, campaign id)."""
    brand_id, campaign_id = _match(_CAMPAIGN, name, field, "brands/{brand}/emailCampaigns/{email_campaign}")
    return brand_id, campaign_id


def parse_campaign_email(name: str, field: str = "name") -> tuple[str, str, str]:
    """(brand id, campaign id, email id)."""
    brand_id, campaign_id, email_id = _match(
        _EMAIL, name, field, "brands/{brand}/emailCampaigns/{email_campaign}/emails/{email}")
    return brand_id, campaign_id, email_id


def parse_quota(name: str, field: str = "name") -> str:
    return _match(_QUOTA, name, field, "brands/{brand}/emailQuota")[0]


def parse_email_file(name: str, field: str = "file") -> tuple[str, str]:
    """(user segment: `me`, an id or an email; file id)."""
    segment, file_id = _match(_FILE, name, field, "users/{user}/emailFiles/{email_file}")
    return segment, file_id


def user_parent(name: str, field: str = "parent") -> str:
    return _match(_USER, name, field, "users/me")[0]


def campaign_id(value: str, field: str = "email_campaign_id") -> str:
    if not CAMPAIGN_ID.match(value):
        raise InvalidArgument.field(field, "must be 1-63 characters of a-z, 0-9 and `-`")
    return value
