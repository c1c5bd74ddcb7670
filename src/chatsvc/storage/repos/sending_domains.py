"""Sending domains of the mail service. The DKIM private key arrives sealed; this layer never sees it."""
from __future__ import annotations

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from chatsvc.domain.sending_domain_models import SendingDomain
from chatsvc.storage.tables_campaigns import sending_domains


def _domain(row) -> SendingDomain:
    return SendingDomain(domain=row.domain, mail_domain=row.mail_domain, dkim_selector=row.dkim_selector,
                         dkim_public_key=row.dkim_public_key, dkim_private_key_sealed=bytes(row.dkim_private_key),
                         create_time_us=row.create_time_us, enable_time_us=row.enable_time_us)


class SendingDomainRepository:
    def __init__(self, conn: AsyncConnection):
        self._conn = conn

    async def get(self, domain: str) -> SendingDomain | None:
        row = (await self._conn.execute(select(sending_domains).where(sending_domains.c.domain == domain))).first()
        return _domain(row) if row else None

    async def add(self, d: SendingDomain) -> None:
        await self._conn.execute(insert(sending_domains).values(
            domain=d.domain, mail_domain=d.mail_domain, dkim_selector=d.dkim_selector,
            dkim_public_key=d.dkim_public_key, dkim_private_key=d.dkim_private_key_sealed,
            create_time_us=d.create_time_us, enable_time_us=d.enable_time_us))

    async def enable(self, domain: str, now_us: int) -> None:
        """Sets the enable time, unless it was set before (the first verification that passed wins)."""
        await self._conn.execute(update(sending_domains)
                                 .where(sending_domains.c.domain == domain, sending_domains.c.enable_time_us == 0)
                                 .values(enable_time_us=now_us))
