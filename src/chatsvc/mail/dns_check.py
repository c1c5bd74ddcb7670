"""TXT lookups for sending-domain verification, with dnspython's asyncio resolver.

The nameservers come from settings (`ip[:port],...`, IPv6 as `[addr]:port`), else the system's resolver
configuration. A name that does not exist or holds no TXT record is simply "no records"; a resolver that
does not answer (timeout, refused, SERVFAIL) is Unavailable: we cannot tell what DNS holds."""
from __future__ import annotations

import ipaddress

import dns.asyncresolver
import dns.exception
import dns.nameserver
import dns.resolver

from chatsvc.domain.errors import Unavailable


def parse_nameservers(spec: str) -> list[dns.nameserver.Do53Nameserver]:
    servers = []
    for item in (part.strip() for part in spec.split(",")):
        if not item:
            continue
        if item.startswith("["):  # [v6]:port
            address, _, rest = item[1:].partition("]")
            port = rest.removeprefix(":") or "53"
        elif item.count(":") == 1:
            address, port = item.split(":")
        else:
            address, port = item, "53"
        if not port.isdigit() or not 0 < int(port) < 65536:
            raise ValueError(f"dns_nameservers: bad port in {item!r}")
        try:
            ipaddress.ip_address(address)
        except ValueError:
            raise ValueError(f"dns_nameservers: {item!r} is not an IP address (with an optional :port)") from None
        servers.append(dns.nameserver.Do53Nameserver(address, int(port)))
    return servers


class DnsChecker:
    def __init__(self, nameservers: str, timeout: float):
        self._servers = parse_nameservers(nameservers)  # bad settings fail at start-up, not on first use
        self._timeout = timeout
        self._resolver: dns.asyncresolver.Resolver | None = None

    def _get_resolver(self) -> dns.asyncresolver.Resolver:
        if self._resolver is None:
            try:
                resolver = dns.asyncresolver.Resolver(configure=not self._servers)
            except dns.resolver.NoResolverConfiguration:
                raise Unavailable("No DNS resolver is configured on this server.",
                                  reason="DNS_UNAVAILABLE") from None
            if self._servers:
                resolver.nameservers = self._servers
            resolver.timeout = resolver.lifetime = self._timeout
            self._resolver = resolver
        return self._resolver

    async def txt(self, name: str) -> list[str]:
        """Every TXT record at `name`, each record's strings joined (as SPF and DKIM read them)."""
        try:
            answer = await self._get_resolver().resolve(name, "TXT", search=False)
        except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
            return []
        except (dns.exception.Timeout, dns.resolver.NoNameservers) as error:
            raise Unavailable(f"DNS did not answer for `{name}` ({type(error).__name__}); retry later.",
                              reason="DNS_UNAVAILABLE", metadata={"name": name}) from None
        except dns.exception.DNSException as error:
            raise Unavailable(f"DNS lookup of `{name}` failed ({type(error).__name__}); retry later.",
                              reason="DNS_UNAVAILABLE", metadata={"name": name}) from None
        return [b"".join(record.strings).decode("utf-8", "replace") for record in answer]
