"""The campaign resource's domain services, by the servicer attribute names api/campaigns.py and
api/email_files.py use."""
from __future__ import annotations

from chatsvc.config import Settings
from chatsvc.domain.campaign_reads import CampaignReads
from chatsvc.domain.campaigns import Campaigns
from chatsvc.domain.credentials import Credentials
from chatsvc.domain.delivery_events import DeliveryEvents
from chatsvc.domain.email_files import EmailFiles
from chatsvc.domain.ports import Clock, Transactions
from chatsvc.domain.users import Directory


def campaign_services(settings: Settings, db: Transactions, users: Directory, clock: Clock,
                      credentials: Credentials, blobs) -> dict:
    return dict(
        campaigns=Campaigns(db, users, clock, credentials, settings.campaign_quota),
        campaign_reads=CampaignReads(db, users, clock, settings.campaign_quota),
        delivery_events=DeliveryEvents(db, clock),
        email_files=EmailFiles(db, users, clock, blobs),
    )
