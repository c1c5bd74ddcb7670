"""The DNS records a sending domain needs (DMARC, SPF, DKIM), and whether what DNS holds satisfies them.

Records are compared by meaning, not byte for byte: tag lists are parsed, whitespace is ignored where the
RFCs ignore it, and a record split into several TXT strings has been joined by the lookup."""
from __future__ import annotations

from chatsvc.domain.sending_domain_models import DnsRecord, SendingDomain

TXT = "TXT"


def _tags(record: str) -> list[tuple[str, str]]:
    """`k=v; k=v` tag lists (DKIM, DMARC): names lowercased, values stripped; junk parts skipped."""
    tags = []
    for part in record.split(";"):
        name, sep, value = part.partition("=")
        if sep and name.strip():
            tags.append((name.strip().lower(), value.strip()))
    return tags


def dmarc_ok(records: list[str]) -> bool:
    """Exactly one DMARC record (RFC 7489: several means none applies), starting with v=DMARC1."""
    return sum(1 for r in records if _tags(r)[:1] == [("v", "DMARC1")]) == 1


def spf_ok(records: list[str], include: str) -> bool:
    """Exactly one SPF record (RFC 7208: two are a permanent error) with an `include:` of the mail service."""
    spf = [r.split() for r in records if r.split()[:1] and r.split()[0].lower() == "v=spf1"]
    if len(spf) != 1:
        return False
    wanted = include.lower().rstrip(".")
    for term in spf[0][1:]:
        mechanism, _, target = term.lstrip("+").partition(":")
        if mechanism.lower() == "include" and target.lower().rstrip(".") == wanted:
            return True
    return False


def dkim_ok(records: list[str], public_key: str) -> bool:
    """A DKIM key record (RFC 6376 §3.6.1) whose key is ours: v absent or DKIM1, k absent or rsa, and p equal
    to our key once whitespace is removed."""
    for record in records:
        tags = dict(_tags(record))
        if tags.get("v", "DKIM1") != "DKIM1" or tags.get("k", "rsa").lower() != "rsa":
            continue
        if "".join(tags.get("p", "").split()) == public_key:
            return True
    return False


def required(domain: SendingDomain, spf_include: str) -> list[tuple[DnsRecord, object]]:
    """Each record the domain needs, inactive, with the check that tells whether the TXT values found satisfy
    it."""
    return [
        (DnsRecord(f"_dmarc.{domain.domain}", TXT, "v=DMARC1; p=none", False), dmarc_ok),
        (DnsRecord(domain.domain, TXT, f"v=spf1 include:{spf_include} ~all", False),
         lambda found: spf_ok(found, spf_include)),
        (DnsRecord(f"{domain.dkim_selector}._domainkey.{domain.domain}", TXT,
                   f"v=DKIM1; k=rsa; p={domain.dkim_public_key}", False),
         lambda found: dkim_ok(found, domain.dkim_public_key)),
    ]
