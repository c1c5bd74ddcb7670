"""The public keys of chatsvc's identity towards Chat apps (chatsvc.events.identity), at Google's paths on the HTTP
endpoint, so that an app checks chatsvc's requests as it checks Google Chat's, with `https://www.googleapis.com`
replaced by chatsvc's URL:

    GET /service_accounts/v1/metadata/x509/chat@system.gserviceaccount.com   {kid: PEM certificate}
    GET /service_accounts/v1/jwk/chat@system.gserviceaccount.com             {"keys": [JWK]}
    GET /oauth2/v1/certs                                                     {kid: PEM certificate}

The first is the certificates URL of Google's project-number check. The last is where google-auth's
`id_token.verify_oauth2_token` (and `verify_token` by default) fetch the keys of Google's ID tokens; at Google those
are Google's OAuth keys, here chatsvc's one key, which signs its ID tokens too. Answered with Google's content type
and caching headers.
"""
from __future__ import annotations

import json
import time
from email.utils import formatdate

from aiohttp import web

from chatsvc.events.identity import CHAT_SERVICE_ACCOUNT, EventIdentity

X509_PATH = f"/service_accounts/v1/metadata/x509/{CHAT_SERVICE_ACCOUNT}"
JWK_PATH = f"/service_accounts/v1/jwk/{CHAT_SERVICE_ACCOUNT}"
OAUTH2_CERTS_PATH = "/oauth2/v1/certs"
CACHE_SECONDS = 3600  # the key changes only if its file is replaced and chatsvc restarted


def _answer(document: dict) -> web.Response:
    return web.Response(text=json.dumps(document, indent=2) + "\n", content_type="application/json",
                        charset="UTF-8", headers={
                            "Cache-Control": f"public, max-age={CACHE_SECONDS}, must-revalidate, no-transform",
                            "Expires": formatdate(time.time() + CACHE_SECONDS, usegmt=True)})


def google_certs_routes(identity: EventIdentity) -> list[web.RouteDef]:
    """The three GET routes above (HEAD too), named for log lines. The first request may make the key."""
    async def x509_map(request: web.Request) -> web.Response:
        return _answer((await identity.loaded()).x509_certificates())

    async def jwk_set(request: web.Request) -> web.Response:
        return _answer((await identity.loaded()).jwks())

    return [web.get(X509_PATH, x509_map, name="google.certs.x509"),
            web.get(JWK_PATH, jwk_set, name="google.certs.jwk"),
            web.get(OAUTH2_CERTS_PATH, x509_map, name="google.oauth2.certs")]


def certs_url(base_url: str, path: str = X509_PATH) -> str:
    """The URL of one of the routes above on the HTTP endpoint at `base_url` (e.g. RunningServer.http.url)."""
    return base_url.rstrip("/") + path
