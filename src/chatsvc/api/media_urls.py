"""The media endpoint's URLs, as the API hands them out: attachment downloads and custom emoji images.

A custom emoji's `temporary_image_uri` is a signed URL that expires (Google: "valid for at least 10
minutes"), so an image tag can load it without a bearer token. Attachment download and thumbnail URIs
need the caller's bearer token, like the media API itself.
"""
from __future__ import annotations

import hashlib
import hmac
import time
import urllib.parse

EMOJI_URL_SECONDS = 3600


class MediaUrls:
    def __init__(self, key: bytes, base: str = "", clock=time.time):
        self._key = hashlib.sha256(b"chatsvc media urls\0" + key).digest()
        self._clock = clock
        # The endpoint's public address, e.g. http://127.0.0.1:50052; empty when it is switched off. Set once
        # the endpoint is listening (its port may be picked by the system).
        self.base = base

    def download(self, resource_name: str) -> str:
        return f"{self.base}/v1/media/{resource_name}?alt=media" if self.base else ""

    def emoji_image(self, emoji_id: str) -> str:
        if not self.base:
            return ""
        expires = int(self._clock()) + EMOJI_URL_SECONDS
        query = urllib.parse.urlencode({"alt": "media", "expires": expires,
                                        "signature": self._sign(emoji_id, expires)})
        return f"{self.base}/v1/media/customEmojis/{emoji_id}?{query}"

    def emoji_image_valid(self, emoji_id: str, expires: str, signature: str) -> bool:
        try:
            when = int(expires)
        except ValueError:
            return False
        return when >= self._clock() and hmac.compare_digest(signature, self._sign(emoji_id, when))

    def _sign(self, emoji_id: str, expires: int) -> str:
        return hmac.new(self._key, f"{emoji_id}\0{expires}".encode(), hashlib.sha256).hexdigest()[:32]
