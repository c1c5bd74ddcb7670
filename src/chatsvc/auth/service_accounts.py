"""App authentication with a Google service-account key: the tokens Google's auth libraries make from a key file
that `chatsvc serve --trust-service-account FILE` trusts.

- Self-signed JWTs, sent as bearer tokens (google-auth's `always_use_jwt_access`, which the gapic clients turn on;
  AIP-4111): RS256, header `kid` = the file's `private_key_id`, `iss` = `sub` = its `client_email`, `iat` and `exp`
  at most an hour apart, and either a `scope` claim (then no `aud`, or an API audience) or an `aud` of the API
  (`https://chat.googleapis.com/`, or the HTTP endpoint's public URL: google-api-python-client takes it from the
  discovery document's rootUrl) with no scope, which grants `chat.bot`, the scope of Chat's app authentication.
  TokenService.verify hands them here (`owns`), so its cache and its one error message apply to them too.
- The JWT-bearer grant (RFC 7523) at the token endpoint (chatsvc.http.token_endpoint): the same key and times, no
  `sub` or `sub` = `client_email` (no domain-wide delegation), `aud` = a token endpoint (google-auth and Node's
  gtoken always write Google's, `https://oauth2.googleapis.com/token`, whatever the file's `token_uri`; other
  libraries write the `token_uri`, which may be ours), and a `scope` claim; what is granted is those scopes that
  some method of ours accepts.

The caller is the Chat app of the service account, named after its email (`app_name_for`) unless
`--service-account-app EMAIL=APP` names it. Signatures are checked with the public half of the key only: the
private key is read once at start-up to derive it, and nothing of it is kept or logged.
"""
from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from chatsvc.auth.scopes import all_rules, expand_scope
from chatsvc.auth.tokens import _check_times, valid_app_name, valid_email
from chatsvc.domain.principal import AuthKind, Principal

log = logging.getLogger("chatsvc.auth")

# Where Google's libraries send (and address) the JWT-bearer assertion: its current token endpoint and two older
# ones that libraries still name.
GOOGLE_TOKEN_URIS = frozenset({"https://oauth2.googleapis.com/token", "https://www.googleapis.com/oauth2/v4/token",
                               "https://accounts.google.com/o/oauth2/token"})
# The audience a self-signed JWT names Chat's API with (google-api-python-client: the discovery rootUrl).
CHAT_AUDIENCES = frozenset({"https://chat.googleapis.com/", "https://chat.googleapis.com"})
TOKEN_PATH = "/token"
DEFAULT_SCOPE = expand_scope("chat.bot")  # a self-signed JWT with an audience and no scope
MAX_LIFETIME_SECONDS = 3600  # Google's limit for both kinds of JWT: exp at most an hour after iat
JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"
# Every scope some method of ours accepts: what the token endpoint may grant.
KNOWN_SCOPES = frozenset(expand_scope(scope) for rule in all_rules() for scope in rule.scopes)
_SERVICE_ACCOUNT_DOMAIN = ".iam.gserviceaccount.com"
# Signature and shape only: the times, issuer and audience are checked below, against our clock and the key.
_DECODE_OPTIONS = {"require": ["exp", "iat", "iss"], "verify_exp": False, "verify_nbf": False, "verify_iat": False,
                   "verify_aud": False, "verify_iss": False}


@dataclass(frozen=True, slots=True)
class TrustedKey:
    """What is kept of a key file: the account's email, the key's id and public half, and the app it acts as."""
    client_email: str
    private_key_id: str
    public_key: rsa.RSAPublicKey
    app: str


class GrantRefused(Exception):
    """An RFC 6749 error of the token endpoint: `error` and `error_description` as Google words them."""

    def __init__(self, error: str, description: str):
        super().__init__(f"{error}: {description}")
        self.error = error
        self.description = description


_BAD_SIGNATURE = ("invalid_grant", "Invalid JWT Signature.")
_NO_ACCOUNT = ("invalid_grant", "Invalid grant: account not found")
_BAD_TIMES = ("invalid_grant", "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable "
                               "timeframe. Check your iat and exp values in the JWT claim.")
_BAD_SCOPE = ("invalid_scope", "Invalid OAuth scope or ID token audience provided.")
_DELEGATION = ("unauthorized_client", "Client is unauthorized to retrieve access tokens using this method, or "
                                      "client not authorized for any of the scopes requested.")


def app_name_for(client_email: str) -> str:
    """The Chat app a service account is: `chat-app@my-project.iam.gserviceaccount.com` -> `chat-app.my-project`;
    another domain is kept whole (`bot@example.com` -> `bot.example.com`). Characters an app name cannot hold
    become `-`; a name longer than 63 is cut to 54 and given `-` and 8 hex digits of the email's SHA-256."""
    local, _, domain = client_email.lower().partition("@")
    name = re.sub(r"[^a-z0-9._-]", "-", f"{local}.{domain.removesuffix(_SERVICE_ACCOUNT_DOMAIN)}")
    if not valid_app_name(name):
        name = f"{name.lstrip('._-')[:54]}-{hashlib.sha256(client_email.encode()).hexdigest()[:8]}"
    return name


def load_key_file(path: str | Path) -> TrustedKey:
    """A Google service-account key file -> its TrustedKey, as the app named after its email. The private key is
    read only to derive the public one; errors name the file and never quote it."""
    try:
        data = json.loads(Path(path).read_text())
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(f"{path}: cannot read a service-account key file ({type(error).__name__})") from None
    if not isinstance(data, dict) or data.get("type") != "service_account":
        raise ValueError(f"{path}: not a service-account key file (`type` must be `service_account`)")
    email, key_id, pem = data.get("client_email"), data.get("private_key_id"), data.get("private_key")
    if not isinstance(email, str) or not valid_email(email):
        raise ValueError(f"{path}: `client_email` is not an email address")
    if not isinstance(key_id, str) or not key_id.strip() or len(key_id) > 256:
        raise ValueError(f"{path}: `private_key_id` is missing")
    if not isinstance(pem, str):
        raise ValueError(f"{path}: `private_key` is missing")
    try:
        private = serialization.load_pem_private_key(pem.encode(), password=None)
    except (ValueError, TypeError):
        raise ValueError(f"{path}: `private_key` is not an unencrypted PEM private key") from None
    finally:
        del pem, data  # nothing of the private key outlives this function
    if not isinstance(private, rsa.RSAPrivateKey):
        raise ValueError(f"{path}: `private_key` is not an RSA key (Google's keys are RSA; tokens are RS256)")
    public = private.public_key()
    del private
    return TrustedKey(email, key_id, public, app_name_for(email))


def parse_app_mappings(mappings: Iterable[str]) -> dict[str, str]:
    """`EMAIL=APP` settings -> {email: app}."""
    found = {}
    for mapping in mappings:
        email, sep, app = mapping.partition("=")
        email, app = email.strip(), app.strip()
        if not sep or not valid_email(email) or not valid_app_name(app):
            raise ValueError(f"--service-account-app {mapping!r}: expected EMAIL=APP, APP of letters, digits, "
                             "'.', '_', '-' (at most 63)")
        found[email] = app
    return found


class ServiceAccounts:
    """The trusted keys, by key id; verifies the self-signed JWTs and the JWT-bearer assertions they sign."""

    def __init__(self, keys: Iterable[TrustedKey], public_url: str | None = None):
        self._by_kid: dict[str, TrustedKey] = {}
        for key in keys:
            known = self._by_kid.get(key.private_key_id)
            if known is not None and known != key:
                raise ValueError(f"two trusted service-account keys have the id {key.private_key_id}")
            self._by_kid[key.private_key_id] = key
        # The HTTP endpoint's base URL as clients reach it; set once it listens (chatsvc.app).
        self.public_url = public_url

    @classmethod
    def from_files(cls, paths: Iterable[str], app_mappings: Iterable[str] = ()) -> ServiceAccounts:
        apps = parse_app_mappings(app_mappings)
        keys = [load_key_file(path) for path in paths]
        keys = [replace(key, app=apps.get(key.client_email, key.app)) for key in keys]
        unused = set(apps) - {key.client_email for key in keys}
        if unused:
            raise ValueError(f"--service-account-app names {', '.join(sorted(unused))}, whose key file is not trusted")
        return cls(keys)

    @property
    def keys(self) -> list[TrustedKey]:
        return list(self._by_kid.values())

    @property
    def key_ids(self) -> frozenset[str]:
        return frozenset(self._by_kid)

    def key_for(self, header: dict, token: str) -> TrustedKey | None:
        """The trusted key a token (by its unverified header) is for us to verify with, or None when it is not
        ours: RS256 with a trusted key's id, or with no id and the `iss` of an account with one trusted key (Node's
        google-auth-library signs a key given as `credentials: {client_email, private_key}` without a kid)."""
        if header.get("alg") != "RS256":
            return None
        kid = header.get("kid")
        if isinstance(kid, str):
            return self._by_kid.get(kid)
        if kid is not None:
            return None
        try:
            issuer = jwt.decode(token, options={"verify_signature": False}).get("iss")
        except (jwt.InvalidTokenError, ValueError, TypeError):
            return None
        found = [key for key in self._by_kid.values() if key.client_email == issuer]
        return found[0] if len(found) == 1 else None

    # --- self-signed JWTs (bearer tokens) ---------------------------------------------------------------------

    def authenticate(self, token: str, key: TrustedKey, now: float) -> tuple[Principal, float]:
        """The app principal of a self-signed JWT (signed with `key`, from key_for) and its expiry;
        jwt.InvalidTokenError (ExpiredSignatureError when expired) for anything else. TokenService turns those into
        UNAUTHENTICATED."""
        claims = jwt.decode(token, key.public_key, algorithms=["RS256"], options=_DECODE_OPTIONS)
        if claims["iss"] != key.client_email or claims.get("sub") != key.client_email:
            raise jwt.InvalidTokenError("not the key's service account")
        expires = _times(claims, now)
        scopes = _scopes(claims)
        if "aud" in claims and claims["aud"] not in self._api_audiences():
            raise jwt.InvalidTokenError("not addressed to this API")  # e.g. an assertion meant for a token endpoint
        if not scopes:
            if "aud" not in claims:
                raise jwt.InvalidTokenError("neither a scope nor an audience")
            scopes = {DEFAULT_SCOPE}
        return Principal(AuthKind.APP, app=key.app, scopes=frozenset(scopes)), expires

    def _api_audiences(self) -> frozenset[str]:
        if not self.public_url:
            return CHAT_AUDIENCES
        base = self.public_url.rstrip("/")
        return CHAT_AUDIENCES | {base, base + "/"}

    # --- the JWT-bearer grant (the token endpoint) ------------------------------------------------------------

    def token_url(self) -> str | None:
        return self.public_url.rstrip("/") + TOKEN_PATH if self.public_url else None

    def exchange(self, assertion: str, now: float) -> tuple[TrustedKey, frozenset[str]]:
        """The key an assertion is signed with and the scopes to grant; GrantRefused for anything else."""
        try:
            header = jwt.get_unverified_header(assertion)
            unverified = jwt.decode(assertion, options={"verify_signature": False})
        except (jwt.InvalidTokenError, ValueError, TypeError):
            raise GrantRefused(*_BAD_SIGNATURE) from None
        if header.get("alg") != "RS256":  # `none`, HS256 with the public key as secret, ...
            raise GrantRefused(*_BAD_SIGNATURE)
        key = self._key_of(header.get("kid"), unverified.get("iss"))
        try:
            claims = jwt.decode(assertion, key.public_key, algorithms=["RS256"], options=_DECODE_OPTIONS)
        except jwt.InvalidSignatureError:
            raise GrantRefused(*_BAD_SIGNATURE) from None
        except (jwt.InvalidTokenError, ValueError, TypeError):  # a required claim missing or of the wrong type
            raise GrantRefused(*_BAD_TIMES) from None
        if claims["iss"] != key.client_email:
            raise GrantRefused(*_NO_ACCOUNT)
        if "sub" in claims and claims["sub"] != key.client_email:  # domain-wide delegation: not offered
            raise GrantRefused(*_DELEGATION)
        audiences = GOOGLE_TOKEN_URIS | ({self.token_url()} if self.token_url() else set())
        if claims.get("aud") not in audiences:
            raise GrantRefused("invalid_grant", "Invalid JWT: Failed audience check. The right audience is "
                                                f"{self.token_url() or min(GOOGLE_TOKEN_URIS)}")
        try:
            _times(claims, now)
            scopes = _scopes(claims) & KNOWN_SCOPES
        except jwt.ExpiredSignatureError:
            raise GrantRefused(*_BAD_TIMES) from None
        except jwt.InvalidTokenError as error:
            raise GrantRefused(*(_BAD_SCOPE if isinstance(error, _ScopeError) else _BAD_TIMES)) from None
        if not scopes:
            raise GrantRefused(*_BAD_SCOPE)
        return key, frozenset(scopes)

    def _key_of(self, kid, iss) -> TrustedKey:
        """The trusted key a header's kid names (for the claimed account), else the account's one key when the
        header names none (Node's gtoken writes no kid)."""
        if isinstance(kid, str) and kid in self._by_kid:
            return self._by_kid[kid]
        if kid is None and isinstance(iss, str):
            found = [key for key in self._by_kid.values() if key.client_email == iss]
            if len(found) == 1:
                return found[0]
            if found:  # several keys of one account and no kid: which one signed is not said
                raise GrantRefused(*_BAD_SIGNATURE)
        raise GrantRefused(*_NO_ACCOUNT)


class _ScopeError(jwt.InvalidTokenError):
    pass


def _times(claims: dict, now: float) -> float:
    """The expiry, once the times say the token is usable now and lives at most an hour."""
    expires = _check_times(claims, now)
    if expires - claims["iat"] > MAX_LIFETIME_SECONDS:
        raise jwt.InvalidTokenError("lives longer than an hour")
    return expires


def _scopes(claims: dict) -> set[str]:
    """The `scope` claim's scopes, full URLs; none when absent or empty."""
    scope = claims.get("scope")
    if scope is None:
        return set()
    if not isinstance(scope, str):
        raise _ScopeError("scope is not a string")
    return {expand_scope(s) for s in scope.split()}

