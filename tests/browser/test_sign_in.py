"""Signing in to the browser client at `/` through chatsvc's own sign-in page (the built-in public client
`chatsvc-web`, authorization code with PKCE), in a real Chromium against a real server: two users side by side in two
browser contexts, tokens in memory only (never in the address, the history, storage, cookies or the server's log), a
reload signs in again without typing, and signing out revokes the grant and ends the sign-in session."""
from __future__ import annotations

import asyncio
import logging
import re
import time
from urllib.parse import parse_qsl, urlencode, urlsplit

import aiohttp
from playwright.async_api import BrowserContext, Page, expect

from tests.browser.conftest import artifact, page_errors
from tests.conftest import serving

SIGN_IN = re.compile(r"^sign in", re.I)
SIGN_OUT = re.compile(r"sign out", re.I)


class Tab:
    """One browser profile on the client page, recording every URL it visited or fetched and every token it was
    given by the token endpoint."""

    def __init__(self, context: BrowserContext, page: Page):
        self.context = context
        self.page = page
        self.errors = page_errors(page)
        self.urls: list[str] = []
        self.token_answers: list[asyncio.Future] = []
        page.on("request", lambda request: self.urls.append(request.url))
        page.on("framenavigated", lambda frame: self.urls.append(frame.url))
        page.on("response", self._answered)

    def _answered(self, response) -> None:
        if response.url.endswith("/oauth2/token") and response.status == 200:
            # read now: a response's body is gone once its page navigates away
            self.token_answers.append(asyncio.ensure_future(response.json()))

    async def tokens(self) -> list[dict]:
        return [await answer for answer in self.token_answers]

    async def sign_in(self, base: str, email: str) -> None:
        """The way a person signs in: the page's button, then the sign-in form (no consent page: first party)."""
        await self.page.goto(base + "/")
        await self.page.get_by_role("button", name=SIGN_IN).click()
        await self.page.wait_for_url(re.compile(r"/oauth2/auth\?"))
        await self.page.get_by_label("Email").fill(email)
        await self.page.get_by_role("button", name="Next").click()
        await self.page.wait_for_url(re.compile(r"^" + re.escape(base) + r"/$"))
        await expect(self.page.get_by_text(email).first).to_be_visible()

    async def leaked(self, secret: str) -> list[str]:
        """Where in the browser `secret` can be found, of the places a token must never be."""
        found = [f"url {u}" for u in self.urls if secret in u]
        stored = await self.page.evaluate("""() => ({
            href: location.href, cookie: document.cookie,
            local: JSON.stringify(Object.entries(localStorage)),
            session: JSON.stringify(Object.entries(sessionStorage)),
            history: JSON.stringify(history.state) })""")
        found += [f"{where}: {value}" for where, value in stored.items() if secret in (value or "")]
        found += [f"cookie {c['name']}" for c in await self.context.cookies() if secret in c["value"]]
        return found


async def _status(base: str, token: str, path: str = "/v1/users/me/availability") -> tuple[int, dict]:
    async with aiohttp.ClientSession() as http:
        async with http.get(base + path, headers={"Authorization": f"Bearer {token}"}) as response:
            return response.status, await response.json()


async def _until(check, timeout: float = 5.0):
    """Polls `check` (an async callable) until it returns a truthy value; that value."""
    deadline = time.monotonic() + timeout
    while True:
        value = await check()
        if value or time.monotonic() > deadline:
            return value
        await asyncio.sleep(0.05)


async def test_two_users_sign_in_reload_and_sign_out(server, browser, caplog):
    caplog.set_level(logging.DEBUG, logger="chatsvc")  # every line the server logs, at any level
    base = server.media_url
    tabs = []
    for _ in range(2):
        context = await browser.new_context()
        # The page has no icon (yet): Chromium's own request for one would be a console error unrelated to sign-in.
        await context.route("**/favicon.ico", lambda route: route.fulfill(status=204))
        tabs.append(Tab(context, await context.new_page()))
    alice, bob = tabs
    try:
        await alice.sign_in(base, "alice@example.com")
        await bob.sign_in(base, "bob@example.com")
        await alice.page.screenshot(path=artifact("sign_in_alice.png"))

        # Each profile holds its own user's tokens, and REST answers them as that user.
        (alice_answer,), (bob_answer,) = await alice.tokens(), await bob.tokens()
        assert alice_answer["email"] == "alice@example.com" and bob_answer["email"] == "bob@example.com"
        assert alice_answer["refresh_token"] and "consent" not in " ".join(alice.urls)
        names = []
        for answer in (alice_answer, bob_answer):
            status, body = await _status(base, answer["access_token"])
            assert status == 200, body
            names.append(body["name"])
        assert names[0] != names[1] and all(n.startswith("users/") for n in names)

        # No token in an address, the history, storage, cookies or a log line; the code is gone from the address.
        for tab, answer in ((alice, alice_answer), (bob, bob_answer)):
            for secret in (answer["access_token"], answer["refresh_token"]):
                assert await tab.leaked(secret) == []
                assert secret not in caplog.text
            assert "code=" not in tab.page.url and "state=" not in tab.page.url
            assert await tab.page.evaluate("sessionStorage.getItem('chatsvc.signIn')") is None  # the verifier

        # A reload loses the tokens in memory: the page signs in again by a redirect round trip, with no typing.
        before = len(alice.urls)
        await alice.page.reload()
        await expect(alice.page.get_by_text("alice@example.com").first).to_be_visible()
        assert alice.page.url == base + "/"
        assert any("/oauth2/auth?" in u for u in alice.urls[before:])
        assert await alice.page.get_by_label("Email").count() == 0
        # Going back to an earlier sign-in page (the Back button can) answers with a code for a round trip this tab
        # already finished: it is not redeemed, and the tab signs in afresh.
        stale = next(u for u in alice.urls if "/oauth2/auth?" in u)
        redeemed = len(await alice.tokens())
        await alice.page.goto(stale)
        await expect(alice.page.get_by_role("button", name=SIGN_OUT)).to_be_visible()
        assert alice.page.url == base + "/" and await alice.page.get_by_role("alert").count() == 0
        assert len(await alice.tokens()) == redeemed + 1  # one code redeemed: the fresh round trip's
        reloaded = (await alice.tokens())[-1]
        assert reloaded["access_token"] != alice_answer["access_token"]
        assert (await _status(base, reloaded["access_token"]))[0] == 200

        # Signing out revokes the grant (the access token REST accepted a moment ago now gets 401) and ends the
        # sign-in session: the page shows signed out, and signing in again asks who is signing in.
        await alice.page.get_by_role("button", name=SIGN_OUT).click()
        await expect(alice.page.get_by_role("button", name=SIGN_IN)).to_be_visible()
        assert await _until(lambda: _unauthorized(base, reloaded["access_token"])), "the access token still works"
        async with aiohttp.ClientSession() as http:
            async with http.post(base + "/oauth2/token", data={
                    "grant_type": "refresh_token", "refresh_token": reloaded["refresh_token"],
                    "client_id": "chatsvc-web"}) as response:
                assert response.status == 400 and (await response.json())["error"] == "invalid_grant"
        assert (await _status(base, bob_answer["access_token"]))[0] == 200  # the other user is still signed in
        await alice.page.get_by_role("button", name=SIGN_IN).click()
        await expect(alice.page.get_by_label("Email")).to_be_visible()
        await alice.page.screenshot(path=artifact("sign_in_form.png"))

        # Consent is skipped only for what the page asks, as the one signed in: a scope more, or a hint naming
        # someone else, gets the consent page.
        asked = dict(parse_qsl(urlsplit(next(u for u in bob.urls if "/oauth2/auth?" in u)).query))
        for changed in ({"scope": asked["scope"] + " https://www.googleapis.com/auth/chat.delete"},
                        {"login_hint": "carol@example.com"}):
            await bob.page.goto(f"{base}/oauth2/auth?{urlencode({**asked, **changed})}")
            await expect(bob.page.get_by_role("button", name="Allow")).to_be_visible()

        for tab in tabs:
            assert tab.errors == [], tab.errors
    finally:
        for tab in tabs:
            await tab.context.close()


async def _unauthorized(base: str, token: str) -> bool:
    return (await _status(base, token))[0] == 401


async def _rest(base: str, token: str, method: str, path: str, body: dict) -> dict:
    async with aiohttp.ClientSession() as http:
        async with http.request(method, base + path, json=body,
                                headers={"Authorization": f"Bearer {token}"}) as response:
            answer = await response.json()
            assert response.status == 200, answer
            return answer


async def test_the_access_token_is_refreshed_before_it_expires(database_url, browser):
    """With two-second access tokens, the page's next REST call after 1.5 s goes with a token it got by refreshing
    (in memory, with the refresh token the sign-in gave it), and works."""
    async with serving(database_url, oauth_server_access_token_seconds=2) as server:
        base = server.media_url
        bob = server.token(user="bob@example.com", scopes=("chat.spaces", "chat.memberships", "chat.messages"))
        space = (await _rest(base, bob, "POST", "/v1/spaces", {"spaceType": "SPACE",
                                                                "displayName": "Refreshing"}))["name"]
        await _rest(base, bob, "POST", f"/v1/{space}/members",
                    {"member": {"name": "users/alice@example.com", "type": "HUMAN"}})
        await _rest(base, bob, "POST", f"/v1/{space}/messages", {"text": "still here after a refresh"})
        context = await browser.new_context()
        await context.route("**/favicon.ico", lambda route: route.fulfill(status=204))
        try:
            tab = Tab(context, await context.new_page())
            bearers: list[tuple[str, str]] = []
            tab.page.on("request", lambda r: bearers.append((r.url, r.headers.get("authorization", "")))
                        if "/messages" in r.url else None)
            await tab.sign_in(base, "alice@example.com")
            (signed_in,) = await tab.tokens()
            assert signed_in["expires_in"] == 2
            await asyncio.sleep(1.6)  # past three quarters of the token's life: the page refreshes before a call
            await tab.page.locator(f'button[data-space="{space}"]').click()
            await expect(tab.page.get_by_text("still here after a refresh")).to_be_visible()
            answers = await tab.tokens()
            refreshed = {a["access_token"] for a in answers[1:]}
            assert refreshed and all("refresh_token" not in a for a in answers[1:])  # refreshing keeps it
            used = [bearer for url, bearer in bearers if f"/v1/{space}/messages" in url]
            assert used and used[-1].removeprefix("Bearer ") in refreshed
            for answer in answers:
                assert await tab.leaked(answer["access_token"]) == []
            assert tab.errors == [], tab.errors
        finally:
            await context.close()


async def test_a_refused_or_forged_return_signs_nobody_in(server, browser):
    """An `error` from the sign-in page, or a code whose state this tab did not make, leaves the page signed out,
    with a readable message and the parameters gone from the address; a redirect to another loopback port is not
    one the built-in client has."""
    base = server.media_url
    context = await browser.new_context()
    try:
        page = await context.new_page()
        tokens: list[str] = []
        page.on("request", lambda r: tokens.append(r.url) if r.url.endswith("/oauth2/token") else None)
        await page.goto(base + "/?error=access_denied&state=x")
        await expect(page.get_by_text("Sign-in was cancelled.")).to_be_visible()
        assert page.url == base + "/"
        await page.goto(base + "/?code=forged&state=forged")
        await expect(page.get_by_text("not started from this page")).to_be_visible()
        assert page.url == base + "/" and tokens == []
        await expect(page.get_by_role("button", name=SIGN_IN)).to_be_visible()
    finally:
        await context.close()
    port = int(base.rsplit(":", 1)[1])
    async with aiohttp.ClientSession() as http:
        for redirect, status in ((f"http://127.0.0.1:{port + 1}/", 400), (f"http://localhost:{port}/", 400),
                                 (base + "/", 200)):
            params = {"client_id": "chatsvc-web", "redirect_uri": redirect, "response_type": "code",
                      "scope": "https://www.googleapis.com/auth/chat.spaces", "state": "s",
                      "code_challenge": "x" * 43, "code_challenge_method": "S256"}
            async with http.get(base + "/oauth2/auth", params=params, allow_redirects=False) as response:
                assert response.status == status, (redirect, await response.text())
        async with http.post(base + "/oauth2/signout", headers={"Origin": "https://elsewhere.example",
                                                                 "Sec-Fetch-Site": "cross-site"}) as response:
            assert response.status == 403
