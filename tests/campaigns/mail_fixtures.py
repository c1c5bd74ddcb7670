"""Fixtures for the mailbox, sending-domain and provider-sender tests: the fake OAuth + mail provider, the
fake DNS server, and a chatsvc server pointed at both. Import the fixtures into a test module to use them."""
from __future__ import annotations

from contextlib import asynccontextmanager
from dataclasses import dataclass

import pytest

from chatsvc.campaigns.v1 import campaign_service_pb2_grpc
from chatsvc.credentials.v1 import credential_service_pb2_grpc
from tests.campaigns.fake_dns import FakeDns
from tests.conftest import Harness, serving
from tests.credentials.conftest import CredEnv
from tests.credentials.fake_provider import FakeProvider

CAMPAIGNS = ("chatsvc.campaigns",)


@dataclass
class MailEnv:
    harness: Harness
    fake: FakeProvider
    dns: FakeDns
    credentials: CredEnv  # connect() Google / Microsoft accounts through the credential service
    stub: campaign_service_pb2_grpc.CampaignServiceStub

    def md(self, email: str = "owner@example.com", scopes=CAMPAIGNS, **kwargs) -> tuple:
        return self.harness.md(user=email, scopes=scopes, **kwargs)

    def unverified_md(self, email: str, scopes=CAMPAIGNS) -> tuple:
        token = self.harness.running.tokens.mint(user=email, scopes=list(scopes), email_verified=False)
        return (("authorization", f"Bearer {token}"),)


@pytest.fixture
async def fake():
    provider = await FakeProvider().start()
    yield provider
    await provider.stop()


@pytest.fixture
async def fake_dns():
    server = await FakeDns().start()
    yield server
    server.stop()


@asynccontextmanager
async def mail_server(database_url, fake: FakeProvider, fake_dns: FakeDns, **settings):
    providers = {"google": fake.endpoints("google"), "microsoft": fake.endpoints("microsoft")}
    settings = {"providers": providers, "provider_timeout_seconds": 1.0, "dns_nameservers": fake_dns.nameserver,
                "dns_timeout_seconds": 0.5, **settings}
    async with serving(database_url, **settings) as harness:
        yield MailEnv(harness, fake, fake_dns,
                      CredEnv(harness, fake, credential_service_pb2_grpc.CredentialServiceStub(harness.channel)),
                      campaign_service_pb2_grpc.CampaignServiceStub(harness.channel))


@pytest.fixture
async def mail_env(database_url, fake, fake_dns):
    async with mail_server(database_url, fake, fake_dns) as env:
        yield env
