"""`configCompleteRedirectUrl`: the link in each MESSAGE event that an app sends its user back to once a
REQUEST_CONFIG flow is done (chatsvc.domain.app_config), signed so that nobody forges one for another's message.

The link is `{chatsvc's HTTP URL}/chat/config_complete/T` (in the path: a `token` query parameter would make it an
incoming webhook's URL to chatsvc.http.webhooks), T = base64url(JSON [app, space, message, user,
event id]) "." base64url(HMAC-SHA256 of it, 16 bytes) under a key derived from the server's signing key.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Callable

from chatsvc.domain.app_config import ConfigRequest
from chatsvc.events.records import QueuedEvent

PATH = "/chat/config_complete"


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class ConfigLinks:
    def __init__(self, key: bytes, base_url: Callable[[], str | None]):
        self._key = hmac.new(key, b"chatsvc config complete links", hashlib.sha256).digest()
        self._base = base_url  # the HTTP endpoint's URL, known once it listens; None: no HTTP endpoint

    def _sign(self, payload: str) -> str:
        return _b64(hmac.new(self._key, payload.encode(), hashlib.sha256).digest()[:16])

    def url(self, event: QueuedEvent) -> str:
        """The link for a MESSAGE event; "" when chatsvc serves no HTTP endpoint."""
        base = self._base()
        if not base:
            return ""
        payload = _b64(json.dumps([event.app_name, event.space_id, event.message_id, event.user_id, event.id],
                                  separators=(",", ":")).encode())
        return f"{base.rstrip('/')}{PATH}/{payload}.{self._sign(payload)}"

    def read(self, token: str) -> ConfigRequest | None:
        """What a link's token names; None for a token that is not one of ours."""
        payload, _, signature = token.partition(".")
        if not payload or not hmac.compare_digest(signature, self._sign(payload)):
            return None
        try:
            app, space, message, user, event_id = json.loads(_unb64(payload))
        except ValueError:
            return None
        return ConfigRequest(app, space, message, user, event_id)
