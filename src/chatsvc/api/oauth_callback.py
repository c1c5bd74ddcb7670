"""The browser's return from a provider's consent screen, on the HTTP endpoint:

    GET /oauth2/callback?state=...&code=...     (or ...&error=access_denied)

No bearer token comes with a browser redirect: the signed state says whose grant it is. The answer is a
redirect to the address given to RequestAccess, with `credential=<name>` or `error=<reason>` added.
"""
from __future__ import annotations

from aiohttp import web

from chatsvc.domain.credentials import Credentials
from chatsvc.domain.errors import InvalidArgument

CALLBACK_PATH = "/oauth2/callback"
METHOD = "chatsvc.credentials.oauth2Callback"  # the name in logs and ErrorInfo metadata
_KEY = web.AppKey("credentials", Credentials)


async def callback(request: web.Request) -> web.Response:
    query = request.query
    if not query.get("state"):
        raise InvalidArgument.field("state", "is required")
    target = await request.app[_KEY].callback(query["state"], query.get("code", ""), query.get("error", ""))
    return web.Response(status=302, headers={"Location": target, "Cache-Control": "no-store",
                                             "Referrer-Policy": "no-referrer"})


def add_callback_route(app: web.Application, credentials: Credentials) -> None:
    app[_KEY] = credentials
    app.router.add_get(CALLBACK_PATH, callback, name=METHOD)
