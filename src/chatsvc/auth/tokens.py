"""Bearer tokens: JWTs the server signs itself (HS256), and optionally RS256 tokens from an identity
provider, verified against a JWKS file, and the self-signed JWTs of trusted service-account keys
(chatsvc.auth.service_accounts)."""
from __future__ import annotations

import json
import math
import re
import secrets
import time
from pathlib import Path
from typing import TYPE_CHECKING

import jwt

from chatsvc.auth.scopes import expand_scope
from chatsvc.domain.errors import Unauthenticated
from chatsvc.domain.principal import DEFAULT_APP, AuthKind, Principal

if TYPE_CHECKING:
    from chatsvc.auth.service_accounts import ServiceAccounts

ISSUER = "chatsvc"
AUDIENCE = "chat.googleapis.com"
MAX_TOKEN_BYTES = 8192
LEEWAY_SECONDS = 5
_VERIFIED_LIMIT = 10_000  # tokens remembered as verified; the cache starts over when full
_EMAIL = re.compile(r"^[^@\s/]+@[^@\s/]+$")
_APP_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$")


INVALID_TOKEN_MESSAGE = "The bearer token is not valid."  # one message, whatever is wrong with it
EXPIRED_TOKEN_MESSAGE = "The bearer token has expired."


def invalid_token() -> Unauthenticated:
    return Unauthenticated(INVALID_TOKEN_MESSAGE, reason="INVALID_TOKEN")


def valid_email(value: str) -> bool:
    return bool(_EMAIL.match(value))


def valid_app_name(value: str) -> bool:
    return bool(_APP_NAME.match(value))


class TokenService:
    def __init__(self, signing_key: bytes, *, jwks_file: str | None = None, jwks_issuer: str | None = None,
                 jwks_audience: str | None = None, clock=None, service_accounts: ServiceAccounts | None = None):
        if len(signing_key) < 32:
            raise ValueError("the signing key must be at least 32 bytes")
        self._key = signing_key
        self.clock = clock or _now  # the time tokens are minted and checked at
        self._jwks = _load_jwks(jwks_file) if jwks_file else {}
        # Trusted service-account keys (chatsvc.auth.service_accounts): RS256 tokens with one of their key ids.
        self._service_accounts = service_accounts
        if service_accounts is not None and service_accounts.key_ids & set(self._jwks):
            raise ValueError("a trusted service-account key has the id of a key in the JWKS file")
        # An identity provider names itself and us in its own words.
        self._external = (jwks_issuer or ISSUER, jwks_audience or AUDIENCE)
        # token -> (principal, the time it stops being accepted). A token's signature and claims never change,
        # and one valid now stays valid (nbf and iat only recede) until it expires, so a repeat is answered
        # here; the expiry is still checked on every call.
        self._verified: dict[str, tuple[Principal, float]] = {}
        # Whether an OAuth grant still stands (chatsvc.domain.oauth_grants.GrantCheck, installed by the
        # authorization server): a token naming a grant is refused without it.
        self.grants = None

    def mint(
        self,
        *,
        user: str | None = None,
        app: str | None = None,
        scopes: list[str],
        admin: bool = False,
        ttl: int = 3600,
        email_verified: bool = True,
        grant: str | None = None,
    ) -> str:
        """A token for `--user` (through `--app` or the default app) or, with `--app` alone, for the app."""
        if not user and not app:
            raise ValueError("a token needs a user, an app, or both")
        if user and not valid_email(user):
            raise ValueError(f"not an email address: {user!r}")
        if app and not valid_app_name(app):
            raise ValueError(f"not a valid app name: {app!r} (letters, digits, '.', '_', '-'; at most 63)")
        if not scopes:
            raise ValueError("a token needs at least one scope")
        if admin and not user:
            raise ValueError("administrator privileges belong to a user, not to an app")
        now = int(self.clock())
        claims = {
            "iss": ISSUER,
            "aud": AUDIENCE,
            "sub": user or app,
            "kind": AuthKind.USER.value if user else AuthKind.APP.value,
            "app": app or DEFAULT_APP,
            "scope": " ".join(expand_scope(s) for s in scopes),
            "admin": bool(admin),
            "iat": now,
            "nbf": now,
            "exp": now + int(ttl),
        }
        if not email_verified:
            claims["email_verified"] = False
        if grant:  # issued by the OAuth authorization server: valid only while that grant stands; each one unique
            claims.update(grant=grant, jti=secrets.token_urlsafe(12))
        return jwt.encode(claims, self._key, algorithm="HS256")

    def verify(self, token: str) -> Principal:
        """The principal a bearer token stands for; Unauthenticated for anything else."""
        known = self._verified.get(token)
        if known is not None:
            principal, until = known
            if self.clock() < until:
                return principal
            del self._verified[token]
        principal, until = self._verify(token)  # raises for a bad token: only good ones are remembered
        if len(self._verified) >= _VERIFIED_LIMIT:
            self._verified.clear()
        self._verified[token] = (principal, until)
        return principal

    @property
    def service_accounts(self) -> list:
        """The trusted service-account keys (chatsvc.auth.service_accounts.TrustedKey: public halves only)."""
        return self._service_accounts.keys if self._service_accounts is not None else []

    async def check_grant(self, principal: Principal) -> None:
        """Unauthenticated unless the OAuth grant the principal's token names still stands (a token naming none
        has nothing to check). The gate asks on every call with such a token; the answer may be cached briefly."""
        if principal.grant and (self.grants is None or not await self.grants.standing(principal.grant)):
            raise invalid_token()

    def grant_of(self, token: str) -> str | None:
        """The grant a token of ours names, its signature checked but not its times (an expired access token still
        says which grant to revoke); None for anything else."""
        if not token or len(token) > MAX_TOKEN_BYTES or token.count(".") != 2:
            return None
        try:
            claims = jwt.decode(token, self._key, algorithms=["HS256"], audience=AUDIENCE, issuer=ISSUER,
                                options={"verify_exp": False, "verify_nbf": False, "verify_iat": False})
        except (jwt.InvalidTokenError, ValueError, TypeError):
            return None
        grant = claims.get("grant")
        return grant if isinstance(grant, str) and grant else None

    @property
    def remembered(self) -> int:
        """How many verified tokens are cached."""
        return len(self._verified)

    def _verify(self, token: str) -> tuple[Principal, float]:
        if not token or len(token) > MAX_TOKEN_BYTES:
            raise invalid_token()
        try:
            header = jwt.get_unverified_header(token)
            account_key = self._service_accounts.key_for(header, token) if self._service_accounts else None
            if account_key is not None:
                principal, expires = self._service_accounts.authenticate(token, account_key, self.clock())
                return principal, expires + LEEWAY_SECONDS
            key, algorithms = self._key_for(header)
            external = algorithms == ["RS256"]
            issuer, audience = self._external if external else (ISSUER, AUDIENCE)
            # The times are checked below against our clock, so that the cache and the check agree.
            claims = jwt.decode(
                token,
                key,
                algorithms=algorithms,
                audience=audience,
                issuer=issuer,
                options={"require": ["exp", "iat", "sub", "iss", "aud"], "verify_exp": False,
                         "verify_nbf": False, "verify_iat": False},
            )
            expires = _check_times(claims, self.clock())
        except jwt.ExpiredSignatureError:
            raise Unauthenticated(EXPIRED_TOKEN_MESSAGE, reason="EXPIRED_TOKEN") from None
        except (jwt.InvalidTokenError, ValueError, TypeError):
            raise invalid_token() from None
        return _principal_from(_from_provider(claims) if external else claims), expires + LEEWAY_SECONDS

    def _key_for(self, header: dict):
        alg = header.get("alg")
        if alg == "HS256":
            return self._key, ["HS256"]
        if alg == "RS256" and self._jwks:
            key = self._jwks.get(header.get("kid"))
            if key is None:
                raise jwt.InvalidTokenError("unknown key id")
            return key, ["RS256"]  # the algorithm is tied to the key type: no HS256-with-public-key confusion
        raise jwt.InvalidTokenError("unsupported algorithm")


def _now() -> float:
    return time.time()  # looked up on each call, so that a test may move time.time


def _check_times(claims: dict, now: float) -> float:
    """The token's expiry, once exp, iat and nbf (numbers, as RFC 7519 has them) say it is usable `now`."""
    times = {name: claims[name] for name in ("exp", "iat", "nbf") if name in claims}
    if any(isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value)
           for value in times.values()):
        raise jwt.InvalidTokenError("a time claim is not a number")
    if now >= times["exp"] + LEEWAY_SECONDS:
        raise jwt.ExpiredSignatureError("expired")
    if times["iat"] > now + LEEWAY_SECONDS or times.get("nbf", 0) > now + LEEWAY_SECONDS:
        raise jwt.InvalidTokenError("not valid yet")
    return times["exp"]


def _from_provider(claims: dict) -> dict:
    """An identity provider's claims in our shape: a user unless `kind` says app, the user's address from
    `email` when present, and short scope names expanded."""
    mapped = dict(claims)
    mapped.pop("grant", None)  # only our own authorization server's tokens name a grant
    mapped.setdefault("kind", AuthKind.USER.value)
    if mapped["kind"] == AuthKind.USER.value and isinstance(claims.get("email"), str):
        mapped["sub"] = claims["email"]
    if isinstance(claims.get("email_verified"), str):  # some providers send "true" / "false"
        mapped["email_verified"] = claims["email_verified"].lower() == "true"
    if isinstance(claims.get("scope"), str):
        mapped["scope"] = " ".join(expand_scope(s) for s in claims["scope"].split())
    return mapped


def _principal_from(claims: dict) -> Principal:
    kind, sub, app, scope, admin = (claims.get(k) for k in ("kind", "sub", "app", "scope", "admin"))
    verified, grant = claims.get("email_verified", True), claims.get("grant", "")
    if kind not in (AuthKind.USER.value, AuthKind.APP.value) or not isinstance(sub, str):
        raise invalid_token()
    if (not isinstance(scope, str) or not isinstance(admin, (bool, type(None)))
            or not isinstance(verified, bool) or not isinstance(grant, str)):
        raise invalid_token()
    app = app if isinstance(app, str) and app else DEFAULT_APP
    if kind == AuthKind.USER.value:
        if not valid_email(sub) or not valid_app_name(app):
            raise invalid_token()
        return Principal(AuthKind.USER, email=sub.lower(), app=app, scopes=frozenset(scope.split()), admin=bool(admin),
                         email_verified=verified, grant=grant)
    if not valid_app_name(sub) or admin:
        raise invalid_token()
    return Principal(AuthKind.APP, app=sub, scopes=frozenset(scope.split()))


def _load_jwks(path: str) -> dict[str, object]:
    """kid -> RSA public key, from a JWKS file. Keys without a kid or of another type are refused."""
    jwks = json.loads(Path(path).read_text())
    keys = {}
    for jwk in jwks.get("keys", []):
        if jwk.get("kty") != "RSA" or not jwk.get("kid"):
            raise ValueError(f"{path}: only RSA keys with a kid are accepted")
        keys[jwk["kid"]] = jwt.PyJWK(jwk, algorithm="RS256").key
    return keys
