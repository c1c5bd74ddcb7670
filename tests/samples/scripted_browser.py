"""The browser `InstalledAppFlow.run_local_server()` opens, played by a script: the tests set BROWSER to
`python scripted_browser.py --ca CA --email EMAIL %s &`, so Python's `webbrowser` starts it in the background with
the authorization URL. It signs in and allows on chatsvc's real pages (tests/oauth_server/browser.py: a cookie jar,
the pages' forms submitted as a browser would, chatsvc's redirects followed over https trusting CA), then goes where
the last redirect sends it: the flow's local server, `http://localhost:8080/?code=...`.

Runs under .venv (aiohttp, and this repository on sys.path). Writes only to stderr (its stdout is the sample's).
When something fails it says why and sends the flow `?error=...` instead, so that the sample stops at once rather
than waiting for a redirect that will not come.

The visit to the flow's server closes with a reset once the answer is read: the flow's server closes first, and
without the reset its port (8080, fixed) would sit in TIME_WAIT, which the next sample's server (bound without
SO_REUSEADDR) could not bind for a minute. A person's samples are minutes apart; the tests run four in a row.
"""
from __future__ import annotations

import argparse
import os
import socket
import struct
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit


def deliver(url: str) -> str:
    """GET `url` (plain http) on a socket of our own; the status line; the connection is reset after the answer."""
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port or 80), timeout=30) as sock:
        path = parts.path or "/"
        sock.sendall(f"GET {path}?{parts.query} HTTP/1.1\r\nHost: {parts.netloc}\r\nConnection: close\r\n\r\n"
                     .encode())
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    return answer.split(b"\r\n", 1)[0].decode(errors="replace")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ca", required=True)
    parser.add_argument("--email", required=True)
    parser.add_argument("url")
    args = parser.parse_args()
    os.environ["SSL_CERT_FILE"] = args.ca  # before aiohttp makes its default TLS context
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

    import asyncio

    from tests.oauth_server.browser import Browser

    async def consent() -> str:
        parts = urlsplit(args.url)
        async with Browser(f"{parts.scheme}://{parts.netloc}") as browser:
            return await browser.consent(args.url, args.email)

    redirect_uri = parse_qs(urlsplit(args.url).query)["redirect_uri"][0]
    try:
        back = asyncio.run(consent())
    except Exception as error:  # noqa: BLE001 (said on stderr, and sent to the flow so that it stops)
        print(f"scripted_browser: {type(error).__name__}: {error}", file=sys.stderr)
        back = f"{redirect_uri}?{urlencode({'error': 'scripted_browser_failed'})}"
    status = deliver(back)
    if not back.startswith(redirect_uri) or not status.endswith(" 200 OK"):
        print(f"scripted_browser: sent to {back}, answered {status}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
