"""chatsvc as an OAuth 2.0 authorization server for its users (Authlib's server components): apps sign their
users in with Google's client libraries (`InstalledAppFlow`, `google.oauth2.credentials.Credentials`) pointed at
chatsvc by the client_secrets.json that `chatsvc oauth-client create` prints.

- authorization.py: Authlib's server, grants and revocation endpoint over a gathered snapshot (how and why there)
- http.py: the aiohttp adapter, sign-in sessions and CSRF; pages.py and templates/: the pages
- scope_text.py: the grantable scopes, in words; client_secrets.py: the file apps read
- the rules (clients, codes, grants, revocation) are chatsvc.domain.oauth_grants'
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from aiohttp import web

from chatsvc.auth.tokens import TokenService
from chatsvc.domain.oauth_grants import GrantCheck, OAuthGrants
from chatsvc.domain.ports import Transactions


@dataclass
class OAuthServer:
    grants: OAuthGrants
    check: GrantCheck


def oauth_grants(settings, db: Transactions, tokens: TokenService, clock: Callable[[], int]) -> OAuthServer:
    """The grants and the revocation check the gate consults (installed on `tokens`)."""
    grants = OAuthGrants(db, clock, code_ttl=settings.oauth_server_code_seconds)
    check = GrantCheck(grants, settings.oauth_server_revocation_cache_seconds)
    tokens.grants = check
    return OAuthServer(grants, check)


def oauth_routes(settings, parts: OAuthServer, tokens: TokenService, key: bytes, http_host: str,
                 base: Callable[[], str], clock: Callable[[], int]) -> list[web.RouteDef]:
    """The authorization server's routes on the HTTP endpoint listening on `http_host`, reached at `base()`."""
    from chatsvc.oauth_server.authorization import Server
    from chatsvc.oauth_server.http import OAuthEndpoints, Sessions, sign_in_mode
    from chatsvc.oauth_server.scope_text import grantable_scopes

    server = Server(tokens, grantable_scopes(), access_token_seconds=settings.oauth_server_access_token_seconds,
                    code_ttl_us=parts.grants.code_ttl_us)
    sessions = Sessions(key, lambda: base().startswith("https://"))
    return OAuthEndpoints(server, parts.grants, tokens, sessions, base=base, clock=clock,
                          sign_in=sign_in_mode(settings.oauth_server_sign_in, http_host)).routes()
