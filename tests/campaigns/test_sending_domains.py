"""Sending domains over gRPC: set up by administrators, read by users of the domain (verified addresses
only), verified against a real DNS server (the fake one on 127.0.0.1) through dnspython."""
from __future__ import annotations

import base64

import grpc
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import load_der_public_key

from chatsvc.campaigns.v1 import campaign_pb2
from chatsvc.campaigns.v1 import campaign_service_pb2 as pb
from tests.helpers import failure, field_of

OK = grpc.StatusCode
MINE = "users/me/sendingDomain"


async def create(env, domain: str = "example.com", admin: bool = True):
    return await env.stub.CreateSendingDomain(pb.CreateSendingDomainRequest(
        sending_domain=campaign_pb2.SendingDomain(domain=domain)), metadata=env.md("root@example.org", admin=admin))


async def verify(env, email: str = "agent@example.com") -> pb.VerifySendingDomainResponse:
    return await env.stub.VerifySendingDomain(pb.VerifySendingDomainRequest(name=MINE), metadata=env.md(email))


async def test_administrators_set_domains_up_with_a_fresh_dkim_key(mail_env):
    details = await failure(create(mail_env, admin=False), OK.PERMISSION_DENIED)
    assert details["ErrorInfo"].reason == "ADMIN_REQUIRED"
    created = await create(mail_env)
    assert (created.name, created.domain, created.mail_domain) == ("sendingDomains/example.com", "example.com",
                                                                   "mail.example.com")
    assert created.create_time.seconds > 0 and not created.HasField("enable_time")
    await failure(create(mail_env), OK.ALREADY_EXISTS)
    other = await create(mail_env, "brokers.example.net")
    assert other.mail_domain == "mail.brokers.example.net"
    for bad in ("", "com", "Example.com", "exa_mple.com", "-a.example.com", "a..com", "example.com.",
                "a" * 64 + ".com", "10.0.0.1"):
        assert field_of(await failure(create(mail_env, bad), OK.INVALID_ARGUMENT)) == ["sending_domain.domain"]

    keys = []
    for domain in ("example.com", "brokers.example.net"):
        async with mail_env.harness.running.db.transaction() as repos:
            stored = await repos.sending_domains.get(domain)
        public = load_der_public_key(base64.b64decode(stored.dkim_public_key))
        assert isinstance(public, rsa.RSAPublicKey) and public.key_size == 2048
        assert b"PRIVATE" not in stored.dkim_private_key_sealed and len(stored.dkim_private_key_sealed) > 1000
        keys.append(stored.dkim_public_key)
    assert keys[0] != keys[1]


async def test_get_needs_a_verified_address_and_a_domain(mail_env):
    await create(mail_env)
    details = await failure(mail_env.stub.GetSendingDomain(pb.GetSendingDomainRequest(name=MINE),
                                                           metadata=mail_env.unverified_md("agent@example.com")),
                            OK.FAILED_PRECONDITION)
    assert details["ErrorInfo"].reason == "EMAIL_NOT_VERIFIED"
    details = await failure(mail_env.stub.GetSendingDomain(pb.GetSendingDomainRequest(name=MINE),
                                                           metadata=mail_env.md("agent@elsewhere.com")),
                            OK.NOT_FOUND)
    assert details["ErrorInfo"].reason == "SENDING_DOMAIN_NOT_FOUND"
    found = await mail_env.stub.GetSendingDomain(pb.GetSendingDomainRequest(name=MINE),
                                                 metadata=mail_env.md("Agent@Example.com"))
    assert (found.name, found.mail_domain) == ("sendingDomains/example.com", "mail.example.com")
    by_email = pb.GetSendingDomainRequest(name="users/agent@example.com/sendingDomain")
    assert await mail_env.stub.GetSendingDomain(by_email, metadata=mail_env.md("agent@example.com")) == found
    someone_else = pb.GetSendingDomainRequest(name="users/boss@example.com/sendingDomain")
    await failure(mail_env.stub.GetSendingDomain(someone_else, metadata=mail_env.md("agent@example.com")),
                  OK.NOT_FOUND)
    for name in ("", "users/me", "sendingDomains/example.com"):
        details = await failure(mail_env.stub.GetSendingDomain(pb.GetSendingDomainRequest(name=name),
                                                               metadata=mail_env.md()), OK.INVALID_ARGUMENT)
        assert field_of(details) == ["name"]


async def test_verify_reports_missing_records_until_dns_holds_them(mail_env):
    await create(mail_env)
    async with mail_env.harness.running.db.transaction() as repos:
        key = (await repos.sending_domains.get("example.com")).dkim_public_key
    dns = mail_env.dns.records
    dkim_name = "chatsvc._domainkey.example.com"

    first = await verify(mail_env)
    assert [(r.name, r.record_type, r.desired_value, r.is_active) for r in first.missing_records] == [
        ("_dmarc.example.com", "TXT", "v=DMARC1; p=none", False),
        ("example.com", "TXT", "v=spf1 include:spf.chatsvc.email ~all", False),
        (dkim_name, "TXT", f"v=DKIM1; k=rsa; p={key}", False)]
    assert not first.sending_domain.HasField("enable_time")
    assert {"_dmarc.example.com", "example.com", dkim_name} <= set(mail_env.dns.questions)

    dns["_dmarc.example.com"] = ["v=DMARC1;p=quarantine; rua=mailto:d@example.com"]
    dns["example.com"] = ["google-site-verification=abc"]  # the name exists, with no SPF record
    assert [r.name for r in (await verify(mail_env)).missing_records] == ["example.com", dkim_name]

    # near misses stay missing: another include, two SPF records, someone else's key, a v=DKIM2 record
    dns["example.com"] = ["v=spf1 include:_spf.google.com ~all"]
    dns[dkim_name] = [f"v=DKIM1; k=rsa; p={key[:-8]}AAAAAAAA", f"v=DKIM2; p={key}"]
    assert [r.name for r in (await verify(mail_env)).missing_records] == ["example.com", dkim_name]
    dns["example.com"] = ["v=spf1 include:spf.chatsvc.email -all", "v=spf1 include:_spf.google.com ~all"]
    assert [r.name for r in (await verify(mail_env)).missing_records] == ["example.com", dkim_name]

    # the records in place, written the way DNS consoles do: other terms, split strings, spaces in the key
    dns["example.com"] = ["google-site-verification=abc",
                          ["v=spf1 ip4:192.0.2.1 ", "+include:SPF.chatsvc.email. ~all"]]
    dns[dkim_name] = [["v=DKIM1 ; k=rsa ; p=", key[:200], " " + key[200:]]]
    done = await verify(mail_env)
    assert list(done.missing_records) == [] and done.sending_domain.HasField("enable_time")
    again = await verify(mail_env)
    assert again.sending_domain.enable_time == done.sending_domain.enable_time  # set the first time only
    got = await mail_env.stub.GetSendingDomain(pb.GetSendingDomainRequest(name=MINE),
                                               metadata=mail_env.md("agent@example.com"))
    assert got.enable_time == done.sending_domain.enable_time

    dns.pop("_dmarc.example.com")  # a record removed later is reported, the domain stays enabled
    later = await verify(mail_env)
    assert [r.name for r in later.missing_records] == ["_dmarc.example.com"]
    assert later.sending_domain.enable_time == done.sending_domain.enable_time


async def test_verify_errors(mail_env):
    details = await failure(verify(mail_env), OK.NOT_FOUND)
    assert details["ErrorInfo"].reason == "SENDING_DOMAIN_NOT_FOUND"
    await create(mail_env)
    details = await failure(mail_env.stub.VerifySendingDomain(pb.VerifySendingDomainRequest(name=MINE),
                                                              metadata=mail_env.unverified_md("agent@example.com")),
                            OK.FAILED_PRECONDITION)
    assert details["ErrorInfo"].reason == "EMAIL_NOT_VERIFIED"
    await failure(mail_env.stub.VerifySendingDomain(pb.VerifySendingDomainRequest(name=MINE), metadata=mail_env.md(
        "agent@example.com", scopes=("chatsvc.campaigns.readonly",))), OK.PERMISSION_DENIED)
    mail_env.dns.stop()  # the nameserver is down: no answer is not "no records"
    details = await failure(verify(mail_env), OK.UNAVAILABLE)
    assert details["ErrorInfo"].reason == "DNS_UNAVAILABLE"
    got = await mail_env.stub.GetSendingDomain(pb.GetSendingDomainRequest(name=MINE),
                                               metadata=mail_env.md("agent@example.com"))
    assert not got.HasField("enable_time")
