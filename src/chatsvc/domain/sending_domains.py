"""Sending domains of the product's mail service: set up by administrators, read and verified by the users
whose email address is in the domain.

Setting a domain up makes its DKIM key pair (RSA 2048): the public half goes into the DNS record the domain
owner must publish, the private half is stored sealed with the server's token key."""
from __future__ import annotations

import asyncio
import base64
import re
from dataclasses import replace

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from chatsvc.domain import dns_records
from chatsvc.domain.access import read, write
from chatsvc.domain.errors import AlreadyExists, FailedPrecondition, InvalidArgument, NotFound, PermissionDenied
from chatsvc.domain.ports import Clock, Transactions
from chatsvc.domain.principal import Principal
from chatsvc.domain.sending_domain_models import DnsRecord, SendingDomain
from chatsvc.domain.users import Directory

_LABEL = re.compile(r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")
_CALLER_DOMAIN = re.compile(r"^users/([^/]+)/sendingDomain$")
MAX_DOMAIN = 253


def valid_domain(value: str, field: str = "sending_domain.domain") -> str:
    """A lowercase host name of two or more labels (letters, digits, inner hyphens), no trailing dot."""
    if not value:
        raise InvalidArgument.field(field, "is required")
    labels = value.split(".")
    if (len(value) > MAX_DOMAIN or len(labels) < 2 or not all(_LABEL.match(label) for label in labels)
            or labels[-1].isdigit()):
        raise InvalidArgument.field(field, "must be a lowercase domain name such as `example.com`")
    return value


def _key_pair() -> tuple[str, str]:
    """(public key as base64 DER SubjectPublicKeyInfo, private key as PKCS#8 PEM)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public = key.public_key().public_bytes(serialization.Encoding.DER,
                                           serialization.PublicFormat.SubjectPublicKeyInfo)
    private = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    return base64.b64encode(public).decode("ascii"), private.decode("ascii")


def not_found(domain: str) -> NotFound:
    return NotFound(f"No sending domain is set up for `{domain}`.", reason="SENDING_DOMAIN_NOT_FOUND")


class SendingDomains:
    def __init__(self, db: Transactions, directory: Directory, clock: Clock, cipher, dns, *, spf_include: str,
                 dkim_selector: str, mail_subdomain: str):
        self._db = db
        self._directory = directory
        self._clock = clock
        self._cipher = cipher  # chatsvc.crypto.cipher.TokenCipher
        self._dns = dns  # chatsvc.mail.dns_check.DnsChecker
        self._spf_include = spf_include
        self._dkim_selector = dkim_selector
        self._mail_subdomain = mail_subdomain

    async def create(self, principal: Principal, domain: str) -> SendingDomain:
        if not principal.admin:
            raise PermissionDenied("Only administrators set up sending domains.", reason="ADMIN_REQUIRED")
        domain = valid_domain(domain)
        if await read(self._db, lambda repos: repos.sending_domains.get(domain)):
            raise AlreadyExists(f"Sending domain `{domain}` is already set up.", reason="SENDING_DOMAIN_EXISTS")
        public, private = await asyncio.to_thread(_key_pair)  # ~0.1 s of CPU: off the event loop
        created = SendingDomain(domain=domain, mail_domain=f"{self._mail_subdomain}.{domain}",
                                dkim_selector=self._dkim_selector, dkim_public_key=public,
                                dkim_private_key_sealed=self._cipher.seal(private, f"{domain}:dkim"),
                                create_time_us=self._clock())

        async def add(repos) -> SendingDomain:
            if await repos.sending_domains.get(domain):  # a concurrent create won
                raise AlreadyExists(f"Sending domain `{domain}` is already set up.", reason="SENDING_DOMAIN_EXISTS")
            await repos.sending_domains.add(created)
            return created

        return await write(self._db, add)

    async def get(self, principal: Principal, name: str) -> SendingDomain:
        domain = await self._caller_domain(principal, name)
        found = await read(self._db, lambda repos: repos.sending_domains.get(domain))
        if found is None:
            raise not_found(domain)
        return found

    async def verify(self, principal: Principal, name: str) -> tuple[SendingDomain, list[DnsRecord]]:
        """Looks every record up (concurrently); returns the domain and the records still missing. The first
        time none is missing the domain is enabled."""
        domain = await self.get(principal, name)
        needed = dns_records.required(domain, self._spf_include)
        found = await asyncio.gather(*(self._dns.txt(record.name) for record, _ in needed))
        missing = [record for (record, holds), values in zip(needed, found, strict=True) if not holds(values)]
        if not missing and not domain.enable_time_us:
            now = self._clock()
            await write(self._db, lambda repos: repos.sending_domains.enable(domain.domain, now))
            domain = await read(self._db, lambda repos: repos.sending_domains.get(domain.domain)) or replace(
                domain, enable_time_us=now)
        return domain, missing

    def private_key(self, domain: SendingDomain) -> str:
        """The DKIM private key (PKCS#8 PEM), for signing what the mail service sends from the domain."""
        return self._cipher.open(domain.dkim_private_key_sealed, f"{domain.domain}:dkim")

    async def _caller_domain(self, principal: Principal, name: str) -> str:
        match = _CALLER_DOMAIN.match(name)
        if not match:
            raise InvalidArgument.field("name", "must be `users/me/sendingDomain`")
        user = await self._directory.caller(principal)
        if match.group(1) not in ("me", user.id, user.email):
            raise NotFound(f"`{name}` not found.", reason="USER_NOT_FOUND")
        if not principal.email_verified:
            raise FailedPrecondition("Your email address is not verified; verify it before setting up email "
                                     "authentication.", reason="EMAIL_NOT_VERIFIED")
        if "@" not in user.email:
            raise FailedPrecondition("The caller has no email address.", reason="EMAIL_NOT_VERIFIED")
        return user.email.rsplit("@", 1)[1].lower()
