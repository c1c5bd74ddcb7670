"""A raw server-sent events reader over aiohttp, as a browser's fetch() would read LiveService's stream."""
from __future__ import annotations

import asyncio
import json
from contextlib import asynccontextmanager
from dataclasses import dataclass

import aiohttp

LIVE_PATH = "/v1/live/events"


@dataclass
class Frame:
    event: str  # "message" unless named
    id: str | None
    data: dict


class SseStream:
    def __init__(self, response: aiohttp.ClientResponse):
        self.response = response
        self.comments = 0  # heartbeats seen

    async def next(self, timeout: float = 5.0) -> Frame:
        """The next event; TimeoutError if none comes in `timeout` seconds; EOFError when the stream ends."""
        return await asyncio.wait_for(self._read(), timeout)

    async def _read(self) -> Frame:
        event, last_id, data = "message", None, []
        while True:
            raw = await self.response.content.readline()
            if not raw:
                raise EOFError("the stream ended")
            line = raw.decode().rstrip("\r\n")
            if not line:
                if data:
                    return Frame(event, last_id, json.loads("\n".join(data)))
                event, last_id = "message", None
                continue
            if line.startswith(":"):
                self.comments += 1
                continue
            field, _, value = line.partition(":")
            value = value[1:] if value.startswith(" ") else value
            if field == "event":
                event = value
            elif field == "id":
                last_id = value
            elif field == "data":
                data.append(value)

    async def events_until(self, predicate, timeout: float = 5.0) -> list[Frame]:
        """Every event up to and including the first that `predicate` accepts."""
        seen = []
        while True:
            frame = await self.next(timeout)
            seen.append(frame)
            if predicate(frame):
                return seen


@asynccontextmanager
async def live_stream(base_url: str, token: str | None, *, last_event_id: str | None = None, query: str = ""):
    """The HTTP response of a live stream request (check `.status` before reading) and its reader."""
    headers = {"Accept": "text/event-stream"}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    if last_event_id is not None:
        headers["Last-Event-ID"] = last_event_id
    timeout = aiohttp.ClientTimeout(total=None, sock_read=None)
    async with (aiohttp.ClientSession(timeout=timeout) as session,
                session.get(f"{base_url}{LIVE_PATH}" + (f"?{query}" if query else ""), headers=headers) as response):
        yield response, SseStream(response)
