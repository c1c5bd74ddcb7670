"""Builds the directory and campaign services from settings: domain services, servicers and the scheduler."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from chatsvc.aip.pagination import PageTokens
from chatsvc.api.campaign_service import CampaignService
from chatsvc.api.directory import DirectoryService
from chatsvc.api.pages import Pager
from chatsvc.config import Settings
from chatsvc.domain.brands import Brands
from chatsvc.domain.contacts import Contacts
from chatsvc.domain.credentials import Credentials
from chatsvc.domain.ports import Clock, Transactions
from chatsvc.domain.users import Directory
from chatsvc.wiring.campaign_services import campaign_services
from chatsvc.wiring.scheduler import campaign_scheduler
from chatsvc.wiring.sending import mail_services, provider_senders


@dataclass
class CampaignParts:
    directory_service: DirectoryService
    campaign_service: CampaignService
    scheduler: object | None  # chatsvc.workers.scheduler.Scheduler: start() / stop()


def campaign_parts(settings: Settings, db: Transactions, users: Directory, clock: Clock, server_key: bytes,
                   blobs, credentials: Credentials, *, sqlite_file: str | None = None,
                   data_dir: Path = Path(".")) -> CampaignParts:
    pager = Pager(PageTokens(server_key))
    # --- directory (brands, members, contacts, lists)
    directory_service = DirectoryService(pager=pager, brands=Brands(db, users, clock),
                                         contacts=Contacts(db, users, clock))
    # --- campaigns, uploads, mailbox actions, sending domains
    campaign_service = CampaignService(pager=pager, **campaign_services(settings, db, users, clock, credentials, blobs),
                                       **mail_services(settings, db, users, clock, credentials, sqlite_file, data_dir))
    # --- the scheduler
    scheduler = campaign_scheduler(settings, db, blobs, provider_senders(settings, credentials), clock)
    return CampaignParts(directory_service, campaign_service, scheduler)
