"""The built-in browser client (web/src/auth.ts): a public OAuth client every server has without any command. It is
defined here, not by its database row: each process stores that row on first use if no process has (codes and
grants refer to their client), and answers from this definition, so it works on a fresh database, in every process
alike, and follows the server's URL.

- Its id is `chatsvc-web`; it has no secret (PKCE with S256 is required, as of any public client).
- It redirects to the page's own origin + `/` only: the server's public URL (`--public-url`, else the address it
  listens on), or the loopback origin the authorization request itself came to (whatever port the server is
  reached at on loopback). Another loopback port is refused, although installed clients accept any: with consent
  skipped (below), a program listening on another local port could otherwise collect codes for a signed-in user.
- It skips the consent page for the scopes the page asks for (SCOPES), as Google's own Chat client asks no
  consent: it is part of the server the user signs in to, not a third party the consent page protects them from,
  and its codes only ever reach that server's own page. A reload then signs in again with a redirect round trip
  and no typing, while the authorization server's session lasts. Any other scope asked of it gets the consent page.
- Its token responses carry the signed-in user's `email` (an additional parameter, as RFC 6749 section 5.1 allows),
  so the page can say who is signed in: the Chat API has no call that returns the caller's own address.
"""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from aiohttp import web

from chatsvc.auth.scopes import expand_scope
from chatsvc.domain.oauth_grants import INSTALLED, OAuthClient
from chatsvc.domain.principal import DEFAULT_APP

CLIENT_ID = "chatsvc-web"
NAME = "chatsvc (this server's web client)"
# What the chat UI calls: spaces, members, messages (also app interactions and the live channel), reactions, read
# state, notification settings, sidebar sections and availability (web/src/auth.ts asks for these), and the
# directory, to show people's names (the People API's people.get and people.getBatchGet).
SCOPES = frozenset(expand_scope(s) for s in (
    "chat.spaces", "chat.memberships", "chat.messages", "chat.messages.reactions", "chat.users.readstate",
    "chat.users.spacesettings", "chat.users.sections", "chat.users.availability", "directory.readonly"))


@dataclass(frozen=True)
class WebClient(OAuthClient):
    """A public client whose redirect URIs match exactly (an installed client's match any loopback port)."""

    def redirect_allowed(self, uri: str) -> bool:
        return uri in self.redirect_uris


def web_client(base: str, request: web.Request | None) -> WebClient:
    """The client as this request sees it: its redirect URIs are the public URL's `/` and, for a request made to a
    loopback host, that host's `/`."""
    uris = [base.rstrip("/") + "/"]
    if request is not None and _loopback_host(request.host):
        uris.append(f"{request.scheme}://{request.host}/")
    return WebClient(id=CLIENT_ID, kind=INSTALLED, name=NAME, secret_sha256="", redirect_uris=tuple(uris),
                     app=DEFAULT_APP, create_time_us=0)


def skips_consent(client: OAuthClient, scope: str) -> bool:
    """Whether the user's consent is taken as given: the built-in client, asking no more than SCOPES."""
    asked = {expand_scope(s) for s in scope.split()}
    return isinstance(client, WebClient) and bool(asked) and asked <= SCOPES


def _loopback_host(host: str) -> bool:
    try:
        name = urlsplit(f"//{host}").hostname or ""
    except ValueError:
        return False
    return name == "localhost" or name == "::1" or name.startswith("127.") and name.replace(".", "").isdigit()
