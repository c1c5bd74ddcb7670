"""Which sender a campaign goes out through: its Google or Microsoft credential (the Gmail API, Microsoft
Graph), or, naming neither, the product's own mail service over SMTP."""
from __future__ import annotations

from chatsvc.domain.campaign_models import Campaign
from chatsvc.domain.email_files import MB
from chatsvc.mail.outgoing import Sender
from chatsvc.mail.providers import ProviderSenders
from chatsvc.mail.smtp import SmtpSender, SmtpSettings

# What one message may carry in attachments, all together, per channel (the seed's limits).
MAILBOX_ATTACHMENT_LIMIT = 26 * MB
MAIL_SERVICE_ATTACHMENT_LIMIT = 15 * MB


class CampaignSenders:
    def __init__(self, smtp: SmtpSettings, providers: ProviderSenders):
        self._smtp = smtp
        self._providers = providers

    async def for_campaign(self, campaign: Campaign) -> Sender:
        """A fresh sender for one run of the campaign. Through a credential, this checks it again (it may have
        been revoked or deleted, or lost mail.send, since scheduling): FailedPrecondition CREDENTIAL_* then."""
        if campaign.google_credential_id or campaign.microsoft_credential_id:
            return await self._providers.for_campaign(campaign.creator_id, campaign.google_credential_id,
                                                      campaign.microsoft_credential_id)
        return SmtpSender(self._smtp)

    @staticmethod
    def attachment_limit(campaign: Campaign) -> int:
        if campaign.google_credential_id or campaign.microsoft_credential_id:
            return MAILBOX_ATTACHMENT_LIMIT
        return MAIL_SERVICE_ATTACHMENT_LIMIT


async def close_sender(sender: Sender) -> None:
    """Senders holding a connection (SMTP) or an HTTP client let it go here."""
    close = getattr(sender, "close", None) or getattr(sender, "aclose", None)
    if close is not None:
        await close()
