"""chatsvc.campaigns.v1 campaign RPCs: create, update, notifications, get, list, delete, emails, quota, events."""
from __future__ import annotations


class CampaignsApi:
    """Mixed into the CampaignService servicer."""
