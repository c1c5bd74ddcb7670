"""Builds the campaign scheduler from settings (None when this process runs none)."""
from __future__ import annotations

from chatsvc.config import Settings
from chatsvc.domain.ports import Clock, Transactions
from chatsvc.mail.providers import ProviderSenders
from chatsvc.mail.smtp import SmtpSettings
from chatsvc.workers.campaign_runner import CampaignRunner, RunSettings
from chatsvc.workers.scheduler import Scheduler, process_owner_id
from chatsvc.workers.senders import CampaignSenders


def campaign_scheduler(settings: Settings, db: Transactions, blobs, providers: ProviderSenders,
                       clock: Clock) -> Scheduler | None:
    if not settings.scheduler_enabled:
        return None
    smtp = SmtpSettings(host=settings.smtp_host, port=settings.smtp_port, tls=settings.smtp_tls,
                        username=settings.smtp_username, password=settings.smtp_password,
                        timeout_seconds=settings.smtp_timeout_seconds)
    run_settings = RunSettings(lease_seconds=settings.scheduler_lease_seconds, send_attempts=settings.send_attempts,
                               backoff_seconds=settings.send_backoff_seconds,
                               fetch_timeout_seconds=settings.attachment_fetch_timeout_seconds,
                               allow_private_urls=settings.attachment_url_allow_private)
    runner = CampaignRunner(db, blobs, CampaignSenders(smtp, providers), clock, process_owner_id(), run_settings)
    return Scheduler(db, runner, clock, poll_seconds=settings.scheduler_poll_seconds,
                     lease_seconds=settings.scheduler_lease_seconds, stop_wait_seconds=settings.grace_seconds)
