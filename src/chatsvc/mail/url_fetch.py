"""Fetching a campaign's URL attachments when it is sent.

The URL comes from a user, and the server fetches it from inside the network, so by default any host that
resolves to a private, loopback, link-local or otherwise non-public address is refused. The content is
streamed and cut off at the size limit of the channel the campaign goes through.

The check and the connection use the same answer: every connection (the first one and one per redirect to
a new origin) resolves the name once, checks every address, and connects to exactly a checked address. The
HTTP client never resolves the name itself, so a DNS server that answers differently the second time
(rebinding) cannot steer the fetch. The request keeps the name in its Host header, and TLS keeps it for SNI
and certificate verification.
"""
from __future__ import annotations

import asyncio
import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

MAX_REDIRECTS = 5


class FetchError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Fetched:
    content: bytes
    mime_type: str


class _NonPublic(Exception):
    """A name resolved to an address the fetch may not reach."""

    def __init__(self, address: str):
        super().__init__(address)
        self.address = address


class _Unresolvable(Exception):
    pass


async def fetch(url: str, *, limit: int, timeout: float, allow_private: bool = False) -> Fetched:
    """The body of `url` (at most `limit` bytes). Raises FetchError saying what went wrong."""
    transport = _PinnedTransport(_PinnedBackend(allow_private))
    try:
        async with httpx.AsyncClient(timeout=timeout, follow_redirects=False, transport=transport) as client:
            for _ in range(MAX_REDIRECTS + 1):
                _check_target(url)
                async with client.stream("GET", url) as response:
                    if response.is_redirect and "location" in response.headers:
                        url = urljoin(url, response.headers["location"])
                        continue
                    if response.status_code != 200:
                        raise FetchError(f"{_shown(url)} answered HTTP {response.status_code}")
                    declared = response.headers.get("content-length", "")
                    if declared.isdigit() and int(declared) > limit:
                        raise FetchError(f"{_shown(url)} is larger than the {limit} byte limit")
                    content = bytearray()
                    async for chunk in response.aiter_bytes():
                        content += chunk
                        if len(content) > limit:
                            raise FetchError(f"{_shown(url)} is larger than the {limit} byte limit")
                    mime_type = response.headers.get("content-type", "").split(";")[0].strip()
                    return Fetched(bytes(content), mime_type or "application/octet-stream")
            raise FetchError(f"{_shown(url)} redirects more than {MAX_REDIRECTS} times")
    except _NonPublic as refused:
        raise FetchError(f"{_shown(url)} points at a non-public address ({refused.address}), "
                         "which is not allowed") from None
    except _Unresolvable as error:
        raise FetchError(f"the host of {_shown(url)} could not be resolved: {error}") from None
    except httpx.TimeoutException:
        raise FetchError(f"{_shown(url)} did not answer within {timeout:g}s") from None
    except httpx.HTTPError as error:
        raise FetchError(f"{_shown(url)} could not be fetched: {error}") from None


def _check_target(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(f"{_shown(url)} is not an http or https URL")


async def _resolve(host: str, port: int) -> list[str]:
    """Every address `host` resolves to, in the resolver's order, without duplicates."""
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise _Unresolvable(str(error)) from None
    return list(dict.fromkeys(info[4][0].split("%")[0] for info in infos))


def _public(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    return ip.is_global and not ip.is_multicast


_direct = httpcore.AnyIOBackend()


async def _connect(address: str, port: int, **options) -> httpcore.AsyncNetworkStream:
    """A TCP connection to an address already checked (never a name)."""
    return await _direct.connect_tcp(address, port, **options)


class _PinnedBackend(httpcore.AsyncNetworkBackend):
    """Resolves each connection's host once, refuses it if any address is not public (unless private
    addresses are allowed), and connects to the checked addresses only."""

    def __init__(self, allow_private: bool):
        self._allow_private = allow_private

    async def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                          socket_options=None) -> httpcore.AsyncNetworkStream:
        try:
            addresses = await asyncio.wait_for(_resolve(host, port), timeout)
        except TimeoutError:
            raise httpcore.ConnectTimeout(f"resolving {host} took longer than {timeout}s") from None
        if not addresses:
            raise _Unresolvable("no address")
        if not self._allow_private:
            for address in addresses:  # one bad address refuses the host: which one a connection gets is not ours
                if not _public(address):
                    raise _NonPublic(address)
        failure: Exception | None = None
        for address in addresses:
            try:
                return await _connect(address, port, timeout=timeout, local_address=local_address,
                                      socket_options=socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as error:
                failure = error
        raise failure

    async def connect_unix_socket(self, path, timeout=None, socket_options=None):
        raise httpcore.ConnectError("unix sockets are not fetched")

    async def sleep(self, seconds: float) -> None:
        await _direct.sleep(seconds)


class _PinnedTransport(httpx.AsyncHTTPTransport):
    """httpx's transport over a connection pool that connects through `backend`. Given explicitly, it also
    keeps httpx from routing through proxies named in the environment (a proxy would resolve the name)."""

    def __init__(self, backend: httpcore.AsyncNetworkBackend):
        ssl_context = httpx.create_ssl_context()
        super().__init__(verify=ssl_context, trust_env=False)
        # httpx takes no network backend, so the pool it built is replaced by one that has ours.
        self._pool = httpcore.AsyncConnectionPool(ssl_context=ssl_context, network_backend=backend)


def _shown(url: str) -> str:
    """The URL without its query (which may carry a signature) for error messages."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"
