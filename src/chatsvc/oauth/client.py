"""One provider's OAuth 2.0 client (Authlib over httpx): consent URLs, code exchange, refresh, revocation
and the bearer-authenticated API reads. Transport and provider failures become domain errors here."""
from __future__ import annotations

import logging
import time
import urllib.parse
import warnings
from contextlib import asynccontextmanager

import httpx
from authlib.integrations.base_client.errors import OAuthError

with warnings.catch_warnings():
    # Authlib warns, on import and to stderr, that it would rather use its `httpx2` fork; plain httpx is
    # what we depend on and what it supports.
    warnings.simplefilter("ignore", DeprecationWarning)
    from authlib.integrations.httpx_client import AsyncOAuth2Client

from chatsvc.domain.credential_models import TokenSet
from chatsvc.domain.errors import DeadlineExceeded, FailedPrecondition, InvalidArgument, Unavailable
from chatsvc.oauth.endpoints import ProviderEndpoints

log = logging.getLogger("chatsvc.oauth")


def _token_set(token: dict, previous_refresh: str = "") -> TokenSet:
    expires_at = token.get("expires_at") or (time.time() + float(token["expires_in"]) if token.get("expires_in")
                                             else 0)
    return TokenSet(access_token=token.get("access_token", ""),
                    # a refresh response may omit the refresh token: the old one stays valid
                    refresh_token=token.get("refresh_token") or previous_refresh,
                    expires_at_us=int(float(expires_at) * 1_000_000),
                    scopes=tuple(str(token.get("scope", "")).split()))


class ProviderClient:
    def __init__(self, name: str, endpoints: ProviderEndpoints, timeout: float):
        self.name = name
        self.endpoints = endpoints
        self._timeout = timeout

    def _client(self, **kwargs) -> AsyncOAuth2Client:
        return AsyncOAuth2Client(client_id=self.endpoints.client_id, client_secret=self.endpoints.client_secret,
                                 token_endpoint_auth_method="client_secret_post", timeout=self._timeout, **kwargs)

    def consent_url(self, *, scopes: list[str], state: str, redirect_uri: str, extra: dict[str, str],
                    order: tuple[str, ...] = ()) -> str:
        """Authlib builds the request; its parameters are then laid out in `order` and %20-encoded, the way
        the original API presents consent URLs (so they compare byte for byte)."""
        client = self._client(scope=" ".join(scopes), redirect_uri=redirect_uri)
        url, _ = client.create_authorization_url(self.endpoints.authorize_url, state=state, **extra)
        parts = urllib.parse.urlsplit(url)
        params = dict(urllib.parse.parse_qsl(parts.query, keep_blank_values=True))
        params.setdefault("redirect_uri", redirect_uri)  # Authlib drops an empty one; the original keeps it
        names = [n for n in order if n in params] + [n for n in params if n not in order]
        query = urllib.parse.urlencode([(n, params[n]) for n in names], quote_via=urllib.parse.quote)
        return urllib.parse.urlunsplit(parts._replace(query=query))

    async def exchange(self, code: str, redirect_uri: str) -> TokenSet:
        async with self._calls("token exchange", bad_grant_field="code"):
            async with self._client(redirect_uri=redirect_uri) as client:
                token = await client.fetch_token(self.endpoints.token_url, grant_type="authorization_code", code=code)
        return _token_set(token)

    async def refresh(self, refresh_token: str) -> TokenSet:
        async with self._calls("token refresh"):
            async with self._client() as client:
                token = await client.refresh_token(self.endpoints.token_url, refresh_token=refresh_token)
        return _token_set(token, refresh_token)

    async def revoke(self, tokens: TokenSet, *, bearer: bool) -> None:
        """RFC 7009 revocation of the refresh (else access) token; `bearer`: a provider that instead takes an
        authenticated POST (Microsoft's revokeSignInSessions)."""
        async with self._calls("revocation"):
            if bearer:
                async with self._client(token={"access_token": tokens.access_token, "token_type": "Bearer"}) as c:
                    response = await c.post(self.endpoints.revoke_url)
            else:
                token = tokens.refresh_token or tokens.access_token
                hint = "refresh_token" if tokens.refresh_token else "access_token"
                async with self._client() as client:
                    response = await client.revoke_token(self.endpoints.revoke_url, token=token,
                                                         token_type_hint=hint)
            # 400 invalid_token: already revoked or expired at the provider, which is what we wanted.
            if response.status_code >= 500 or response.status_code in (401, 403, 429):
                response.raise_for_status()

    async def get_json(self, url: str, access_token: str, what: str) -> dict:
        async with self._calls(what):
            async with self._client(token={"access_token": access_token, "token_type": "Bearer"}) as client:
                response = await client.get(url)
            if response.status_code in (401, 403):
                raise FailedPrecondition(f"{self._title} refused access to the {what}; connect the account again.",
                                         reason="PROVIDER_ACCESS_DENIED", metadata={"provider": self.name})
            response.raise_for_status()
            body = response.json()
        if not isinstance(body, dict):
            raise Unavailable(f"{self._title} sent an unreadable {what}.", reason="PROVIDER_BAD_RESPONSE",
                              metadata={"provider": self.name})
        return body

    @property
    def _title(self) -> str:
        return self.name.capitalize()

    @asynccontextmanager
    async def _calls(self, what: str, *, bad_grant_field: str = ""):
        """Provider failures as errors a caller can act on; nothing of the provider's reply (which may hold
        tokens) is logged or returned."""
        meta = {"provider": self.name}
        try:
            yield
        except OAuthError as error:
            if error.error == "invalid_grant" and bad_grant_field:
                raise InvalidArgument.field(bad_grant_field, f"{self._title} rejected the authorization code "
                                            "(expired, used or wrong); start the consent again",
                                            reason="PROVIDER_INVALID_GRANT") from None
            if error.error == "invalid_grant":
                raise FailedPrecondition(f"{self._title} no longer accepts this credential; connect it again.",
                                         reason="PROVIDER_INVALID_GRANT", metadata=meta) from None
            log.warning("%s %s failed: %s", self.name, what, error.error)
            raise FailedPrecondition(f"{self._title} refused the {what} ({error.error}).",
                                     reason="PROVIDER_REFUSED", metadata=meta) from None
        except httpx.TimeoutException:
            raise DeadlineExceeded(f"{self._title} did not answer the {what} in time; retry later.",
                                   reason="PROVIDER_TIMEOUT", metadata=meta) from None
        except (httpx.HTTPError, ValueError) as error:
            log.warning("%s %s failed: %s", self.name, what, type(error).__name__)
            raise Unavailable(f"{self._title} failed the {what}; retry later.", reason="PROVIDER_UNAVAILABLE",
                              metadata=meta) from None


