"""Attacks on the authorization server, over real sockets against a real server: codes expired, replayed, redeemed
with the wrong PKCE verifier, redirect URI, client or secret; scopes not granted; Deny; forged forms. Each is
refused with the error Google's endpoints give, and nothing is granted."""
from __future__ import annotations

import asyncio

import aiohttp

from chatsvc.app import clock_us
from chatsvc.domain.oauth_grants import OAuthGrants
from tests.conftest import serving
from tests.oauth_server.browser import Browser, Page, authorization_url, pkce
from tests.oauth_server.support import LOOPBACK, SCOPES, authorize, post, query_of, register, rest_status

BAD_REQUEST = {"error": "invalid_grant", "error_description": "Bad Request"}


async def test_codes_work_once_for_their_client_redirect_uri_and_verifier(database_url):
    async with serving(database_url) as harness:
        client_id, secret = await register(harness)
        other_id, other_secret = await register(harness, name="Another app")
        verifier, challenge = pkce()
        code = (await authorize(harness, client_id, challenge=challenge))["code"]
        redeem = {"grant_type": "authorization_code", "code": code, "redirect_uri": LOOPBACK, "client_id": client_id,
                  "client_secret": secret, "code_verifier": verifier}
        grants = OAuthGrants(harness.running.db, clock_us)

        assert await post(harness, "/oauth2/token", {**redeem, "code_verifier": pkce()[0]}) == (400, BAD_REQUEST)
        assert await post(harness, "/oauth2/token", {**redeem, "redirect_uri": "http://localhost:8766/"}) == (
            400, {"error": "redirect_uri_mismatch", "error_description": "Bad Request"})
        assert await post(harness, "/oauth2/token", {**redeem, "client_secret": secret + "x"}) == (
            401, {"error": "invalid_client", "error_description": "Unauthorized"})
        assert await post(harness, "/oauth2/token", {**redeem, "client_id": other_id, "client_secret": other_secret}
                          ) == (400, BAD_REQUEST)
        assert await post(harness, "/oauth2/token", {k: v for k, v in redeem.items() if k != "code_verifier"}) == (
            400, {"error": "invalid_request", "error_description": "Missing required parameter: code_verifier"})
        assert (await grants.code(code)).grant_id is None  # nothing granted so far

        status, tokens = await post(harness, "/oauth2/token", redeem)
        assert status == 200, tokens
        assert tokens["scope"].split() == SCOPES and tokens["token_type"] == "Bearer" and tokens["refresh_token"]
        assert await rest_status(harness, tokens["access_token"]) == 200

        # A replayed code is refused, and the grant it made is revoked: its tokens stop (RFC 6749 4.1.2).
        assert await post(harness, "/oauth2/token", redeem) == (400, BAD_REQUEST)
        assert await rest_status(harness, tokens["access_token"]) == 401
        assert await post(harness, "/oauth2/token", {"grant_type": "refresh_token", "client_id": client_id,
                                                     "client_secret": secret,
                                                     "refresh_token": tokens["refresh_token"]}) == (
            400, {"error": "invalid_grant", "error_description": "Token has been expired or revoked."})


async def test_an_expired_code_is_refused(database_url):
    async with serving(database_url, oauth_server_code_seconds=0.5) as harness:
        client_id, secret = await register(harness)
        verifier, challenge = pkce()
        code = (await authorize(harness, client_id, challenge=challenge))["code"]
        await asyncio.sleep(1.0)
        assert await post(harness, "/oauth2/token", {
            "grant_type": "authorization_code", "code": code, "redirect_uri": LOOPBACK, "client_id": client_id,
            "client_secret": secret, "code_verifier": verifier}) == (400, BAD_REQUEST)
        assert (await OAuthGrants(harness.running.db, clock_us).code(code)).grant_id is None


async def test_the_authorization_endpoint_refuses_what_it_must(database_url):
    async with serving(database_url) as harness:
        client_id, _secret = await register(harness, name='<script>alert("x")</script> & Co')
        _verifier, challenge = pkce()
        base = harness.media_url

        # Scopes not granted here: back to the app with invalid_scope (and its state), no code.
        for scopes in (["https://www.googleapis.com/auth/chat.bot"], ["https://example.com/anything"],
                       [SCOPES[0], "https://www.googleapis.com/auth/chat.admin.spaces"]):
            async with Browser(base) as browser:
                back = await browser.open(authorization_url(base, client_id, LOOPBACK, scopes, challenge=challenge))
            assert isinstance(back, str) and query_of(back) == {
                "error": "invalid_scope", "error_description": "The requested scope is invalid, unknown, or malformed.",
                "state": "st"}, back
        # An installed app without PKCE (or with plain PKCE) is sent back with invalid_request.
        async with Browser(base) as browser:
            back = await browser.open(authorization_url(base, client_id, LOOPBACK, SCOPES))
            assert query_of(back)["error"] == "invalid_request" and "code" not in query_of(back)
            plain = authorization_url(base, client_id, LOOPBACK, SCOPES, code_challenge="x" * 43,
                                      code_challenge_method="plain")
            assert query_of(await browser.open(plain))["error"] == "invalid_request"
            # An unregistered redirect URI or client: an error page, never a redirect.
            for url, status in ((authorization_url(base, client_id, "https://evil.example/cb", SCOPES,
                                                   challenge=challenge), 400),
                                (authorization_url(base, "nobody.apps.chatsvc", LOOPBACK, SCOPES,
                                                   challenge=challenge), 401)):
                page = await browser.open(url)
                assert isinstance(page, Page) and page.status == status and not page.forms, page

        # Deny: back with error=access_denied and the state, no code.
        back = await authorize(harness, client_id, challenge=challenge, decision="deny")
        assert back["error"] == "access_denied" and back["state"] == "st" and "code" not in back

        async with Browser(base) as browser:
            url = authorization_url(base, client_id, LOOPBACK, SCOPES, challenge=challenge)
            page = await browser.open(url)
            # A real page: no script at all, a strict policy, the client's name escaped.
            assert page.scripts == 0 and "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; Co" in page.text
            policy = page.headers["Content-Security-Policy"]
            assert "default-src 'none'" in policy and "frame-ancestors 'none'" in policy
            assert page.headers["X-Frame-Options"] == "DENY"
            # Forms posted without this browser's CSRF token are refused.
            form = page.form_with("email")
            forged = await browser.submit(page, form, email="alice@example.com", csrf="forged")
            assert isinstance(forged, Page) and forged.status == 403
            async with aiohttp.ClientSession() as stranger, stranger.post(
                    url, data={**form.fields, "email": "alice@example.com"}, allow_redirects=False) as response:
                assert response.status == 403  # the right token, from another browser
            consent = await browser.submit(page, form, email="alice@example.com")
            assert isinstance(consent, Page) and "alice@example.com" in consent.text
            allow = consent.form_with("action", "allow")
            forged = await browser.submit(consent, allow, action="allow", csrf=form.fields["csrf"] + "x")
            assert isinstance(forged, Page) and forged.status == 403
            # The consent page names what each scope allows, in words.
            assert "See, create and delete messages in your Google Chat spaces" in consent.text


async def test_token_endpoint_errors_are_googles(database_url):
    async with serving(database_url) as harness:
        client_id, secret = await register(harness)
        assert await post(harness, "/oauth2/token", {"grant_type": "password", "client_id": client_id,
                                                     "client_secret": secret}) == (
            400, {"error": "unsupported_grant_type", "error_description": "Invalid grant_type: password"})
        assert await post(harness, "/oauth2/token", {"grant_type": "authorization_code", "code": "nope",
                                                     "client_id": "nobody.apps.chatsvc", "client_secret": "x"}) == (
            401, {"error": "invalid_client", "error_description": "The OAuth client was not found."})
        assert await post(harness, "/oauth2/token", {"grant_type": "refresh_token", "refresh_token": "nope",
                                                     "client_id": client_id, "client_secret": secret}) == (
            400, {"error": "invalid_grant", "error_description": "Token has been expired or revoked."})
        assert await post(harness, "/oauth2/revoke", {"token": "nope"}) == (
            400, {"error": "invalid_token", "error_description": "Token expired or revoked"})
