"""The authorization server's rules that need no server: which scopes a user may grant (each with words for the
consent page), which redirect URIs a client may register and be sent to."""
from __future__ import annotations

import pytest

from chatsvc.domain.errors import InvalidArgument
from chatsvc.domain.oauth_grants import INSTALLED, WEB, OAuthClient, check_redirect_uri
from chatsvc.oauth_server.scope_text import DESCRIPTIONS, grantable_scopes

PREFIX = "https://www.googleapis.com/auth/"


def test_every_grantable_scope_is_a_user_scope_with_words():
    grantable = grantable_scopes()
    assert {PREFIX + s for s in DESCRIPTIONS} == grantable  # none without words, no words for a scope not granted
    assert PREFIX + "chat.messages" in grantable and PREFIX + "chatsvc.webhooks" in grantable
    assert not {s for s in grantable if s.startswith((PREFIX + "chat.bot", PREFIX + "chat.app.",
                                                      PREFIX + "chat.admin."))}


def _client(kind: str, *uris: str) -> OAuthClient:
    return OAuthClient("id", kind, "", "", uris, "chatsvc", 0)


def test_redirect_uris():
    installed = _client(INSTALLED, "http://localhost", "http://127.0.0.1/done")
    assert installed.redirect_allowed("http://localhost:5123/") and installed.redirect_allowed("http://localhost")
    assert installed.redirect_allowed("http://127.0.0.1:9/done")
    for refused in ("http://localhost:5123/other", "https://localhost:5123/", "http://127.0.0.1:9/",
                    "http://localhost.evil.example:80/", "http://localhost:1/?x=1", "http://user@localhost:1/"):
        assert not installed.redirect_allowed(refused), refused
    web = _client(WEB, "https://app.example/cb")
    assert web.redirect_allowed("https://app.example/cb")
    assert not web.redirect_allowed("https://app.example/cb/") and not web.redirect_allowed("https://app.example:1/cb")
    for kind, uri in ((INSTALLED, "https://app.example/cb"), (WEB, "http://app.example/cb"),
                      (WEB, "https://app.example/cb#x"), (INSTALLED, "urn:ietf:wg:oauth:2.0:oob")):
        with pytest.raises(InvalidArgument):
            check_redirect_uri(kind, uri)
    check_redirect_uri(WEB, "http://localhost:3000/cb")


def test_sign_in_modes():
    from chatsvc.oauth_server.http import sign_in_mode

    assert sign_in_mode("auto", "127.0.0.1") == "email" and sign_in_mode("auto", "::1") == "email"
    assert sign_in_mode("auto", "0.0.0.0") == "off" and sign_in_mode("auto", "10.1.2.3") == "off"
    assert sign_in_mode("email", "0.0.0.0") == "email" and sign_in_mode("off", "127.0.0.1") == "off"
    for unavailable in ("oidc", "email-code", "password"):
        with pytest.raises(ValueError):
            sign_in_mode(unavailable, "127.0.0.1")
