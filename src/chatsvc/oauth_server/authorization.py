"""chatsvc's OAuth 2.0 authorization server: Authlib's AuthorizationServer, AuthorizationCodeGrant with
CodeChallenge (PKCE), RefreshTokenGrant and RevocationEndpoint (RFC 7009), fed from our storage.

How Authlib, which is synchronous, meets an async database: gather, decide, write.
1. Gather (async, chatsvc.oauth_server.http): before Authlib sees a request, everything it may ask about that
   request is read: the clients it names (by `client_id` in the query, the form or HTTP Basic), the authorization
   code it presents, and the grant its refresh token, or the token to revoke, belongs to (codes and refresh tokens
   are looked up by their SHA-256). That is an `Exchange`.
2. Decide (sync, here): Authlib runs on the event loop's thread, over the Exchange alone (bound in a context
   variable for the duration of the call): its `query_client`, `query_authorization_code`,
   `authenticate_refresh_token` and `query_token` hooks answer from it, and its writes (`save_authorization_code`,
   `save_token`, `revoke_token`) are recorded in it as effects. No I/O happens in this step, so it is short and
   cannot interleave with another request: Authlib's checks and error responses stay Authlib's.
3. Write (async): a successful response's effects are committed in one transaction (OAuthGrants.commit) before
   the response is sent. Every write that a concurrent request could invalidate is conditional there: a code
   is redeemed only while unused and unexpired, so of two requests that both found it usable one gets the
   tokens and the other `invalid_grant` (and the grant the code made is revoked, as for any replay).
A thread running Authlib against the database was the alternative: it would hold a connection across the
whole protocol exchange and needs a sync facade over the async engine; the snapshot is simpler and keeps the
one event loop the only thread.

Access tokens are the server's own signed JWTs (TokenService.mint) with a `grant` claim; refresh tokens are
random strings stored hashed. Errors are rewritten to Google's token-endpoint shapes by `google_error`.
"""
from __future__ import annotations

import contextvars
import hmac
import re
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from authlib.oauth2 import OAuth2Error
from authlib.oauth2.rfc6749 import (
    AuthorizationCodeMixin,
    AuthorizationServer,
    ClientMixin,
    InvalidRequestError,
    OAuth2Payload,
    OAuth2Request,
    TokenMixin,
    grants,
)
from authlib.oauth2.rfc7009 import RevocationEndpoint
from authlib.oauth2.rfc7636 import CodeChallenge

from chatsvc.auth.scopes import expand_scope
from chatsvc.auth.tokens import TokenService
from chatsvc.domain.oauth_grants import (
    AuthorizationCode,
    Grant,
    OAuthClient,
    Redeem,
    Revoke,
    SaveCode,
    digest,
    new_grant_id,
    new_refresh_token,
    normalized_scope,
)

ACCESS_TOKEN_SECONDS = 3600
TOKEN_POSSESSION = "token_possession"  # how Google's revocation endpoint knows the client: by the token it holds


@dataclass
class User:
    email: str

    def get_user_id(self) -> str:
        return self.email


@dataclass
class Exchange:
    """What one request's run of Authlib reads (gathered before) and writes (committed after)."""
    now_us: int
    clients: dict[str, OAuthClient] = field(default_factory=dict)
    code: AuthorizationCode | None = None  # the one the request presents, if stored
    grant: Grant | None = None  # the one its refresh token, or the token to revoke, belongs to
    token: str = ""  # the refresh token or token to revoke that `grant` was found by
    effects: list = field(default_factory=list)
    replayed_grant: str | None = None  # a used code came back: the grant it made
    refresh_token: str | None = None  # the one being issued
    new_grant: str | None = None


_CURRENT: contextvars.ContextVar[Exchange] = contextvars.ContextVar("chatsvc_oauth_exchange")


def _current() -> Exchange:
    return _CURRENT.get()


@contextmanager
def bound(exchange: Exchange) -> Iterator[Exchange]:
    token = _CURRENT.set(exchange)
    try:
        yield exchange
    finally:
        _CURRENT.reset(token)


class _Payload(OAuth2Payload):
    def __init__(self, values):
        self._values = values  # a multidict: query, form, or both

    @property
    def data(self) -> dict:
        return {key: self._values[key] for key in self._values}

    @property
    def datalist(self) -> defaultdict[str, list]:
        found: defaultdict[str, list] = defaultdict(list)
        for key, value in self._values.items():
            found[key].append(value)
        return found


class HttpRequest(OAuth2Request):
    """An HTTP request as Authlib reads it. `uri` is the public URL it was made to (Authlib refuses plain http
    anywhere but loopback); `payload` the parameters of the OAuth request (the query of an authorization request,
    the form of a token request); `form` what the token and revocation endpoints read."""

    def __init__(self, method: str, uri: str, headers, query, form, payload):
        super().__init__(method, uri, headers=headers)
        self._query = query
        self._form = form
        self.payload = _Payload(payload)

    @property
    def args(self):
        return self._query

    @property
    def form(self):
        return self._form


class Client(ClientMixin):
    def __init__(self, client: OAuthClient, grantable: frozenset[str]):
        self.model = client
        self._grantable = grantable

    def get_client_id(self) -> str:
        return self.model.id

    def get_default_redirect_uri(self) -> None:
        return None  # as Google: every authorization request names its redirect URI

    def get_allowed_scope(self, scope: str | None) -> str | None:
        return normalized_scope(scope, self._grantable, expand_scope)

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return self.model.redirect_allowed(redirect_uri)

    def check_client_secret(self, client_secret: str) -> bool:
        return self.model.secret_matches(client_secret)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        if method in ("client_secret_basic", "client_secret_post"):
            return True
        if endpoint == "token":
            return method == "none" and self.model.public  # an installed app's PKCE stands in for its secret
        return method == TOKEN_POSSESSION and endpoint == "revocation"

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type in ("authorization_code", "refresh_token")


class Code(AuthorizationCodeMixin):
    def __init__(self, code: AuthorizationCode):
        self.model = code
        self.code_challenge = code.code_challenge or None
        self.code_challenge_method = code.code_challenge_method or None

    def get_redirect_uri(self) -> str:
        return self.model.redirect_uri

    def get_scope(self) -> str:
        return self.model.scope


class GrantToken(TokenMixin):
    """A grant, as the refresh token or the revoked token that names it."""

    def __init__(self, grant: Grant):
        self.model = grant

    def check_client(self, client: Client) -> bool:
        return client.get_client_id() == self.model.client_id

    def get_scope(self) -> str:
        return self.model.scope

    def is_revoked(self) -> bool:
        return not self.model.standing


class RedirectUriMismatch(OAuth2Error):
    error = "redirect_uri_mismatch"  # Google's answer to a code redeemed with another redirect URI


class InvalidToken(OAuth2Error):
    error = "invalid_token"  # Google's revocation endpoint, for a token it does not know (or no longer)


class CodeGrant(grants.AuthorizationCodeGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post", "none"]

    def save_authorization_code(self, code: str, request: OAuth2Request) -> None:
        exchange = _current()
        data = request.payload.data
        exchange.effects.append(SaveCode(AuthorizationCode(
            code_sha256=digest(code), client_id=request.client.get_client_id(), user_email=request.user.email,
            redirect_uri=request.payload.redirect_uri, scope=request.scope,
            code_challenge=data.get("code_challenge") or "",
            code_challenge_method=data.get("code_challenge_method") or "",
            offline=data.get("access_type") == "offline", create_time_us=exchange.now_us,
            expire_time_us=exchange.now_us + self.server.code_ttl_us)))

    def query_authorization_code(self, code: str, client: Client) -> Code | None:
        exchange = _current()
        found = exchange.code
        if found is None or not hmac.compare_digest(found.code_sha256, digest(code)):
            return None
        if found.client_id != client.get_client_id():
            return None
        if found.grant_id:
            exchange.replayed_grant = found.grant_id
            return None
        if not found.usable(exchange.now_us):
            return None
        if self.request.payload.redirect_uri != found.redirect_uri:
            raise RedirectUriMismatch("Bad Request")
        return Code(found)

    def delete_authorization_code(self, authorization_code: Code) -> None:
        pass  # redeemed by the Redeem effect save_token recorded, in the transaction that stores the grant

    def authenticate_user(self, authorization_code: Code) -> User:
        return User(authorization_code.model.user_email)


class RefreshGrant(grants.RefreshTokenGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post", "none"]
    INCLUDE_NEW_REFRESH_TOKEN = False  # Google keeps the refresh token: refreshing does not rotate it

    def authenticate_refresh_token(self, refresh_token: str) -> GrantToken | None:
        grant = _current().grant
        if grant is None or not grant.standing or not grant.refresh_sha256:
            return None
        if not hmac.compare_digest(grant.refresh_sha256, digest(refresh_token)):
            return None
        return GrantToken(grant)

    def authenticate_user(self, refresh_token: GrantToken) -> User:
        return User(refresh_token.model.user_email)

    def revoke_old_credential(self, refresh_token: GrantToken) -> None:
        pass  # kept, as above


class Pkce(CodeChallenge):
    """RFC 7636 as Authlib checks it, with S256 only, and required of installed (public) clients."""

    SUPPORTED_CODE_CHALLENGE_METHOD = ["S256"]

    def validate_code_challenge(self, grant, redirect_uri) -> None:
        super().validate_code_challenge(grant, redirect_uri)
        data = grant.request.payload.data
        challenge = data.get("code_challenge")
        if challenge and data.get("code_challenge_method") != "S256":
            raise InvalidRequestError("Invalid code_challenge_method: only S256 is supported.")
        if not challenge and grant.request.client.model.public:
            raise InvalidRequestError("Missing required parameter: code_challenge (PKCE with S256).")


class Revocation(RevocationEndpoint):
    CLIENT_AUTH_METHODS = ["client_secret_basic", "client_secret_post", TOKEN_POSSESSION]

    def authenticate_endpoint_client(self, request):
        exchange = _current()
        if exchange.grant is None or not exchange.grant.standing:
            raise InvalidToken("Token expired or revoked")
        return super().authenticate_endpoint_client(request)

    def query_token(self, token_string: str, token_type_hint: str | None) -> GrantToken | None:
        exchange = _current()
        if exchange.grant is None or not exchange.grant.standing or token_string != exchange.token:
            return None
        return GrantToken(exchange.grant)

    def authenticate_token(self, request, client):
        token = super().authenticate_token(request, client)
        if token is None:
            raise InvalidToken("Token expired or revoked")
        return token

    def revoke_token(self, token: GrantToken, request) -> None:
        _current().effects.append(Revoke(token.model.id))  # the whole grant: refresh and access tokens alike


def _by_token_possession(query_client, request):
    grant = _current().grant
    if grant is not None and grant.standing:
        return query_client(grant.client_id)
    return None


class Server(AuthorizationServer):
    def __init__(self, tokens: TokenService, grantable: frozenset[str], *, access_token_seconds: int,
                 code_ttl_us: int):
        super().__init__(scopes_supported=None)  # scopes are checked per client (Client.get_allowed_scope)
        self.tokens = tokens
        self.grantable = grantable
        self.access_token_seconds = access_token_seconds
        self.code_ttl_us = code_ttl_us
        self.register_token_generator("default", self._generate)
        self.register_grant(CodeGrant, [Pkce(required=True)])
        self.register_grant(RefreshGrant)
        self.register_endpoint(Revocation)
        self.register_client_auth_method(TOKEN_POSSESSION, _by_token_possession)

    def query_client(self, client_id: str) -> Client | None:
        found = _current().clients.get(client_id) if isinstance(client_id, str) else None
        return Client(found, self.grantable) if found else None

    def save_token(self, token: dict, request: OAuth2Request) -> None:
        exchange = _current()
        if request.payload.grant_type != "authorization_code":
            return  # a refresh writes nothing: the grant and its refresh token stay as they are
        refresh = token.get("refresh_token")
        exchange.effects.append(Redeem(exchange.code.code_sha256, Grant(
            id=exchange.new_grant, client_id=request.client.get_client_id(), user_email=request.user.email,
            scope=token["scope"], refresh_sha256=digest(refresh) if refresh else None,
            create_time_us=exchange.now_us)))

    def _generate(self, grant_type, client, user=None, scope=None, expires_in=None, include_refresh_token=True):
        exchange = _current()
        scope = normalized_scope(scope, self.grantable, expand_scope) or ""
        if grant_type == "authorization_code":
            grant_id = exchange.new_grant = new_grant_id()
            refresh = include_refresh_token and exchange.code is not None and exchange.code.offline
        else:
            grant_id, refresh = exchange.grant.id, False
        token = {
            "access_token": self.tokens.mint(user=user.email, app=client.model.app, scopes=scope.split(),
                                             ttl=self.access_token_seconds, grant=grant_id),
            "expires_in": self.access_token_seconds,
            "scope": scope,
            "token_type": "Bearer",
        }
        if refresh:
            token["refresh_token"] = exchange.refresh_token = new_refresh_token()
        return token

    def create_oauth2_request(self, request: OAuth2Request) -> OAuth2Request:
        return request  # the aiohttp adapter made it

    def handle_response(self, status: int, body, headers) -> tuple[int, object, list]:
        return status, body, headers

    def send_signal(self, name, *args, **kwargs) -> None:
        pass


# Google's token endpoint's words for Authlib's errors (oauth2.googleapis.com/token).
_MISSING = re.compile(r"^Missing '(\w+)'")


def google_error(status: int, body: dict, headers: list, grant_type: str | None) -> tuple[int, dict, list]:
    """An error from the token or revocation endpoint in Google's shape: the same `error` codes, Google's
    `error_description`s, and 401 for a client that failed to authenticate."""
    error = body.get("error", "invalid_request")
    description = body.get("error_description", "")
    if error == "invalid_grant":
        description = "Token has been expired or revoked." if grant_type == "refresh_token" else "Bad Request"
    elif error == "invalid_client":
        status = 401
        description = "The OAuth client was not found." if "does not exist" in description else "Unauthorized"
    elif error == "unsupported_grant_type":
        description = f"Invalid grant_type: {grant_type or ''}"
    elif error == "invalid_request" and (missing := _MISSING.match(description)):
        description = f"Missing required parameter: {missing.group(1)}"
    elif error in ("invalid_scope", "unauthorized_client", "redirect_uri_mismatch") or not description:
        description = "Bad Request"
    headers = [(k, v) for k, v in headers if k.lower() != "www-authenticate"]
    return status, {"error": error, "error_description": description}, headers
