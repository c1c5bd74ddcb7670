"""Shared steps of the authorization server's tests: registering a client, getting a code through the pages, and
calling the token and revocation endpoints as a client would."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import aiohttp

from chatsvc.app import clock_us
from chatsvc.domain.oauth_grants import OAuthGrants
from tests.oauth_server.browser import Browser, authorization_url

SCOPES = ["https://www.googleapis.com/auth/chat.spaces", "https://www.googleapis.com/auth/chat.messages"]
LOOPBACK = "http://localhost:8765/"  # an installed app's redirect: any port of a registered loopback URI


async def register(harness, kind: str = "installed", redirect_uris=("http://localhost",),
                   name: str = "Test app") -> tuple[str, str]:
    client, secret = await OAuthGrants(harness.running.db, clock_us).create_client(kind, name, list(redirect_uris),
                                                                                   "chatsvc")
    return client.id, secret


def query_of(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


async def authorize(harness, client_id: str, *, challenge: str | None, redirect_uri: str = LOOPBACK,
                    scopes=SCOPES, email: str = "alice@example.com", decision: str = "allow", **extra) -> dict:
    """The query of the redirect back to the app after signing in and answering the consent page."""
    async with Browser(harness.media_url) as browser:
        back = await browser.consent(authorization_url(harness.media_url, client_id, redirect_uri, list(scopes),
                                                       challenge=challenge, **extra), email, decision)
    assert back.startswith(redirect_uri), back
    return query_of(back)


def basic_auth(client_id: str, secret: str) -> dict:
    return {"Authorization": aiohttp.encode_basic_auth(client_id, secret)}


async def post(harness, path: str, form: dict, auth: dict | None = None,
               query: dict | None = None) -> tuple[int, dict]:
    async with aiohttp.ClientSession() as session, session.post(
            f"{harness.media_url}{path}", data=form, headers=auth, params=query) as response:
        assert response.headers.get("Cache-Control") == "no-store"
        return response.status, await response.json()


async def rest_status(harness, token: str) -> int:
    """The HTTP status of ListSpaces over REST with this access token."""
    async with aiohttp.ClientSession() as session, session.get(
            f"{harness.media_url}/v1/spaces", headers={"Authorization": f"Bearer {token}"}) as response:
        return response.status
