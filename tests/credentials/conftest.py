"""Fixtures for the credential service: the fake provider, and a chatsvc server configured to use it."""
from __future__ import annotations

import urllib.parse
from dataclasses import dataclass

import aiohttp
import pytest

from chatsvc.credentials.v1 import credential_pb2, credential_service_pb2, credential_service_pb2_grpc
from tests.conftest import Harness, serving
from tests.credentials.fake_provider import FakeProvider

FULL = ("chatsvc.credentials",)
READONLY = ("https://www.googleapis.com/auth/chatsvc.credentials.readonly",)
GOOGLE_SCOPES = ("contacts", "gmail.readonly", "gmail.send", "gmail.modify", "calendar", "business.manage")
MICROSOFT_SCOPES = ("contacts", "mail.read", "mail.send", "mail.modify", "calendar")
REDIRECT = "http://localhost:3078/dashboard/contacts/"
GOOGLE, MICROSOFT = credential_pb2.PROVIDER_GOOGLE, credential_pb2.PROVIDER_MICROSOFT


@dataclass
class CredEnv:
    harness: Harness
    fake: FakeProvider
    stub: credential_service_pb2_grpc.CredentialServiceStub

    def md(self, email: str = "owner@example.com", scopes=FULL) -> tuple:
        return self.harness.md(user=email, scopes=scopes)

    async def consent(self, email: str = "owner@example.com", provider=GOOGLE, scopes=GOOGLE_SCOPES,
                      brand: str = "brand-1") -> tuple[str, str]:
        """RequestAccess, then the browser at the provider: (state, code) as the provider hands them back."""
        request = credential_service_pb2.RequestAccessRequest(parent="users/me", provider=provider, scopes=scopes,
                                                              redirect=REDIRECT, brand=brand)
        response = await self.stub.RequestAccess(request, metadata=self.md(email))
        location = await follow_once(response.url)
        query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(location).query))
        return query["state"], query.get("code", "")

    async def connect(self, email: str = "owner@example.com", provider=GOOGLE, scopes=None,
                      brand: str = "brand-1") -> credential_pb2.Credential:
        scopes = scopes or (GOOGLE_SCOPES if provider == GOOGLE else MICROSOFT_SCOPES)
        state, code = await self.consent(email, provider, scopes, brand)
        return await self.stub.VerifyGrant(credential_service_pb2.VerifyGrantRequest(
            parent="users/me", state=state, code=code), metadata=self.md(email))


async def follow_once(url: str) -> str:
    """GET `url` without following redirects; the Location it answers."""
    async with aiohttp.ClientSession() as session, session.get(url, allow_redirects=False) as response:
        assert response.status == 302, await response.text()
        return response.headers["Location"]


@pytest.fixture
async def fake():
    provider = await FakeProvider().start()
    yield provider
    await provider.stop()


async def _env(database_url, fake, **settings):
    providers = {"google": fake.endpoints("google"), "microsoft": fake.endpoints("microsoft")}
    # Generous: a loaded CI machine once took > 0.5 s to connect to the fake on loopback.
    settings.setdefault("provider_timeout_seconds", 5.0)
    return serving(database_url, providers=providers, **settings)


@pytest.fixture
async def env(database_url, fake):
    async with await _env(database_url, fake) as harness:
        yield CredEnv(harness, fake, credential_service_pb2_grpc.CredentialServiceStub(harness.channel))


@pytest.fixture
def env_with(database_url, fake):
    """A factory: a server with further settings (`async with env_with(oauth_state_ttl_seconds=...)`)."""
    from contextlib import asynccontextmanager

    @asynccontextmanager
    async def make(**settings):
        async with await _env(database_url, fake, **settings) as harness:
            yield CredEnv(harness, fake, credential_service_pb2_grpc.CredentialServiceStub(harness.channel))
    return make
