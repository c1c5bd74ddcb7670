"""The OAuth 2.0 token endpoint on the HTTP endpoint, where a service-account key file's `token_uri` may point:

    POST /token   grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=<JWT>   (RFC 7523)

answered as oauth2.googleapis.com/token answers: `{"access_token": ..., "expires_in": 3599, "token_type": "Bearer"}`,
the access token being one of our own (TokenService.mint) for the service account's Chat app with the scopes the
assertion asks for (chatsvc.auth.service_accounts says which are granted). Refusals are RFC 6749 JSON errors with
HTTP 400: `invalid_request` (not a form, a parameter missing or repeated), `unsupported_grant_type`,
`invalid_grant` (signature, account, audience, times), `invalid_scope`, `unauthorized_client` (delegation).

Other grant types can be added to the same endpoint (`TokenEndpoint.add_grant`), so one `token_uri` serves them all
as Google's does.
"""
from __future__ import annotations

import json
import logging
import urllib.parse
from collections.abc import Awaitable, Callable

from aiohttp import web

from chatsvc.auth.service_accounts import JWT_BEARER, TOKEN_PATH, GrantRefused, ServiceAccounts
from chatsvc.auth.tokens import TokenService

log = logging.getLogger("chatsvc.auth")
METHOD = "chatsvc.oauth2.token"  # the name in logs
MAX_BODY_BYTES = 64 * 1024  # an assertion is a few KB
ACCESS_TOKEN_SECONDS = 3600
FORM = "application/x-www-form-urlencoded"
# A grant: the request's parameters (each once) -> the token response.
Grant = Callable[[dict[str, str]], Awaitable[web.Response]]
TOKEN_ENDPOINT = web.AppKey("token_endpoint", object)


def oauth_error(error: str, description: str, status: int = 400) -> web.Response:
    return web.json_response({"error": error, "error_description": description}, status=status,
                             headers={"Cache-Control": "no-store", "Pragma": "no-cache"})


def token_response(access_token: str, expires_in: int) -> web.Response:
    return web.json_response({"access_token": access_token, "expires_in": expires_in, "token_type": "Bearer"},
                             headers={"Cache-Control": "no-store", "Pragma": "no-cache"})


class TokenEndpoint:
    def __init__(self):
        self._grants: dict[str, Grant] = {}

    def add_grant(self, grant_type: str, grant: Grant) -> None:
        self._grants[grant_type] = grant

    async def handle(self, request: web.Request) -> web.Response:
        if request.content_type != FORM:
            return oauth_error("invalid_request", f"The request must be sent as {FORM}.")
        if (request.content_length or 0) > MAX_BODY_BYTES:
            return oauth_error("invalid_request", "The request is too large.", status=413)
        body = bytearray()
        while len(body) <= MAX_BODY_BYTES and (chunk := await request.content.read(MAX_BODY_BYTES + 1 - len(body))):
            body += chunk
        if len(body) > MAX_BODY_BYTES:
            return oauth_error("invalid_request", "The request is too large.", status=413)
        try:
            pairs = urllib.parse.parse_qsl(bytes(body).decode(), keep_blank_values=True, strict_parsing=bool(body),
                                           max_num_fields=20)
        except (UnicodeDecodeError, ValueError):
            return oauth_error("invalid_request", "The request body is not a form.")
        params: dict[str, str] = {}
        for name, value in pairs:
            if name in params:  # RFC 6749 3.2: parameters MUST NOT be included more than once
                return oauth_error("invalid_request", f"Duplicate parameter: {name}")
            params[name] = value
        grant_type = params.get("grant_type", "")
        grant = self._grants.get(grant_type)
        if grant is None:
            return oauth_error("unsupported_grant_type", f"Invalid grant_type: {grant_type}"[:200])
        return await grant(params)


def jwt_bearer_grant(accounts: ServiceAccounts, tokens: TokenService) -> Grant:
    """RFC 7523's grant, for the trusted service-account keys: an access token for the account's Chat app."""

    async def grant(params: dict[str, str]) -> web.Response:
        assertion = params.get("assertion")
        if not assertion:
            return oauth_error("invalid_request", "Missing required parameter: assertion")
        try:
            key, scopes = accounts.exchange(assertion, tokens.clock())
        except GrantRefused as refused:
            log.info(json.dumps({"event": "token refused", "error": refused.error,
                                 "description": refused.description}))
            return oauth_error(refused.error, refused.description)
        access_token = tokens.mint(app=key.app, scopes=sorted(scopes), ttl=ACCESS_TOKEN_SECONDS)
        log.info(json.dumps({"event": "token issued", "service_account": key.client_email, "app": key.app,
                             "scopes": sorted(scopes)}))
        return token_response(access_token, ACCESS_TOKEN_SECONDS - 1)

    return grant


def add_token_endpoint(app: web.Application, accounts: ServiceAccounts | None, tokens: TokenService) -> TokenEndpoint:
    """POST /token, with the JWT-bearer grant when service accounts are trusted; before REST's catch-all."""
    endpoint = TokenEndpoint()
    if accounts is not None:
        endpoint.add_grant(JWT_BEARER, jwt_bearer_grant(accounts, tokens))
    app[TOKEN_ENDPOINT] = endpoint
    app.router.add_post(TOKEN_PATH, endpoint.handle, name=METHOD)
    return endpoint
