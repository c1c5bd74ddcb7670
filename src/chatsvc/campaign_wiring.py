"""Builds the directory and campaign services from settings: domain services, servicers and the scheduler."""
from __future__ import annotations

from dataclasses import dataclass

from chatsvc.aip.pagination import PageTokens
from chatsvc.api.campaign_service import CampaignService
from chatsvc.api.directory import DirectoryService
from chatsvc.api.pages import Pager
from chatsvc.config import Settings
from chatsvc.domain.credentials import Credentials
from chatsvc.domain.ports import Clock, Transactions
from chatsvc.domain.users import Directory


@dataclass
class CampaignParts:
    directory_service: DirectoryService
    campaign_service: CampaignService
    scheduler: object | None  # chatsvc.workers.scheduler.Scheduler: start() / stop()


def campaign_parts(settings: Settings, db: Transactions, users: Directory, clock: Clock, server_key: bytes,
                   blobs, credentials: Credentials) -> CampaignParts:
    pager = Pager(PageTokens(server_key))
    # --- directory (brands, members, contacts, lists)
    directory_service = DirectoryService(pager=pager)
    # --- campaigns, uploads, mailbox actions, sending domains
    campaign_service = CampaignService(pager=pager)
    # --- the scheduler
    scheduler = None
    return CampaignParts(directory_service, campaign_service, scheduler)
