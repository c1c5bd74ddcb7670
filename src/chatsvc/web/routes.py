"""Serves the browser client: its pages at `/` and `/cards` (the card preview), its bundles under `/static/`.

Every answer carries a Content-Security-Policy that allows scripts and styles from this origin only (no inline
script, no eval), connections to this origin only, and images from anywhere a card may point (https, data:, and
blob: for local previews of uploads). The pages hold no data: the client fetches everything through the public
REST API with the user's token, like any other client.
"""
from __future__ import annotations

from pathlib import Path

from aiohttp import web

STATIC = Path(__file__).parent / "static"
PAGES = {"/": "index.html", "/cards": "cards.html"}
_TYPES = {".js": "text/javascript", ".css": "text/css", ".html": "text/html", ".svg": "image/svg+xml",
          ".png": "image/png"}
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' https: data: blob:; "
       "media-src 'self' blob:; connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; "
       "frame-ancestors 'none'")
_HEADERS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
            "X-Frame-Options": "DENY"}


def _file(path: Path, cache: str) -> web.StreamResponse:
    """The file, sent by aiohttp off the event loop (with Last-Modified/ETag, so `no-cache` revalidates cheaply)."""
    if not path.is_file():
        if path.parent.is_dir():
            raise web.HTTPNotFound()
        return web.Response(status=503, text="The browser client is not built: run `make web`.\n",
                            headers={**_HEADERS, "Cache-Control": "no-store"})
    return web.FileResponse(path, headers={**_HEADERS, "Cache-Control": cache,
                                           "Content-Type": _TYPES.get(path.suffix, "application/octet-stream")})


# The tab icon browsers ask for at /favicon.ico: a speech bubble, as SVG (Chromium and Firefox take SVG there).
_ICON = (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><path fill="#0b57d0" d="M4 6a4 4 0 0 1 '
         b'4-4h16a4 4 0 0 1 4 4v13a4 4 0 0 1-4 4H13l-7 6v-6H8a4 4 0 0 1-4-4z"/></svg>')


def web_routes(static: Path = STATIC) -> list[web.RouteDef]:
    async def page(request: web.Request) -> web.StreamResponse:
        return _file(static / PAGES[request.path], "no-cache")

    async def asset(request: web.Request) -> web.StreamResponse:
        name = request.match_info["name"]
        if "/" in name or name.startswith("."):
            raise web.HTTPNotFound()
        return _file(static / name, "no-cache")

    async def icon(_: web.Request) -> web.Response:
        return web.Response(body=_ICON, content_type="image/svg+xml",
                            headers={**_HEADERS, "Cache-Control": "max-age=86400"})

    return [*(web.get(path, page) for path in PAGES), web.get("/static/{name}", asset),
            web.get("/favicon.ico", icon)]
