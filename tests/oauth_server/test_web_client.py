"""The built-in web client (chatsvc.oauth_server.web_client): where it may send a code, and its row, which every
process stores on first use, however many race to do so (the browser flow itself: tests/browser/test_sign_in.py)."""
from __future__ import annotations

import asyncio

from aiohttp.test_utils import make_mocked_request

from chatsvc.domain.oauth_grants import OAuthClient, OAuthGrants
from chatsvc.oauth_server.web_client import CLIENT_ID, SCOPES, skips_consent, web_client
from chatsvc.storage.database import Database


def _asked_at(host: str):
    return make_mocked_request("GET", "/oauth2/auth", headers={"Host": host})


def test_it_redirects_to_the_page_of_the_origin_asked_only():
    client = web_client("http://127.0.0.1:8000", _asked_at("localhost:9000"))
    assert client.public and client.id == CLIENT_ID
    for uri in ("http://127.0.0.1:8000/", "http://localhost:9000/"):
        assert client.redirect_allowed(uri), uri
    for uri in ("http://localhost:9001/", "http://127.0.0.1:8001/", "http://localhost:9000/other",
                "http://localhost:9000", "https://localhost:9000/"):
        assert not client.redirect_allowed(uri), uri  # another port: another program's
    public = web_client("https://chat.example.com/", _asked_at("chat.example.com"))
    assert public.redirect_uris == ("https://chat.example.com/",)
    for host in ("127.0.0.1.evil.example:80", "evil.example"):  # not loopback, however named
        assert web_client("https://chat.example.com", _asked_at(host)).redirect_uris == ("https://chat.example.com/",)


def test_consent_is_skipped_for_its_own_scopes_only():
    client = web_client("http://127.0.0.1:8000", None)
    assert skips_consent(client, " ".join(SCOPES)) and skips_consent(client, "chat.messages")
    assert not skips_consent(client, "chat.messages chat.delete")
    assert not skips_consent(client, "")
    registered = OAuthClient(**{**client.__dict__, "id": "123-abc.apps.chatsvc"})  # same shape, not built in
    assert not skips_consent(registered, "chat.messages")


async def test_processes_racing_on_a_fresh_database_store_it_once(database_url):
    databases = [Database(database_url) for _ in range(2)]
    await databases[0].migrate()
    try:
        grants = [OAuthGrants(db, lambda: 1) for db in databases]
        client = web_client("http://127.0.0.1:8000", None)
        await asyncio.gather(*(g.ensure_client(client) for g in grants for _ in range(2)))
        stored = await grants[1].clients({CLIENT_ID})
        assert list(stored) == [CLIENT_ID] and stored[CLIENT_ID].public
        await grants[0].ensure_client(client)  # stored already: nothing happens
    finally:
        for db in databases:
            await db.dispose()
