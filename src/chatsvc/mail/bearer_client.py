"""The HTTP client a mailbox API sender uses: the account's access token on every request, made on first
use and kept for the sender's life, so a campaign's messages reuse connections and one TLS context (a new
client per request reloads the CA bundle, about 20 ms of CPU each)."""
from __future__ import annotations

import httpx


class BearerClient:
    def __init__(self, access_token: str, timeout: float):
        self._headers = {"Authorization": f"Bearer {access_token}"}
        self._timeout = timeout
        self._client: httpx.AsyncClient | None = None

    def client(self) -> httpx.AsyncClient:
        if self._client is None:
            self._client = httpx.AsyncClient(headers=self._headers, timeout=self._timeout)
        return self._client

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None
