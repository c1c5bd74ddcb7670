"""A small OAuth 2.0 provider over HTTP on 127.0.0.1, speaking just enough of Google's and Microsoft's
authorization, token, revocation, profile, mailbox, calendar list and business accounts endpoints.

The server under test is pointed at it through its ordinary endpoint configuration. Knobs let a test make
the provider deny consent, refuse a code, fail with a 5xx, or answer too slowly.
"""
from __future__ import annotations

import asyncio
import secrets
import urllib.parse
from dataclasses import dataclass, field

from aiohttp import web

from chatsvc.oauth.endpoints import ProviderEndpoints
from tests.credentials import fake_mail

CLIENT_ID = "fake-client-id"
CLIENT_SECRET = "fake-client-secret"


@dataclass
class Account:
    email: str = "agent@example.com"
    first_name: str = "Ada"
    last_name: str = "Agent"
    photo: str = "https://photos.example/ada.png"
    resource_name: str = "people/1001"


@dataclass
class Grant:
    scopes: str
    redirect_uri: str
    account: Account


@dataclass
class FakeProvider:
    account: Account = field(default_factory=Account)
    deny: bool = False  # the user refuses consent
    fail_status: int = 0  # every token / API call answers this status
    delay: float = 0.0  # every token / API call waits this long first
    expires_in: int = 3600
    granted_scopes: str | None = None  # override what the token endpoint says was granted
    codes: dict[str, Grant] = field(default_factory=dict)
    access: dict[str, Grant] = field(default_factory=dict)  # live access tokens
    refresh: dict[str, Grant] = field(default_factory=dict)  # live refresh tokens
    issued: list[str] = field(default_factory=list)  # every token ever handed out
    revoked: list[str] = field(default_factory=list)
    refreshes: int = 0
    calendars: list[dict] = field(default_factory=lambda: [
        {"id": "agent@example.com", "summary": "Agent", "timeZone": "America/Chicago", "accessRole": "owner",
         "primary": True, "description": "main"},
        {"id": "team@example.com", "summary": "Team", "timeZone": "America/New_York", "accessRole": "reader"},
    ])
    mail: fake_mail.FakeMail = field(default_factory=fake_mail.FakeMail)  # the Gmail / Graph mail APIs
    url: str = ""
    _runner: web.AppRunner | None = None

    def endpoints(self, provider: str) -> ProviderEndpoints:
        base = f"{self.url}/{provider}"
        return ProviderEndpoints(
            client_id=CLIENT_ID, client_secret=CLIENT_SECRET, authorize_url=f"{base}/authorize",
            token_url=f"{base}/token", revoke_url=f"{base}/revoke", profile_url=f"{base}/profile",
            mailbox_url=f"{base}/mailbox", calendars_url=f"{base}/calendars",
            business_accounts_url=f"{base}/accounts", mail_api_url=f"{base}/mail")

    # ---- lifecycle

    async def start(self) -> FakeProvider:
        app = web.Application()
        app.router.add_get("/{provider}/authorize", self._authorize)
        app.router.add_post("/{provider}/token", self._token)
        app.router.add_post("/{provider}/revoke", self._revoke)
        app.router.add_get("/{provider}/profile", self._profile)
        app.router.add_get("/{provider}/mailbox", self._mailbox)
        app.router.add_get("/{provider}/calendars", self._calendars)
        app.router.add_get("/{provider}/accounts", self._accounts)
        fake_mail.add_routes(app, self.mail, self.access)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.url = f"http://127.0.0.1:{self._runner.addresses[0][1]}"
        return self

    async def stop(self) -> None:
        await self._runner.cleanup()

    # ---- endpoints

    async def _authorize(self, request: web.Request) -> web.Response:
        """The consent screen, already answered: back to redirect_uri with a code (or error=access_denied)."""
        query = request.query
        assert query["client_id"] == CLIENT_ID and query["response_type"] == "code"
        if self.deny:
            params = {"error": "access_denied", "state": query["state"]}
        else:
            code = "code-" + secrets.token_hex(8)
            self.codes[code] = Grant(query["scope"], query["redirect_uri"], self.account)
            params = {"code": code, "state": query["state"]}
        return web.Response(status=302, headers={
            "Location": f"{query['redirect_uri']}?{urllib.parse.urlencode(params)}"})

    async def _troubles(self) -> web.Response | None:
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.fail_status:
            return web.Response(status=self.fail_status, text="provider trouble")
        return None

    def _issue(self, grant: Grant, refresh_token: str | None = None) -> dict:
        access = "access-" + secrets.token_hex(12)
        refresh = refresh_token or "refresh-" + secrets.token_hex(12)
        self.access[access] = grant
        self.refresh[refresh] = grant
        self.issued += [access, refresh]
        body = {"access_token": access, "token_type": "Bearer", "expires_in": self.expires_in,
                "scope": self.granted_scopes if self.granted_scopes is not None else grant.scopes}
        if refresh_token is None:
            body["refresh_token"] = refresh
        return body

    async def _token(self, request: web.Request) -> web.Response:
        if trouble := await self._troubles():
            return trouble
        form = await request.post()
        if form.get("client_id") != CLIENT_ID or form.get("client_secret") != CLIENT_SECRET:
            return web.json_response({"error": "invalid_client"}, status=401)
        if form.get("grant_type") == "authorization_code":
            grant = self.codes.pop(form.get("code", ""), None)  # a code works once
            if grant is None or grant.redirect_uri != form.get("redirect_uri"):
                return web.json_response({"error": "invalid_grant", "error_description": "Bad code."}, status=400)
            return web.json_response(self._issue(grant))
        if form.get("grant_type") == "refresh_token":
            grant = self.refresh.get(form.get("refresh_token", ""))
            if grant is None:
                return web.json_response({"error": "invalid_grant"}, status=400)
            self.refreshes += 1
            return web.json_response(self._issue(grant, form["refresh_token"]))
        return web.json_response({"error": "unsupported_grant_type"}, status=400)

    async def _revoke(self, request: web.Request) -> web.Response:
        if trouble := await self._troubles():
            return trouble
        if request.match_info["provider"] == "microsoft":  # revokeSignInSessions: bearer-authenticated
            token = self._bearer(request)
            if token is None:
                return web.Response(status=401)
            revoked = [t for t, g in {**self.access, **self.refresh}.items() if g is self.access[token]]
        else:
            revoked = [(await request.post()).get("token", "")]
        for token in revoked:
            self.revoked.append(token)
            self.access.pop(token, None)
            self.refresh.pop(token, None)
        return web.json_response({"value": True})

    def _bearer(self, request: web.Request) -> str | None:
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        return token if scheme == "Bearer" and token in self.access else None

    async def _api(self, request: web.Request, body) -> web.Response:
        if trouble := await self._troubles():
            return trouble
        if self._bearer(request) is None:
            return web.json_response({"error": {"code": 401, "message": "Invalid Credentials"}}, status=401)
        return web.json_response(body(self.access[self._bearer(request)].account))

    async def _profile(self, request: web.Request) -> web.Response:
        if request.match_info["provider"] == "microsoft":
            return await self._api(request, lambda a: {
                "id": a.resource_name, "displayName": f"{a.first_name} {a.last_name}", "givenName": a.first_name,
                "surname": a.last_name, "mail": a.email})
        return await self._api(request, lambda a: {
            "resourceName": a.resource_name,
            "names": [{"displayName": f"{a.first_name} {a.last_name}", "givenName": a.first_name,
                       "familyName": a.last_name}],
            "emailAddresses": [{"value": a.email}], "photos": [{"url": a.photo}]})

    async def _mailbox(self, request: web.Request) -> web.Response:
        if request.match_info["provider"] == "microsoft":
            return await self._api(request, lambda a: {"totalItemCount": 42})
        return await self._api(request, lambda a: {"emailAddress": a.email, "messagesTotal": 100,
                                                   "threadsTotal": 101, "historyId": "103"})

    async def _calendars(self, request: web.Request) -> web.Response:
        if request.match_info["provider"] == "microsoft":
            return await self._api(request, lambda a: {"value": [
                {"id": c["id"], "name": c["summary"], "canEdit": c["accessRole"] == "owner",
                 "isDefaultCalendar": bool(c.get("primary"))} for c in self.calendars]})
        return await self._api(request, lambda a: {"items": self.calendars})

    async def _accounts(self, request: web.Request) -> web.Response:
        return await self._api(request, lambda a: {"accounts": [
            {"name": "accounts/111", "accountName": "Acme Realty", "type": "PERSONAL", "role": "OWNER",
             "verificationState": "VERIFIED"}]})
