"""The rules of chatsvc's own OAuth 2.0 authorization server (the protocol itself is Authlib's, driven by
chatsvc.oauth_server): registered clients, authorization codes, grants, and whether a grant still stands.

- A client is `installed` (a desktop or command-line app: its secret is no secret, so PKCE with S256 is required,
  and any port of a registered loopback redirect URI is accepted, as RFC 8252 and Google have it) or `web` (a
  server that keeps its secret; redirect URIs match exactly). Its id is public; its secret is 32 random bytes,
  shown once and stored only as its SHA-256 (a random secret needs no slow hash).
- An authorization code lives `code_ttl` (10 minutes by default), is bound to its client, redirect URI, PKCE
  challenge, user and scopes, is stored as its SHA-256 and works once: redeeming it marks it with the grant it
  made, in the same transaction that stores that grant, and only while it is unused and unexpired, so of two
  redemptions racing one wins. A replayed code revokes the grant it made (RFC 6749 section 4.1.2).
- A grant is what one consent gave one client: the user, the scopes, and (with `access_type=offline`, as Google)
  a refresh token, stored as its SHA-256. Refreshing keeps the refresh token, as Google does. Access tokens are
  the server's signed JWTs naming the grant (`grant` claim); revoking the grant (by its refresh token or any of
  its access tokens) stops the refresh token and every access token at once: the gate asks `GrantCheck` on each
  call with such a token, and the database is asked whenever this process's answer is older than its TTL.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from ipaddress import ip_address
from urllib.parse import urlsplit

from chatsvc.domain.errors import InvalidArgument
from chatsvc.domain.ports import Clock, Conflict, Transactions

INSTALLED = "installed"
WEB = "web"
KINDS = (INSTALLED, WEB)
CODE_TTL_SECONDS = 600.0
MAX_REDIRECT_URIS = 20
MAX_NAME = 256
_PURGE_AFTER_US = 24 * 3600 * 1_000_000  # expired codes are kept a day, so that a replay can still be told apart


@dataclass(frozen=True)
class OAuthClient:
    id: str
    kind: str
    name: str
    secret_sha256: str
    redirect_uris: tuple[str, ...]
    app: str  # the Chat app its users' calls go through (`users/app`)
    create_time_us: int

    @property
    def public(self) -> bool:
        """A client whose secret is shipped to users: PKCE stands in for it."""
        return self.kind == INSTALLED

    def secret_matches(self, secret: str) -> bool:
        return hmac.compare_digest(digest(secret), self.secret_sha256)

    def redirect_allowed(self, uri: str) -> bool:
        """Exactly a registered URI; for an installed client also a registered loopback URI on any port."""
        if uri in self.redirect_uris:
            return True
        if not self.public:
            return False
        given = _loopback_parts(uri)
        return given is not None and any(_loopback_parts(registered) == given for registered in self.redirect_uris)


@dataclass(frozen=True)
class AuthorizationCode:
    code_sha256: str
    client_id: str
    user_email: str
    redirect_uri: str
    scope: str  # full scope URLs, space-separated
    code_challenge: str
    code_challenge_method: str
    offline: bool  # access_type=offline: the grant gets a refresh token
    create_time_us: int
    expire_time_us: int
    grant_id: str | None = None  # set once redeemed

    def usable(self, now_us: int) -> bool:
        return self.grant_id is None and now_us < self.expire_time_us


@dataclass(frozen=True)
class Grant:
    id: str
    client_id: str
    user_email: str
    scope: str
    refresh_sha256: str | None
    create_time_us: int
    revoke_time_us: int | None = None

    @property
    def standing(self) -> bool:
        return self.revoke_time_us is None


# ---- what one authorization-server request writes, applied together by OAuthGrants.commit -------------------
@dataclass(frozen=True)
class SaveCode:
    code: AuthorizationCode


@dataclass(frozen=True)
class Redeem:
    """The code becomes this grant (and is used up), or nothing happens: the code was used meanwhile."""
    code_sha256: str
    grant: Grant


@dataclass(frozen=True)
class Revoke:
    grant_id: str


@dataclass(frozen=True)
class RevokeReplayed:
    """A used code came back: the grant it made is revoked."""
    grant_id: str


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_client_id() -> str:
    """Shaped like Google's (`<number>-<32 characters>.apps.googleusercontent.com`), under our own domain."""
    number = secrets.randbelow(10**12 - 10**11) + 10**11
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
    return f"{number}-{''.join(secrets.choice(alphabet) for _ in range(32))}.apps.chatsvc"


def new_secret() -> str:
    return "CSVC-" + secrets.token_urlsafe(32)


def new_grant_id() -> str:
    return secrets.token_urlsafe(18)


def new_refresh_token() -> str:
    return secrets.token_urlsafe(48)


def _loopback_parts(uri: str) -> tuple[str, str, str] | None:
    """(scheme, host, path) of an http loopback URI, the port left out; None for any other URI."""
    try:
        parts = urlsplit(uri)
        host = parts.hostname or ""
        parts.port  # noqa: B018 - raises for a malformed port
    except ValueError:
        return None
    if parts.scheme != "http" or parts.query or parts.fragment or parts.username or parts.password:
        return None
    if host != "localhost":
        try:
            if not ip_address(host).is_loopback:
                return None
        except ValueError:
            return None
    return parts.scheme, host, parts.path or "/"


def check_redirect_uri(kind: str, uri: str) -> None:
    """A redirect URI a client of this kind may register: an installed app's are http loopback URIs (Google's
    `http://localhost`), a web app's https URIs or http loopback ones, never with a fragment."""
    try:
        parts = urlsplit(uri)
    except ValueError:
        raise InvalidArgument(f"not a URI: {uri!r}") from None
    if parts.fragment or not parts.netloc or parts.username or parts.password:
        raise InvalidArgument(f"a redirect URI needs a host and no fragment or user: {uri!r}")
    loopback = _loopback_parts(uri) is not None
    if kind == INSTALLED and not loopback:
        raise InvalidArgument(f"an installed app redirects to an http loopback address (http://localhost): {uri!r}")
    if kind == WEB and not (parts.scheme == "https" or loopback):
        raise InvalidArgument(f"a web app redirects to an https URI (or http on loopback): {uri!r}")


def normalized_scope(requested: str | None, grantable: frozenset[str], expand: Callable[[str], str]) -> str | None:
    """The requested scopes as full URLs, each once, in the order asked; None when none is asked or any is not
    one this server grants (invalid_scope)."""
    if not requested or not requested.strip():
        return None
    scopes: list[str] = []
    for scope in requested.split():
        full = expand(scope)
        if full not in grantable:
            return None
        if full not in scopes:
            scopes.append(full)
    return " ".join(scopes)


class OAuthGrants:
    """Clients, codes and grants over the database. `code_ttl`: seconds an authorization code lives."""

    def __init__(self, db: Transactions, clock: Clock, *, code_ttl: float = CODE_TTL_SECONDS):
        self._db = db
        self.clock = clock
        self.code_ttl_us = int(code_ttl * 1_000_000)
        self.revoked_hooks: list[Callable[[str], None]] = []  # told of each grant this process revokes

    async def create_client(self, kind: str, name: str, redirect_uris: list[str], app: str) -> tuple[OAuthClient, str]:
        """A new client and its secret (shown this once)."""
        if kind not in KINDS:
            raise InvalidArgument(f"a client is {' or '.join(KINDS)}, not {kind!r}")
        if not redirect_uris or len(redirect_uris) > MAX_REDIRECT_URIS:
            raise InvalidArgument(f"a client needs 1 to {MAX_REDIRECT_URIS} redirect URIs")
        if len(name) > MAX_NAME:
            raise InvalidArgument(f"a client's name has at most {MAX_NAME} characters")
        for uri in redirect_uris:
            check_redirect_uri(kind, uri)
        secret = new_secret()
        client = OAuthClient(id=new_client_id(), kind=kind, name=name, secret_sha256=digest(secret),
                             redirect_uris=tuple(dict.fromkeys(redirect_uris)), app=app, create_time_us=self.clock())
        async with self._db.transaction(write=True) as repos:
            await repos.oauth_server.add_client(client)
        return client, secret

    async def ensure_client(self, client: OAuthClient) -> None:
        """Stores a client chatsvc defines itself (the built-in web client: its codes and grants refer to it) unless
        it is stored already, by this process or another."""
        async with self._db.transaction() as repos:
            if await repos.oauth_server.clients([client.id]):
                return
        try:
            async with self._db.transaction(write=True) as repos:
                await repos.oauth_server.add_client(client)
        except Conflict:
            pass  # another process stored it first

    async def clients(self, client_ids: set[str]) -> dict[str, OAuthClient]:
        ids = sorted(i for i in client_ids if i and len(i) <= 128)
        if not ids:
            return {}
        async with self._db.transaction() as repos:
            return {client.id: client for client in await repos.oauth_server.clients(ids)}

    async def code(self, code: str) -> AuthorizationCode | None:
        async with self._db.transaction() as repos:
            return await repos.oauth_server.code(digest(code))

    async def grant(self, grant_id: str) -> Grant | None:
        async with self._db.transaction() as repos:
            return await repos.oauth_server.grant(grant_id)

    async def grant_by_refresh_token(self, refresh_token: str) -> Grant | None:
        async with self._db.transaction() as repos:
            return await repos.oauth_server.grant_by_refresh(digest(refresh_token))

    async def standing(self, grant_id: str) -> bool:
        return await self._db.run(lambda repos: repos.oauth_server.grant_standing(grant_id))

    async def commit(self, effects: list) -> bool:
        """Writes what one request decided, in one transaction. False when a code it redeems was redeemed first
        (that grant is then revoked, and nothing else is written)."""
        revoked: list[str] = []
        async with self._db.transaction(write=True) as repos:
            store = repos.oauth_server
            now = self.clock()
            outcome = True
            for effect in effects:
                if isinstance(effect, SaveCode):
                    await store.purge_codes(now - _PURGE_AFTER_US)
                    await store.add_code(effect.code)
                elif isinstance(effect, Redeem):
                    if not await store.redeem_code(effect.code_sha256, effect.grant.id, now):
                        used = await store.code(effect.code_sha256)
                        if used is not None and used.grant_id and await store.revoke_grant(used.grant_id, now):
                            revoked.append(used.grant_id)
                        outcome = False
                        break
                    await store.add_grant(effect.grant)
                elif isinstance(effect, Revoke | RevokeReplayed):
                    if await store.revoke_grant(effect.grant_id, now):
                        revoked.append(effect.grant_id)
        for grant_id in revoked:
            for hook in self.revoked_hooks:
                hook(grant_id)
        return outcome


class GrantCheck:
    """Whether the grant an access token names still stands, for the gate. A standing grant is remembered for
    `ttl` seconds (0: the database is asked on every call); a revoked one for good. A revocation made in this
    process is known here at once; one made by another process (or `chatsvc` on the same database) once this
    process's answer is older than `ttl`."""

    _LIMIT = 100_000

    def __init__(self, grants: OAuthGrants, ttl: float, monotonic: Callable[[], float] = time.monotonic):
        self._grants = grants
        self._ttl = ttl
        self._monotonic = monotonic
        self._standing: dict[str, float] = {}  # grant id -> until when its standing is taken as known
        self._revoked: set[str] = set()
        grants.revoked_hooks.append(self.revoked)

    async def standing(self, grant_id: str) -> bool:
        until = self._standing.get(grant_id)
        if until is not None and self._monotonic() < until:
            return True
        if grant_id in self._revoked:
            return False
        standing = await self._grants.standing(grant_id)
        if standing:
            if len(self._standing) >= self._LIMIT:
                self._standing.clear()
            if self._ttl > 0:
                self._standing[grant_id] = self._monotonic() + self._ttl
        else:
            self.revoked(grant_id)
        return standing

    def revoked(self, grant_id: str) -> None:
        self._standing.pop(grant_id, None)
        if len(self._revoked) >= self._LIMIT:
            self._revoked.clear()  # they are still revoked in the database, where the next call looks
        self._revoked.add(grant_id)
