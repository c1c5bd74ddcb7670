"""A sending domain of the product's mail service, and the DNS records it needs."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SendingDomain:
    domain: str  # the email domain, e.g. example.com
    mail_domain: str  # the domain the mail service sends from for it
    dkim_selector: str
    dkim_public_key: str  # base64 DER SubjectPublicKeyInfo, as the DKIM record's p= carries it
    dkim_private_key_sealed: bytes  # PKCS#8 PEM sealed with the server's token key
    create_time_us: int
    enable_time_us: int = 0


@dataclass(frozen=True)
class DnsRecord:
    name: str
    record_type: str
    desired_value: str
    is_active: bool
