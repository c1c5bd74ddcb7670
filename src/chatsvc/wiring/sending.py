"""Builds the mail-sending parts the campaign service and its scheduler share: senders through connected
mailboxes, Gmail mailbox actions, and sending domains (with the DNS checker and the key sealing cipher)."""
from __future__ import annotations

from pathlib import Path

from chatsvc.config import Settings
from chatsvc.crypto.cipher import TokenCipher
from chatsvc.crypto.keys import LazyKey, key_path
from chatsvc.domain.credentials import Credentials
from chatsvc.domain.mailbox import Mailbox
from chatsvc.domain.ports import Clock, Transactions
from chatsvc.domain.sending_domains import SendingDomains
from chatsvc.domain.users import Directory
from chatsvc.mail.dns_check import DnsChecker
from chatsvc.mail.gmail_mailbox import GmailMailbox
from chatsvc.mail.providers import ProviderSenders
from chatsvc.oauth import endpoints


def _endpoints(settings: Settings) -> dict:
    return settings.providers or endpoints.configured()


def provider_senders(settings: Settings, credentials: Credentials) -> ProviderSenders:
    return ProviderSenders(credentials, _endpoints(settings), settings.provider_timeout_seconds)


def mail_services(settings: Settings, db: Transactions, users: Directory, clock: Clock, credentials: Credentials,
                  sqlite_file: str | None, data_dir: Path) -> dict:
    """The CampaignService attributes `mailbox` and `sending_domains`. The cipher is the credential service's
    (same key: CHATSVC_SECRET_KEY or the key file), read only when a domain is first set up."""
    cipher = TokenCipher(LazyKey(settings.secret_key, key_path(sqlite_file, data_dir)).get)
    gmail = GmailMailbox(_endpoints(settings)[endpoints.GOOGLE].mail_api_url, settings.provider_timeout_seconds)
    domains = SendingDomains(db, users, clock, cipher, DnsChecker(settings.dns_nameservers,
                                                                  settings.dns_timeout_seconds),
                             spf_include=settings.mail_spf_include, dkim_selector=settings.mail_dkim_selector,
                             mail_subdomain=settings.mail_subdomain)
    return {"mailbox": Mailbox(users, credentials, gmail), "sending_domains": domains}
