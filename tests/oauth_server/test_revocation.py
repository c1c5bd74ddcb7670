"""Refresh and revocation (RFC 7009, as Google's endpoint): refreshing keeps the refresh token and the scopes;
revoking any token of a grant stops its refresh token and every access token at once, over REST and gRPC, while
tokens from `chatsvc token` go on working."""
from __future__ import annotations

import asyncio

import aiohttp
import grpc
from google.chat.v1 import space_pb2

from tests.conftest import serving
from tests.oauth_server.support import SCOPES, authorize, basic_auth, post, register, rest_status

WEB_REDIRECT = "https://app.example/oauth/callback"


async def test_refresh_keeps_the_grant_and_revocation_stops_all_of_it_at_once(database_url):
    async with serving(database_url) as harness:
        client_id, secret = await register(harness, kind="web", redirect_uris=(WEB_REDIRECT,))
        basic = basic_auth(client_id, secret)
        back = await authorize(harness, client_id, challenge=None, redirect_uri=WEB_REDIRECT)  # a web app: no PKCE
        status, first = await post(harness, "/oauth2/token", {"grant_type": "authorization_code", "code": back["code"],
                                                              "redirect_uri": WEB_REDIRECT}, auth=basic)
        assert status == 200, first
        refresh = {"grant_type": "refresh_token", "refresh_token": first["refresh_token"]}
        status, second = await post(harness, "/oauth2/token", refresh, auth=basic)
        assert status == 200 and "refresh_token" not in second and second["scope"].split() == SCOPES, second
        status, narrower = await post(harness, "/oauth2/token", {**refresh, "scope": SCOPES[0]}, auth=basic)
        assert status == 200 and narrower["scope"] == SCOPES[0]
        assert await post(harness, "/oauth2/token", {
            **refresh, "scope": "https://www.googleapis.com/auth/chat.delete"}, auth=basic) == (
            400, {"error": "invalid_scope", "error_description": "Bad Request"})
        minted = harness.token(user="alice@example.com", scopes=("chat.spaces",))
        for token in (first["access_token"], second["access_token"], minted):
            assert await rest_status(harness, token) == 200
        # A token naming a grant has the grant's scopes and no more.
        async with aiohttp.ClientSession() as session, session.get(
                f"{harness.media_url}/v1/spaces", headers={"Authorization": f"Bearer {narrower['access_token']}"},
                params={"pageSize": "1"}) as response:
            assert response.status == 200

        # Revoked by one access token, as Google's samples do it (the token in the query, no client credentials).
        assert await post(harness, "/oauth2/revoke", {}, query={"token": second["access_token"]}) == (200, {})
        for token in (first["access_token"], second["access_token"], narrower["access_token"]):
            assert await rest_status(harness, token) == 401
        with_grant = (("authorization", f"Bearer {first['access_token']}"),)
        try:
            await harness.chat.ListSpaces(space_pb2.ListSpacesRequest(), metadata=with_grant)
            raise AssertionError("a revoked grant's token was accepted over gRPC")
        except grpc.aio.AioRpcError as error:
            assert error.code() == grpc.StatusCode.UNAUTHENTICATED
        assert await post(harness, "/oauth2/token", refresh, auth=basic) == (
            400, {"error": "invalid_grant", "error_description": "Token has been expired or revoked."})
        assert await post(harness, "/oauth2/revoke", {"token": first["refresh_token"]}) == (
            400, {"error": "invalid_token", "error_description": "Token expired or revoked"})
        assert await rest_status(harness, minted) == 200  # `chatsvc token` tokens know nothing of grants

        # Another grant, revoked by its refresh token with the client's credentials: the same.
        back = await authorize(harness, client_id, challenge=None, redirect_uri=WEB_REDIRECT, email="bob@example.com")
        status, bob = await post(harness, "/oauth2/token", {"grant_type": "authorization_code", "code": back["code"],
                                                            "redirect_uri": WEB_REDIRECT, "client_id": client_id,
                                                            "client_secret": secret})
        assert status == 200 and await rest_status(harness, bob["access_token"]) == 200
        assert await post(harness, "/oauth2/revoke", {"token": bob["refresh_token"]}, auth=basic) == (200, {})
        assert await rest_status(harness, bob["access_token"]) == 401


async def test_a_revocation_reaches_another_server_on_the_database_within_its_cache_time(database_url):
    # Two servers on one database, as two processes or replicas: B learns of A's revocation from the database,
    # at once with no cache, and within the cache time (here 0.5 s) with one.
    async with serving(database_url) as a, serving(database_url, oauth_server_revocation_cache_seconds=0) as b, \
            serving(database_url, oauth_server_revocation_cache_seconds=0.5) as c:
        # access_type=online: no refresh token, as Google.
        web_id, web_secret = await register(a, kind="web", redirect_uris=(WEB_REDIRECT,))
        back = await authorize(a, web_id, challenge=None, redirect_uri=WEB_REDIRECT, access_type="online")
        status, tokens = await post(a, "/oauth2/token", {"grant_type": "authorization_code", "code": back["code"],
                                                         "redirect_uri": WEB_REDIRECT}, auth=basic_auth(web_id,
                                                                                                    web_secret))
        assert status == 200 and "refresh_token" not in tokens, tokens
        access = tokens["access_token"]
        assert [await rest_status(server, access) for server in (a, b, c)] == [200, 200, 200]
        assert await post(a, "/oauth2/revoke", {"token": access}) == (200, {})
        assert [await rest_status(server, access) for server in (a, b)] == [401, 401]
        await asyncio.sleep(0.6)
        assert await rest_status(c, access) == 401
