"""chatsvc.campaigns.v1 RPCs: SetMailboxMessageRead and the Batch*MailboxMessages RPCs."""
from __future__ import annotations


class MailboxApi:
    """Mixed into the CampaignService servicer."""
