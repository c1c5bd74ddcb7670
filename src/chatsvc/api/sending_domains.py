"""chatsvc.campaigns.v1 RPCs: CreateSendingDomain, GetSendingDomain, VerifySendingDomain."""
from __future__ import annotations


class SendingDomainsApi:
    """Mixed into the CampaignService servicer."""
