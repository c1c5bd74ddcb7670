"""The authorization server on the HTTP endpoint, as a thin aiohttp adapter around Authlib (authorization.py says
how the two meet):

    GET|POST /oauth2/auth     the authorization endpoint: checks the request (client, redirect URI, scopes, PKCE),
                              then the sign-in page, the consent page, and the redirect back with `code` and
                              `state` (or `error=access_denied`)
    POST     /oauth2/token    authorization_code and refresh_token grants; Google's error responses
    POST     /oauth2/revoke   RFC 7009, as Google's: the token alone identifies the client, and revoking any token
                              of a grant revokes all of it
    POST     /oauth2/signout  ends this browser's sign-in session (the built-in web client's sign-out; same-origin
                              requests only)
    GET      /oauth2/assets/page.css

Who the user is: a signed, HttpOnly session cookie (SameSite=Lax, path /oauth2/, Secure under https) set by the
sign-in form. Every form carries a CSRF token: an HMAC, under a key derived from the server's signing key, of a
random per-browser cookie and the page's URL (which holds the whole authorization request), so a form cannot be
posted from another site, for another browser, or for another authorization request. No token or secret is ever
put in a URL (but the code and state of the redirect, as the protocol has it) or a log line.

Sign-in modes (`CHATSVC_OAUTH_SERVER_SIGN_IN`): `email`, the address typed is trusted (a development server's
mode: without it, only when the HTTP endpoint listens on loopback, which `auto` means); `off`. An upstream
OpenID Connect provider and one-time codes by email are not built: configuring them stops the start with a note.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import secrets
import time
from collections.abc import Callable
from ipaddress import ip_address

import jwt
from aiohttp import web
from authlib.oauth2 import OAuth2Error
from authlib.oauth2.rfc6749 import InvalidGrantError
from authlib.oauth2.rfc6749.util import extract_basic_authorization
from multidict import MultiDict

from chatsvc.auth.tokens import TokenService, valid_email
from chatsvc.domain.oauth_grants import OAuthGrants, RevokeReplayed
from chatsvc.oauth_server.authorization import Exchange, HttpRequest, Server, User, bound, google_error
from chatsvc.oauth_server.pages import consent_page, error_page, sign_in_page, stylesheet
from chatsvc.oauth_server.web_client import CLIENT_ID as WEB_CLIENT_ID
from chatsvc.oauth_server.web_client import skips_consent, web_client

log = logging.getLogger("chatsvc.oauth_server")
AUTH_PATH = "/oauth2/auth"
TOKEN_PATH = "/oauth2/token"
REVOKE_PATH = "/oauth2/revoke"
SIGN_OUT_PATH = "/oauth2/signout"
COOKIE_PATH = "/oauth2/"
SESSION_COOKIE = "chatsvc_oauth_session"
BROWSER_COOKIE = "chatsvc_oauth_browser"
SESSION_SECONDS = 3600
SIGN_IN_MODES = ("auto", "email", "off", "oidc", "email-code")
_MAX_PARAMETER = 4096  # longer codes and tokens are not looked up at all
_JSON_HEADERS = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def sign_in_mode(setting: str, http_host: str) -> str:
    """`email` or `off`, for the setting and the address the HTTP endpoint listens on; ValueError for a mode
    that is not available."""
    if setting not in SIGN_IN_MODES:
        raise ValueError(f"CHATSVC_OAUTH_SERVER_SIGN_IN: one of {', '.join(SIGN_IN_MODES)}, not {setting!r}")
    if setting in ("oidc", "email-code"):
        raise ValueError(f"CHATSVC_OAUTH_SERVER_SIGN_IN={setting}: sign-in through an upstream OpenID Connect "
                         "provider or by one-time codes sent by email is not built yet; use `email` (the address "
                         "typed is trusted: development servers only) or `off`")
    if setting == "auto":
        return "email" if _loopback(http_host) else "off"
    return setting


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ip_address(host).is_loopback
    except ValueError:
        return False


def _derived(key: bytes, purpose: bytes) -> bytes:
    return hmac.new(key, b"chatsvc oauth server: " + purpose, hashlib.sha256).digest()


class Sessions:
    """The signed-in user (a short JWT in a cookie) and the per-browser CSRF binding."""

    def __init__(self, key: bytes, secure: Callable[[], bool], clock: Callable[[], float] = time.time):
        self._session_key = _derived(key, b"session")
        self._csrf_key = _derived(key, b"csrf")
        self._secure = secure
        self._clock = clock

    def user(self, request: web.Request) -> str | None:
        cookie = request.cookies.get(SESSION_COOKIE)
        if not cookie or len(cookie) > _MAX_PARAMETER:
            return None
        try:
            claims = jwt.decode(cookie, self._session_key, algorithms=["HS256"], audience="chatsvc-oauth-session",
                                options={"require": ["exp", "sub", "aud"]})
        except jwt.InvalidTokenError:
            return None
        return claims["sub"] if isinstance(claims["sub"], str) and valid_email(claims["sub"]) else None

    def sign_in(self, response: web.StreamResponse, email: str) -> None:
        now = int(self._clock())
        value = jwt.encode({"sub": email, "aud": "chatsvc-oauth-session", "iat": now, "exp": now + SESSION_SECONDS},
                           self._session_key, algorithm="HS256")
        self._set(response, SESSION_COOKIE, value, SESSION_SECONDS)

    def sign_out(self, response: web.StreamResponse) -> None:
        response.del_cookie(SESSION_COOKIE, path=COOKIE_PATH)

    def browser(self, request: web.Request) -> tuple[str, bool]:
        """This browser's random id, and whether it is new (to be set on the response)."""
        value = request.cookies.get(BROWSER_COOKIE, "")
        if 20 <= len(value) <= 64:
            return value, False
        return secrets.token_urlsafe(32), True

    def remember_browser(self, response: web.StreamResponse, browser: str) -> None:
        self._set(response, BROWSER_COOKIE, browser, None)

    def csrf(self, browser: str, page: str) -> str:
        mac = hmac.new(self._csrf_key, f"{browser}\n{page}".encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(mac).decode().rstrip("=")

    def csrf_valid(self, browser: str, page: str, given: str) -> bool:
        return hmac.compare_digest(self.csrf(browser, page).encode(), given.encode())

    def _set(self, response: web.StreamResponse, name: str, value: str, max_age: int | None) -> None:
        response.set_cookie(name, value, path=COOKIE_PATH, httponly=True, samesite="Lax", secure=self._secure(),
                            max_age=max_age)


def _redirect(location: str) -> web.Response:
    return web.Response(status=302, headers={"Location": location, "Cache-Control": "no-store",
                                             "Referrer-Policy": "no-referrer"})


def _json(status: int, body: dict, headers: list) -> web.Response:
    extra = {k: v for k, v in headers if k.lower() not in ("content-type", "cache-control", "pragma")}
    return web.json_response(body, status=status, headers={**extra, **_JSON_HEADERS})


def _parameter(values, name: str) -> str:
    value = values.get(name)
    return value if isinstance(value, str) and 0 < len(value) <= _MAX_PARAMETER else ""


class OAuthEndpoints:
    """`base`: the HTTP endpoint's public URL (known once it listens). `clock`: microseconds."""

    def __init__(self, server: Server, grants: OAuthGrants, tokens: TokenService, sessions: Sessions, *,
                 sign_in: str, base: Callable[[], str], clock: Callable[[], int]):
        self._server = server
        self._grants = grants
        self._tokens = tokens
        self._sessions = sessions
        self._sign_in = sign_in
        self._base = base
        self._clock = clock
        self._web_client_stored = False

    def routes(self) -> list[web.RouteDef]:
        return [web.get(AUTH_PATH, self.authorize, allow_head=False), web.post(AUTH_PATH, self.authorize),
                web.post(TOKEN_PATH, self.token), web.post(REVOKE_PATH, self.revoke),
                web.post(SIGN_OUT_PATH, self.sign_out),
                web.get("/oauth2/assets/page.css", stylesheet)]

    def _request(self, request: web.Request, payload, form) -> HttpRequest:
        return HttpRequest(request.method, self._base() + request.path_qs, request.headers, request.query, form,
                           payload)

    # ---- the authorization endpoint and its pages ---------------------------------------------------------
    async def authorize(self, request: web.Request) -> web.StreamResponse:
        exchange = Exchange(now_us=self._clock())
        exchange.clients = await self._clients(request, {_parameter(request.query, "client_id")})
        try:
            oauth_request = self._request(request, request.query, MultiDict())
            with bound(exchange):
                grant = self._server.get_consent_grant(oauth_request)
        except OAuth2Error as error:
            self._log("oauth2.auth", error.status_code, error.error, request.query.get("client_id"))
            if error.redirect_uri:  # the client and its redirect URI are known good: tell the client
                return _redirect(dict(error()[2])["Location"])
            status = 401 if error.error == "invalid_client" else 400
            return error_page(status, error.error, error.get_error_description() or "The request is invalid.")
        client = grant.request.client.model
        if self._sign_in == "off":
            return error_page(503, "sign_in_unavailable", "Signing in is not set up on this server: it is off "
                                                          "unless the server listens on loopback "
                                                          "(CHATSVC_OAUTH_SERVER_SIGN_IN).")
        browser, new_browser = self._sessions.browser(request)
        email = self._sessions.user(request)
        page_url = request.path_qs
        response = None
        if request.method == "POST":
            form = await request.post()
            if new_browser or not self._sessions.csrf_valid(browser, page_url, _parameter(form, "csrf")):
                return error_page(403, "invalid_request", "This form expired or was not sent from this page. Go "
                                                          "back to the app and start again.")
            action = form.get("action")
            if action == "sign_in":
                address = _parameter(form, "email").strip().lower()
                if not valid_email(address):
                    return sign_in_page(action=page_url, csrf=self._sessions.csrf(browser, page_url),
                                        client_name=client.name or client.id, email=address[:320], status=400,
                                        problem="Enter an email address.")
                response = web.Response(status=303, headers={"Location": page_url, "Cache-Control": "no-store"})
                self._sessions.sign_in(response, address)
                return response
            if action == "sign_out":
                response = web.Response(status=303, headers={"Location": page_url, "Cache-Control": "no-store"})
                self._sessions.sign_out(response)
                return response
            if action in ("allow", "deny") and email:
                return await self._decide(exchange, oauth_request, grant, User(email) if action == "allow" else None)
        hint = _parameter(request.query, "login_hint").strip().lower()
        if email is not None and request.method == "GET" and hint in ("", email) \
                and skips_consent(client, grant.request.scope or ""):
            return await self._decide(exchange, oauth_request, grant, User(email))  # first party: no consent page
        csrf = self._sessions.csrf(browser, page_url)
        if email is None:
            response = sign_in_page(action=page_url, csrf=csrf, client_name=client.name or client.id,
                                    email=_parameter(request.query, "login_hint")[:320])
        else:
            response = consent_page(action=page_url, csrf=csrf, client_name=client.name or client.id,
                                    client_id=client.id, email=email, scopes=grant.request.scope.split(),
                                    redirect_uri=grant.redirect_uri)
        if new_browser:
            self._sessions.remember_browser(response, browser)
        return response

    async def _decide(self, exchange: Exchange, oauth_request: HttpRequest, grant, user: User | None):
        """Allow (a code, stored before the browser is sent back with it) or deny (error=access_denied)."""
        with bound(exchange):
            status, _body, headers = self._server.create_authorization_response(oauth_request, grant_user=user,
                                                                                grant=grant)
        if exchange.effects:
            await self._grants.commit(exchange.effects)
        self._log("oauth2.auth", status, "" if user else "access_denied", grant.request.client.model.id)
        return _redirect(dict(headers)["Location"])

    # ---- the token and revocation endpoints ---------------------------------------------------------------
    async def token(self, request: web.Request) -> web.Response:
        form = await request.post()
        grant_type = _parameter(form, "grant_type")
        exchange = Exchange(now_us=self._clock())
        exchange.clients = await self._clients(request, self._client_ids(request, form))
        if grant_type == "authorization_code" and (code := _parameter(form, "code")):
            exchange.code = await self._grants.code(code)
        elif grant_type == "refresh_token" and (refresh := _parameter(form, "refresh_token")):
            exchange.grant = await self._grants.grant_by_refresh_token(refresh)
        status, body, headers = await self._run(exchange, lambda r: self._server.create_token_response(r),
                                                request, form)
        if status != 200:
            status, body, headers = google_error(status, body, headers, grant_type or None)
        elif (source := exchange.code or exchange.grant) and source.client_id == WEB_CLIENT_ID:
            body = {**body, "email": source.user_email}  # who signed in, for the built-in client's page
        self._log("oauth2.token", status, body.get("error", ""), _client_of(exchange, form, request), grant_type)
        return _json(status, body, headers)

    async def revoke(self, request: web.Request) -> web.Response:
        form = MultiDict(request.query)  # Google's own samples send the token in the query string
        form.update(await request.post())
        exchange = Exchange(now_us=self._clock())
        token = exchange.token = _parameter(form, "token")
        if token:
            grant_id = self._tokens.grant_of(token)
            exchange.grant = await (self._grants.grant(grant_id) if grant_id
                                    else self._grants.grant_by_refresh_token(token))
        client_ids = self._client_ids(request, form) | ({exchange.grant.client_id} if exchange.grant else set())
        exchange.clients = await self._clients(request, client_ids)
        status, body, headers = await self._run(exchange, lambda r: self._server.create_endpoint_response(
            "revocation", r), request, form)
        if status != 200:
            status, body, headers = google_error(status, body, headers, None)
        self._log("oauth2.revoke", status, body.get("error", ""), exchange.grant.client_id if exchange.grant else "")
        return _json(status, body, headers)

    async def sign_out(self, request: web.Request) -> web.Response:
        """Forgets who is signed in in this browser. Same-origin only (the browser says so in Sec-Fetch-Site or
        Origin), so no other site can sign a user out."""
        site = request.headers.get("Sec-Fetch-Site")
        origin = request.headers.get("Origin")
        if not (site == "same-origin" or site is None and origin == f"{request.scheme}://{request.host}"):
            return _json(403, {"error": "forbidden", "error_description": "Not from this server's pages."}, [])
        response = web.Response(status=204, headers={"Cache-Control": "no-store"})
        self._sessions.sign_out(response)
        return response

    async def _clients(self, request: web.Request, client_ids: set[str]) -> dict:
        """The registered clients named, and the built-in web client if it is."""
        found = await self._grants.clients(client_ids - {WEB_CLIENT_ID})
        if WEB_CLIENT_ID in client_ids:
            found[WEB_CLIENT_ID] = client = web_client(self._base(), request)
            if not self._web_client_stored:  # once per process: on a fresh database, before its first code
                await self._grants.ensure_client(client)
                self._web_client_stored = True
        return found

    async def _run(self, exchange: Exchange, call, request: web.Request, form) -> tuple[int, dict, list]:
        """Authlib's answer over the gathered exchange, its writes committed when it succeeded."""
        try:
            oauth_request = self._request(request, form, form)
            with bound(exchange):
                status, body, headers = call(oauth_request)
        except OAuth2Error as error:
            status, body, headers = error()
        if status == 200 and exchange.effects and not await self._grants.commit(exchange.effects):
            status, body, headers = InvalidGrantError()()  # the code was redeemed by a request that won the race
        if exchange.replayed_grant:
            await self._grants.commit([RevokeReplayed(exchange.replayed_grant)])
        return status, body, headers

    @staticmethod
    def _client_ids(request: web.Request, form) -> set[str]:
        basic_id, _secret = extract_basic_authorization(request.headers)
        return {i for i in (basic_id, _parameter(form, "client_id")) if i}

    @staticmethod
    def _log(endpoint: str, status: int, error: str, client: str | None, grant_type: str = "") -> None:
        if log.isEnabledFor(logging.INFO):
            log.info(json.dumps({"endpoint": endpoint, "status": status, "error": error or None,
                                 "client": (client or "")[:128] or None, "grant_type": grant_type or None}))


def _client_of(exchange: Exchange, form, request: web.Request) -> str:
    """The client a token request named (for the log line), if it is registered."""
    for client_id in OAuthEndpoints._client_ids(request, form):
        if client_id in exchange.clients:
            return client_id
    return ""
