"""The HTTP endpoint: one port for REST, discovery, media and OAuth callbacks, beside the gRPC server and in
the same event loop.

Routes are tried in the order they are added: the fixed ones (media, OAuth callback, discovery) first, then
REST's catch-all, which matches every other path against the routes derived from the services' descriptors.
"""
from __future__ import annotations

import ssl
from dataclasses import dataclass

from aiohttp import web

from chatsvc.api.media_http import SELF_LOGGED
from chatsvc.http.rest import RestApi

REST_API = web.AppKey("rest_api", RestApi)


def add_rest(app: web.Application, rest: RestApi) -> None:
    """REST's catch-all, after every fixed route. A path that a fixed route has for other methods only is a
    405 there, as aiohttp would answer without the catch-all."""
    fixed = list(app.router.resources())
    # Only a path beginning like a fixed route can be one: the rest (nearly every REST call) skip resolving.
    prefixes = tuple(resource.canonical.split("{", 1)[0] for resource in fixed)
    app[REST_API] = rest

    async def handle(request: web.Request) -> web.StreamResponse:
        if request.path.startswith(prefixes):
            for resource in fixed:
                match, allowed = await resource.resolve(request)
                if match is None and allowed:
                    raise web.HTTPMethodNotAllowed(request.method, allowed)
        return await rest.handle(request)

    app.router.add_route("*", "/{path:.*}", handle, name=SELF_LOGGED)


@dataclass
class HttpServer:
    runner: web.AppRunner
    port: int
    url: str  # the base URL clients use: the public URL, else the address it listens on

    async def stop(self) -> None:
        await self.runner.cleanup()


def http_address(http_listen: str, grpc_listen: str) -> tuple[str, int] | None:
    """(host, port) to serve HTTP on: `off` -> None; `auto` -> the gRPC host, on the gRPC port + 1 (or a port of
    the system's choosing when the gRPC port is too); else `host:port`."""
    if http_listen in ("", "off"):
        return None
    host, _, port = (grpc_listen if http_listen == "auto" else http_listen).rpartition(":")
    number = int(port)
    if http_listen == "auto" and number:
        number += 1
    return host.strip("[]") or "0.0.0.0", number


_MAX_REQUEST_LINE = 32 * 1024


async def start_http(app: web.Application, host: str, port: int, public_url: str | None,
                     grace: float, ssl_context: ssl.SSLContext | None = None) -> HttpServer:
    """Serves `app` (over TLS with `ssl_context`); its URL is `public_url`, else the address listened on, https
    with TLS."""
    # A request line of up to 32 KiB (aiohttp's default is 8 KiB): a people:batchGet of 200 ids, or a list call
    # with a long filter, is a GET whose query alone passes 8 KiB.
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=grace, max_line_size=_MAX_REQUEST_LINE)
    await runner.setup()
    # reuse_port: shared by `--workers` processes, like gRPC's
    site = web.TCPSite(runner, host, port, reuse_port=True, ssl_context=ssl_context)
    try:
        await site.start()
    except OSError:
        await runner.cleanup()
        raise
    bound = runner.addresses[0][1]
    shown = {"0.0.0.0": "127.0.0.1", "::": "[::1]"}.get(host, f"[{host}]" if ":" in host else host)
    scheme = "https" if ssl_context else "http"
    return HttpServer(runner, bound, (public_url or f"{scheme}://{shown}:{bound}").rstrip("/"))
