"""Fetching a campaign's URL attachments when it is sent.

The URL comes from a user, and the server fetches it from inside the network, so by default any host that
resolves to a private, loopback, link-local or otherwise non-public address is refused (every address the
name resolves to is checked, and again after each redirect). The content is streamed and cut off at the
size limit of the channel the campaign goes through.

Known limit: the name is resolved once to check it and again by the HTTP client to connect, so a DNS
server that answers differently the second time (rebinding) could still steer the fetch.
"""
from __future__ import annotations

import asyncio
import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

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


async def fetch(url: str, *, limit: int, timeout: float, allow_private: bool = False) -> Fetched:
    """The body of `url` (at most `limit` bytes). Raises FetchError saying what went wrong."""
    try:
        async with httpx.AsyncClient(timeout=timeout, follow_redirects=False) as client:
            for _ in range(MAX_REDIRECTS + 1):
                await _check_target(url, allow_private)
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
    except httpx.TimeoutException:
        raise FetchError(f"{_shown(url)} did not answer within {timeout:g}s") from None
    except httpx.HTTPError as error:
        raise FetchError(f"{_shown(url)} could not be fetched: {error}") from None


async def _check_target(url: str, allow_private: bool) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(f"{_shown(url)} is not an http or https URL")
    if allow_private:
        return
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise FetchError(f"the host of {_shown(url)} could not be resolved: {error}") from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if not address.is_global or address.is_multicast:
            raise FetchError(f"{_shown(url)} points at a non-public address ({address}), which is not allowed")


def _shown(url: str) -> str:
    """The URL without its query (which may carry a signature) for error messages."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"
